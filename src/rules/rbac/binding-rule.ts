/** Shared shape of the RBAC binding rules: findings of src/rbac/dangerous.ts for one rule id. */
import { dangerousBindingFindings } from '../../rbac/dangerous';
import { objectRule, ObjectRule, RuleMetadata } from '../rule';

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
