/** Shared shape of the RBAC binding rules: findings of src/analysis/rbac/dangerous.ts for one rule id. */
import { dangerousBuiltinRoles, PERMISSIONS } from './permissions';
import { BUILTIN_ADMIN_ROLES, dangerousBindingFindings } from '../../analysis/rbac/dangerous';
import { celList, celString } from '../kit/cel';
import { AdmissionSpec, objectRule, ObjectRule, RuleMetadata } from '../rule';

export function bindingRule(metadata: Omit<RuleMetadata, 'area' | 'level'>): ObjectRule {
  return objectRule({
    ...metadata,
    area: 'rbac',
    level: 'restricted',
    check(view) {
      return dangerousBindingFindings(view.object, PERMISSIONS)
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

/** Admission check: the binding's roleRef is none of the built-in ClusterRoles whose grants are dangerous (dangerousBuiltinRoles). */
export function dangerousBuiltinRoleAdmission(): AdmissionSpec {
  return {
    validations: [{
      expression: `!(object.roleRef.kind == 'ClusterRole' && object.roleRef.name in ${celList(dangerousBuiltinRoles())})`,
      message: 'the binding grants a built-in ClusterRole whose permissions are dangerous',
      messageExpression: "'the binding grants the built-in ClusterRole ' + object.roleRef.name + ', whose permissions are dangerous'",
    }],
  };
}

/** Admission check: no subject of the binding is one of `subjects` (kind and name, or name prefix). */
export function subjectsAdmission(subjects: ReadonlyArray<{ kind: string; name: string; prefix?: boolean }>, message: string): AdmissionSpec {
  const matches = subjects
    .map((s) => `(s.kind == ${celString(s.kind)} && ${s.prefix ? `s.name.startsWith(${celString(s.name)})` : `s.name == ${celString(s.name)}`})`)
    .join(' || ');
  return { validations: [{ expression: `!has(object.subjects) || object.subjects.all(s, !(${matches}))`, message }] };
}
