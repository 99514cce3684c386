import { isBuiltinClusterRole } from '../../analysis/rbac/dangerous';
import { readBinding } from '../../analysis/rbac/model';
import { Severity } from '../../core/types';
import { setRule } from '../rule';

/**
 * A binding to a missing role or ServiceAccount is a typo today and a grant to whoever creates that name
 * tomorrow. Judged only when the set is complete (a whole synth output or directory).
 */
export default setRule({
  id: 'rbac-dangling-binding',
  title: 'Bindings must reference Roles and ServiceAccounts that exist in the set',
  area: 'rbac',
  severity: Severity.MEDIUM,
  level: 'restricted',
  judgesAbsence: true,
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  rationale:
    'A binding whose role or ServiceAccount does not exist grants nothing now, but grants the role to whoever later creates an account with that name, or binds whatever role later takes that name.',
  remediation:
    'Fix the name or namespace, or add the missing Role/ServiceAccount to the manifests. Built-in ClusterRoles (the bootstrap policy: cluster-admin, admin, edit, view, system:aggregate-to-*, system:node, system:controller:*, ...) need not be in the set; other system: names must be.',
  references: {
    kubeLinter: 'non-existent-service-account',
  },
  check(context) {
    if (context.settings.completeSet === false) return [];
    const { index } = context;
    const violations = [];
    // ClusterRoles are cluster-scoped: look them up by name only, so a stray metadata.namespace cannot hide one.
    const clusterRoles = new Set(index.ofKind('ClusterRole').map((r) => r.name));
    for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
      for (const view of index.ofKind(kind)) {
        const binding = readBinding(view.object);
        if (!binding) continue;
        const { roleRef } = binding;
        const roleMissing =
          roleRef.kind === 'ClusterRole'
            ? !isBuiltinClusterRole(roleRef.name) && !clusterRoles.has(roleRef.name)
            : roleRef.kind === 'Role'
              ? binding.kind === 'ClusterRoleBinding' || !index.find('Role', binding.namespace, roleRef.name)
              : true;
        if (roleMissing) {
          violations.push({
            object: view.object,
            path: 'roleRef',
            message: `${kind} "${view.name}" references ${roleRef.kind || '(no kind)'} "${roleRef.name}", which is not in the scanned input`,
          });
        }
        binding.subjects.forEach((subject, i) => {
          if (subject.kind !== 'ServiceAccount' || subject.name === 'default') return;
          const namespace = subject.namespace ?? binding.namespace;
          if (index.find('ServiceAccount', namespace, subject.name)) return;
          violations.push({
            object: view.object,
            path: `subjects[${i}]`,
            message: `${kind} "${view.name}" binds ServiceAccount ${namespace ?? '(no namespace)'}/${subject.name}, which is not in the scanned input`,
          });
        });
      }
    }
    return violations;
  },
});
