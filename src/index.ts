// Public, jsii-compatible API. The engine, reporters and CLI are internal modules (free TypeScript).
export { Severity } from './core/types';
export { RuleId } from './rules/rule-id';
export * from './analysis/cluster/audit-rule';
export type { Waiver } from './core/types';
export type { WaiverPolicy } from './core/waiver-policy';
export * from './analysis/rbac/access-matrix';
export * from './constructs/rbac-grant';
export * from './constructs/audited-service-account';
export * from './constructs/locked-namespace';
export * from './constructs/flow-port';
export * from './constructs/workload-flows';
export * from './constructs/network-reachability';
export { EndpointKind } from './analysis/network/model';
export type { NetworkEndpoint, NetworkFlow, WorkloadIsolation } from './analysis/network/model';
export * from './analysis/images/image-policy-settings';
export * from './analysis/images/image-inventory-types';
export * from './analysis/cluster/traced-setting';
export * from './analysis/cluster/tls';
export * from './constructs/cluster/audit-policy';
export * from './constructs/cluster/encryption-config';
export * from './constructs/cluster/kubelet-config';
export * from './constructs/cluster/authentication-config';
export * from './constructs/cluster/control-plane-config';
export * from './constructs/cluster/audit-webhook';
export * from './constructs/monitoring/security-alerts';
export * from './constructs/monitoring/falco-rules';
// Hardened workloads and synth-time enforcement (src/constructs).
export { Hardening } from './constructs/hardening';
export * from './constructs/hardened-include';
export { PodSecurityLevel } from './constructs/pod-security-level';
export type { EnforceOptions } from './constructs/enforce-options';
export { UnusedWaivers } from './core/waiver-governance-options';
export type { WaiverGovernanceOptions } from './core/waiver-governance-options';
export * from './constructs/security-profiles';
export * from './constructs/placement';
export * from './constructs/runtime-class';
export * from './constructs/workload-props';
export * from './constructs/hardened-deployment';
export * from './constructs/hardened-stateful-set';
export * from './constructs/hardened-daemon-set';
export * from './constructs/hardened-job';
export * from './constructs/hardened-cron-job';
export * from './constructs/admission-policies';
// Signature verification at admission (sigstore policy-controller or Kyverno).
export { ImageTrust, ImageVerifier, ImageTrustMode, TrustAuthority, AttestationPredicate, AttestationPolicy } from './constructs/image-trust';
export type { ImageTrustProps, PublicKeyAuthorityOptions, KeylessAuthorityOptions, TrustAttestation } from './constructs/image-trust';
// The cdk8s CLI validation plugin (`validations:` in cdk8s.yaml), backed by the rule engine.
export * from './plugin/validation';
