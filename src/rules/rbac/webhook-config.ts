import { permissionRule, probes, WRITE_VERBS } from './permission-rule';
import { Severity } from '../../core/types';

/** Admission webhooks see (and mutating ones rewrite) every object admitted to the cluster. */
export default permissionRule({
  id: 'rbac-webhook-config',
  title: 'Roles must not write admission webhook or policy configurations',
  severity: Severity.HIGH,
  rbac: {
    probes: probes(
      'admissionregistration.k8s.io',
      [
        'mutatingwebhookconfigurations',
        'validatingwebhookconfigurations',
        'validatingadmissionpolicies',
        'validatingadmissionpolicybindings',
        'mutatingadmissionpolicies',
        'mutatingadmissionpolicybindings',
      ],
      WRITE_VERBS,
    ),
  },
  rationale:
    'Writing mutating or validating webhook configurations lets a subject read and rewrite every admitted object; writing validating admission policies or their bindings switches off the admission controls that enforce this catalog, and a mutating admission policy can add waiver labels to every pod.',
  remediation:
    'Remove create, update, patch and delete on admissionregistration.k8s.io webhook configurations, validating and mutating admission policies and their bindings from workload roles. Admission controllers need a waiver for rbac-webhook-config.',
  references: {
    cis: '5.1.12',
    nsa: 'Authentication and authorization: least privilege RBAC',
  },
});
