// Public, jsii-compatible API. The engine, reporters and CLI are internal modules (free TypeScript).
export { Severity } from './check/types';
export * from './cluster/audit-rule';
export type { Waiver } from './check/types';
export * from './rbac/access-matrix';
export * from './constructs/rbac-grant';
export * from './constructs/audited-service-account';
export * from './constructs/admission-policies';
