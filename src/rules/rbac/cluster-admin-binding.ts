import { bindingRule, builtinRoleAdmission } from './binding-rule';
import { BINDING_KINDS } from './permission-rule';
import { Severity } from '../../core/types';

/** cluster-admin is every permission on every resource. */
export default bindingRule({
  id: 'rbac-cluster-admin-binding',
  title: 'Bindings must not grant the cluster-admin ClusterRole',
  severity: Severity.CRITICAL,
  kinds: BINDING_KINDS,
  admission: builtinRoleAdmission('rbac-cluster-admin-binding'),
  rationale:
    'cluster-admin allows every verb on every resource; bound cluster-wide it is full control of the cluster, and even in a RoleBinding it is full control of the namespace, its Secrets and its RBAC.',
  remediation:
    'Bind a role with only the needed permissions (AuditedServiceAccount grants). A break-glass binding needs a waiver for rbac-cluster-admin-binding.',
  references: {
    cis: '5.1.1',
    nsa: 'Authentication and authorization: least privilege RBAC',
    kubeLinter: 'cluster-admin-role-binding',
    kyverno: 'restrict-binding-clusteradmin',
  },
});
