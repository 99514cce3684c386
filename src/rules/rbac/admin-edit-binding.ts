import { bindingRule, builtinRoleAdmission } from './binding-rule';
import { BINDING_KINDS } from './permission-rule';
import { Severity } from '../../core/types';

/** The built-in admin and edit roles include secrets, pod creation and exec. */
export default bindingRule({
  id: 'rbac-admin-edit-binding',
  title: 'Bindings must not grant the built-in admin or edit ClusterRoles to workloads',
  severity: Severity.HIGH,
  kinds: BINDING_KINDS,
  admission: builtinRoleAdmission('rbac-admin-edit-binding'),
  rationale:
    'admin and edit aggregate read and write access to Secrets, pod creation, pods/exec and more; they are meant for people, and grow whenever new aggregated roles are installed.',
  remediation:
    'Grant explicit permissions instead (AuditedServiceAccount grants), or the view role for read-only needs. A deliberate binding needs a waiver for rbac-admin-edit-binding.',
  references: {
    cis: '5.1.1',
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
  },
});
