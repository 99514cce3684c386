/**
 * Shared shape of the RBAC permission rules: each judges every rule of a Role or ClusterRole with the single
 * classification in src/rbac/dangerous.ts and reports the permissions that belong to its id.
 */
import { dangerousPermissionsOfRole } from '../../rbac/dangerous';
import { objectRule, ObjectRule, RuleMetadata } from '../rule';

export const ROLE_KINDS: readonly string[] = ['Role', 'ClusterRole'];
export const BINDING_KINDS: readonly string[] = ['RoleBinding', 'ClusterRoleBinding'];

/** Declares a rule over Role/ClusterRole rules for one kind of dangerous permission. */
export function permissionRule(metadata: Omit<RuleMetadata, 'area' | 'level' | 'kinds'>): ObjectRule {
  return objectRule({
    ...metadata,
    area: 'rbac',
    level: 'restricted',
    kinds: ROLE_KINDS,
    check(view) {
      return dangerousPermissionsOfRole(view.object)
        .filter((d) => d.ruleId === metadata.id)
        .map((d) => ({ path: d.path, message: `${view.kind} "${view.name}" grants ${d.permission}` }));
    },
  });
}
