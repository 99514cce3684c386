// Public, jsii-compatible API. The engine, reporters and CLI are internal modules (free TypeScript).
export { Severity } from './check/types';
export * from './cluster/audit-rule';
export type { Waiver } from './check/types';
export * from './rbac/access-matrix';
export * from './constructs/rbac-grant';
export * from './constructs/audited-service-account';
export * from './constructs/locked-namespace';
export * from './constructs/flow-port';
export * from './constructs/workload-flows';
export * from './constructs/network-reachability';
export { EndpointKind } from './network/model';
export type { NetworkEndpoint, NetworkFlow, WorkloadIsolation } from './network/model';
export * from './plugin/validation';
