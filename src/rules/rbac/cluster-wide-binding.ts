import { bindingRule } from './binding-rule';
import { Severity } from '../../core/types';

/** A ClusterRoleBinding grants its role in every namespace, including ones created later. */
export default bindingRule({
  id: 'rbac-cluster-wide-binding',
  title: 'Prefer namespaced RoleBindings to ClusterRoleBindings',
  severity: Severity.MEDIUM,
  kinds: ['ClusterRoleBinding'],
  // Every ClusterRoleBinding breaks this rule: at admission only a waiver the params permit lets one in.
  admission: { validations: [{ expression: "object.kind != 'ClusterRoleBinding'", message: 'a ClusterRoleBinding grants its role in every namespace' }] },
  rationale:
    'A ClusterRoleBinding grants its permissions in every namespace (present and future) and on cluster-scoped resources; most workloads need their own namespace only.',
  remediation:
    'Use a RoleBinding in the namespaces that need the access (a RoleBinding may reference a ClusterRole). AuditedServiceAccount grants are namespaced unless clusterScope is set with a waiver for rbac-cluster-wide-binding.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
});
