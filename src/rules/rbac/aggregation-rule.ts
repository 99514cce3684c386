/** Shared shape of the aggregationRule rules: findings of src/analysis/rbac/dangerous.ts for one rule id, with CEL. */
import { PERMISSIONS } from './permissions';
import { aggregationFindings } from '../../analysis/rbac/dangerous';
import { celString } from '../kit/cel';
import { AdmissionSpec, objectRule, ObjectRule, RuleMetadata } from '../rule';

/** CEL: the label selector `s` (matchLabels and matchExpressions, as in matching.ts) matches the fixed label map `labels`. */
export function selectorMatchesCel(labels: Record<string, string>): string {
  const map = `{${Object.entries(labels).map(([k, v]) => `${celString(k)}: ${celString(v)}`).join(', ')}}`;
  const inValues = `(e.key in ${map} && has(e.values) && ${map}[e.key] in e.values)`;
  return (
    `((!has(s.matchLabels) || s.matchLabels.all(k, k in ${map} && ${map}[k] == s.matchLabels[k])) && ` +
    '(!has(s.matchExpressions) || s.matchExpressions.all(e, ' +
    `e.operator == 'In' ? ${inValues} : e.operator == 'NotIn' ? !${inValues} : ` +
    `e.operator == 'Exists' ? e.key in ${map} : e.operator == 'DoesNotExist' ? !(e.key in ${map}) : false)))`
  );
}

/** Admission check: no selector of the ClusterRole's aggregationRule matches any of the label sets. */
export function aggregationAdmission(labelSets: ReadonlyArray<Record<string, string>>, message: string): AdmissionSpec {
  return {
    variables: [{
      name: 'aggregationSelectors',
      expression: 'has(object.aggregationRule) && has(object.aggregationRule.clusterRoleSelectors) ? object.aggregationRule.clusterRoleSelectors : []',
    }],
    validations: [{ expression: `variables.aggregationSelectors.all(s, !(${labelSets.map(selectorMatchesCel).join(' || ')}))`, message }],
  };
}

export function aggregationRule(metadata: Omit<RuleMetadata, 'area' | 'level' | 'kinds'>): ObjectRule {
  return objectRule({
    ...metadata,
    area: 'rbac',
    level: 'restricted',
    kinds: ['ClusterRole'],
    check(view) {
      return aggregationFindings(view.object, PERMISSIONS)
        .filter((f) => f.ruleId === metadata.id)
        .map((f) => ({ path: f.path, message: f.message }));
    },
  });
}
