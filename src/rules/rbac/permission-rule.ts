/**
 * Shared shape of the RBAC permission rules: each judges every rule of a Role or ClusterRole with the single
 * classification in src/analysis/rbac/dangerous.ts and reports the permissions that belong to its id. The admission
 * CEL is compiled from the same classification (probes), so the cluster and the checker cannot drift apart.
 */
import { DANGEROUS_VERBS, dangerousPermissionsOfRole, Probe, probesOf, RbacRuleId } from '../../analysis/rbac/dangerous';
import { celList } from '../kit/cel';
import { AdmissionSpec, objectRule, ObjectRule, RuleMetadata } from '../rule';

export const ROLE_KINDS: readonly string[] = ['Role', 'ClusterRole'];
export const BINDING_KINDS: readonly string[] = ['RoleBinding', 'ClusterRoleBinding'];

/** Every PolicyRule of the object with its optional lists filled in, so expressions need no has() guards. */
const POLICY_RULES_VARIABLE = {
  name: 'policyRules',
  expression:
    'has(object.rules) ? object.rules.map(r, {' +
    ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'].map((f) => `'${f}': has(r.${f}) ? r.${f} : []`).join(', ') +
    '}) : []',
};

/**
 * CEL over one normalized PolicyRule `r`: true when it grants one of the probes, with the authorizer's matching
 * (matching.ts): `*` in verbs, apiGroups and resources, `*\/sub` for a subresource of every resource.
 */
function probesCel(probes: readonly Probe[]): string {
  const groups = new Map<string, Probe[]>();
  for (const probe of probes) {
    const key = JSON.stringify([probe.apiGroup, probe.verbs, probe.unlessResourceNames === true]);
    groups.set(key, [...(groups.get(key) ?? []), probe]);
  }
  return [...groups.values()]
    .map((group) => {
      const { apiGroup, verbs, unlessResourceNames } = group[0];
      const names = new Set<string>(['*']);
      for (const { resource } of group) {
        names.add(resource);
        const subresource = resource.split('/')[1];
        if (subresource) names.add(`*/${subresource}`);
      }
      const conditions = [
        ...(unlessResourceNames ? ['size(r.resourceNames) == 0'] : []),
        `r.apiGroups.exists(g, g in ${celList(['*', apiGroup])})`,
        `r.resources.exists(x, x in ${celList(names)})`,
        `r.verbs.exists(v, v in ${celList(['*', ...verbs])})`,
      ];
      return `(${conditions.join(' && ')})`;
    })
    .join(' || ');
}

/** CEL: true when the normalized PolicyRule `r` grants a permission of `ruleId` (dangerousPermissions in CEL). */
export function dangerousRuleCel(ruleId: string): string {
  const parts: string[] = [];
  if (ruleId === RbacRuleId.WILDCARD) {
    parts.push("'*' in r.verbs || '*' in r.apiGroups || r.resources.exists(x, x == '*' || x.startsWith('*/')) || r.nonResourceURLs.exists(u, u.endsWith('*'))");
  }
  if (ruleId === RbacRuleId.ESCALATE_BIND_IMPERSONATE) parts.push(`r.verbs.exists(v, v in ${celList(DANGEROUS_VERBS)})`);
  const probes = probesOf(ruleId);
  if (probes.length > 0) parts.push(probesCel(probes));
  if (parts.length === 0) throw new Error(`no permission classification for ${ruleId}`);
  return parts.join(' || ');
}

/** The admission check of a permission rule: no PolicyRule of the object grants what the rule forbids. */
function permissionAdmission(id: string, title: string): AdmissionSpec {
  return {
    variables: [POLICY_RULES_VARIABLE],
    validations: [{ expression: `variables.policyRules.all(r, !(${dangerousRuleCel(id)}))`, message: `a rule of the role breaks: ${title}` }],
  };
}

/** Declares a rule over Role/ClusterRole rules for one kind of dangerous permission. */
export function permissionRule(metadata: Omit<RuleMetadata, 'area' | 'level' | 'kinds'>): ObjectRule {
  return objectRule({
    admission: permissionAdmission(metadata.id, metadata.title),
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
