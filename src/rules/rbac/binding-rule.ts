/** Shared shape of the RBAC binding rules: findings of src/rbac/dangerous.ts for one rule id. */
import { celList, celString } from '../../admission/cel';
import { BUILTIN_ADMIN_ROLES, dangerousBindingFindings } from '../../rbac/dangerous';
import { AdmissionSpec, objectRule, ObjectRule, RuleMetadata } from '../rule';

export function bindingRule(metadata: Omit<RuleMetadata, 'area' | 'level'>): ObjectRule {
  return objectRule({
    ...metadata,
    area: 'rbac',
    level: 'restricted',
    check(view) {
      return dangerousBindingFindings(view.object)
        .filter((f) => f.ruleId === metadata.id)
        .map((f) => ({ path: f.path, message: f.message }));
    },
  });
}

/** Admission check: the binding's roleRef is none of the built-in ClusterRoles that `ruleId` forbids (BUILTIN_ADMIN_ROLES). */
export function builtinRoleAdmission(ruleId: string): AdmissionSpec {
  const names = Object.keys(BUILTIN_ADMIN_ROLES).filter((name) => BUILTIN_ADMIN_ROLES[name] === ruleId);
  return {
    validations: [{
      expression: `!(object.roleRef.kind == 'ClusterRole' && object.roleRef.name in ${celList(names)})`,
      message: `the binding grants the built-in ClusterRole ${names.join(' or ')}`,
    }],
  };
}

/** Admission check: no subject of the binding is one of `subjects` (kind and name). */
export function subjectsAdmission(subjects: ReadonlyArray<{ kind: string; name: string }>, message: string): AdmissionSpec {
  const matches = subjects.map((s) => `(s.kind == ${celString(s.kind)} && s.name == ${celString(s.name)})`).join(' || ');
  return { validations: [{ expression: `!has(object.subjects) || object.subjects.all(s, !(${matches}))`, message }] };
}
