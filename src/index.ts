// Public, jsii-compatible API. The engine, reporters and CLI are internal modules (free TypeScript).
export { Severity } from './check/types';
export * from './cluster/audit-rule';
export * from './plugin/validation';
