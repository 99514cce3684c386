// Public, jsii-compatible API. The engine, reporters and CLI are internal modules (free TypeScript).
export { Severity } from './check/types';
export * from './cluster/audit-rule';
// Hardened workloads and synth-time enforcement (src/constructs).
export type { Waiver } from './check/types';
export { Hardening } from './constructs/hardening';
export { PodSecurityLevel } from './constructs/enforce-options';
export type { EnforceOptions } from './constructs/enforce-options';
export * from './constructs/security-profiles';
export * from './constructs/placement';
export * from './constructs/runtime-class';
export * from './constructs/workload-props';
export * from './constructs/hardened-deployment';
export * from './constructs/hardened-stateful-set';
export * from './constructs/hardened-daemon-set';
export * from './constructs/hardened-job';
export * from './constructs/hardened-cron-job';
