// Public, jsii-compatible API. The engine, reporters and CLI are internal modules (free TypeScript).
export { Severity } from './check/types';
export * from './cluster/audit-rule';
export type { Waiver } from './check/types';
export * from './rbac/access-matrix';
export * from './constructs/rbac-grant';
export * from './constructs/audited-service-account';
export * from './cluster/traced-setting';
export * from './cluster/tls';
export * from './cluster/audit-policy';
export * from './cluster/encryption-config';
export * from './cluster/kubelet-config';
export * from './cluster/authentication-config';
export * from './cluster/control-plane-config';
export * from './monitoring/security-alerts';
export * from './monitoring/falco-rules';
