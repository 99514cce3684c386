import { permissionRule } from './permission-rule';
import { Severity } from '../../check/types';

/** Admission webhooks see (and mutating ones rewrite) every object admitted to the cluster. */
export default permissionRule({
  id: 'rbac-webhook-config',
  title: 'Roles must not write admission webhook or policy configurations',
  severity: Severity.HIGH,
  rationale:
    'Writing mutating or validating webhook configurations (or validating admission policies) lets a subject read and rewrite every admitted object, or switch off the admission controls that enforce this catalog.',
  remediation:
    'Remove create, update, patch and delete on admissionregistration.k8s.io configurations from workload roles. Admission controllers need a waiver for rbac-webhook-config.',
  references: {
    cis: '5.1.12',
    nsa: 'Authentication and authorization: least privilege RBAC',
  },
});
