import { bindingRule, dangerousBuiltinRoleAdmission } from './binding-rule';
import { BINDING_KINDS } from './permission-rule';
import { Severity } from '../../core/types';
import { lazyAdmission } from '../rule';

/** The system:* ClusterRoles are the control plane's own identities; binding one hands out what it holds. */
// The dangerous built-in roles come from judging every bootstrap role (about 10 ms): only a policy build needs them.
export default lazyAdmission(bindingRule({
  id: 'rbac-builtin-role-binding',
  title: 'Bindings must not grant built-in ClusterRoles whose permissions are dangerous',
  severity: Severity.HIGH,
  kinds: BINDING_KINDS,
  rationale:
    'Every cluster has the bootstrap ClusterRoles (system:aggregate-to-edit, system:node, system:kube-controller-manager, system:controller:*, ...). Their names look internal, but binding one grants exactly what it holds: system:aggregate-to-edit is most of edit (Secrets, pod creation, exec), system:node reads every Secret its pods use and creates pods, the controller roles can create pods, read Secrets or approve certificates. They are judged by what the upstream bootstrap policy grants (src/analysis/rbac/bootstrap-policy.ts).',
  remediation:
    'Grant explicit permissions (AuditedServiceAccount grants) or bind view-like built-in roles only. A component that really acts as a control-plane identity needs a waiver for rbac-builtin-role-binding naming it.',
  references: {
    cis: '5.1.1',
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings'],
  },
}), dangerousBuiltinRoleAdmission);
