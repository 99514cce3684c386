import { bindingRule, subjectsAdmission } from './binding-rule';
import { BINDING_KINDS } from './permission-rule';
import { Severity } from '../../core/types';

/** Permissions on the default ServiceAccount go to every pod that did not ask for an identity. */
export default bindingRule({
  id: 'rbac-default-sa-binding',
  title: 'Bindings must not grant permissions to a default ServiceAccount',
  severity: Severity.MEDIUM,
  kinds: BINDING_KINDS,
  admission: subjectsAdmission([{ kind: 'ServiceAccount', name: 'default' }], 'the binding grants a role to a default ServiceAccount'),
  rationale:
    'Every pod without its own serviceAccountName runs as the namespace\'s default ServiceAccount, so a role bound to it is granted to workloads nobody reviewed for it.',
  remediation: 'Give the workload a dedicated ServiceAccount (AuditedServiceAccount) and bind the role to it.',
  references: {
    cis: '5.1.5',
    nsa: 'Authentication and authorization: service accounts',
    links: ['https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts'],
  },
});
