import { PERMISSIONS } from './permissions';
import { aggregationFindings, bootstrapRolesSelected, dangerousPermissionsOfRole, describeSelector } from '../../analysis/rbac/dangerous';
import { readRole } from '../../analysis/rbac/model';
import { selectorMatches } from '../../core/label-selector';
import { Severity } from '../../core/types';
import { ObjectViolation, setRule } from '../rule';

/**
 * An aggregation selector is a standing grant: every ClusterRole that carries its labels, now or later, adds its
 * rules. Selectors the two object rules do not already judge are reported with what they collect in the set.
 */
export default setRule({
  id: 'rbac-aggregate-selector',
  title: 'ClusterRole aggregation selectors are reported with the roles they collect',
  area: 'rbac',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['ClusterRole'],
  rationale:
    'An aggregated ClusterRole has the rules of every ClusterRole whose labels match its selectors, including ClusterRoles created later and outside these manifests: whoever may create a ClusterRole with those labels extends every subject bound to the aggregate. What it grants cannot be read from the role itself.',
  remediation:
    'List the rules in the ClusterRole itself, or keep the aggregation and review the roles it collects (named in the finding); restrict who may create ClusterRoles (rbac-modify-rbac). A reviewed aggregation needs a waiver for rbac-aggregate-selector.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles'],
  },
  check(context) {
    const roles = context.index.ofKind('ClusterRole').map((view) => ({ view, role: readRole(view.object)! }));
    const violations: ObjectViolation[] = [];
    for (const { view, role } of roles) {
      if (!role.aggregationSelectors) continue;
      const judged = new Set(aggregationFindings(view.object, PERMISSIONS).map((f) => f.path));
      role.aggregationSelectors.forEach((selector, index) => {
        const path = `aggregationRule.clusterRoleSelectors[${index}]`;
        if (judged.has(path)) return;
        const fromSet = roles.filter((c) => c.role.name !== role.name && selectorMatches('aggregationRule', selector, c.role.labels));
        const builtin = bootstrapRolesSelected(selector).filter((name) => !roles.some((c) => c.role.name === name));
        const dangerous = [...new Set(fromSet.flatMap((c) => dangerousPermissionsOfRole(c.view.object, PERMISSIONS).map((d) => `${d.ruleId} from ${c.role.name}`)))];
        const collected = [
          fromSet.length > 0 ? `${fromSet.map((c) => c.role.name).join(', ')} in this set` : 'no ClusterRole in this set',
          ...(builtin.length > 0 ? [`the built-in ${builtin.join(', ')}`] : []),
        ].join(' and ');
        violations.push({
          object: view.object,
          path,
          message:
            `ClusterRole "${role.name}" aggregates the ClusterRoles labelled ${describeSelector(selector)}: ${collected}` +
            `${dangerous.length > 0 ? ` (bringing ${dangerous.join(', ')})` : ''}; any ClusterRole created later with these labels joins it`,
        });
      });
    }
    return violations;
  },
});
