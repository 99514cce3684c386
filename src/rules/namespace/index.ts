/** Namespace rules: the controls every tenant namespace needs (default deny, Pod Security Admission, quotas). */
import defaultDenyEgress from './default-deny-egress';
import defaultDenyIngress from './default-deny-ingress';
import defaultNamespace from './default-namespace';
import limitRange from './limit-range';
import podSecurityLabels from './pod-security-labels';
import resourceQuota from './resource-quota';
import signatureVerification from './signature-verification';
import type { Rule } from '../rule';

export const NAMESPACE_RULES: readonly Rule[] = [
  defaultDenyIngress,
  defaultDenyEgress,
  podSecurityLabels,
  resourceQuota,
  limitRange,
  defaultNamespace,
  signatureVerification,
];
