/**
 * Shared shape of the RBAC permission rules: each rule file declares what it matches (`rbac`: probes, wildcards,
 * verbs), judges every rule of a Role or ClusterRole with the matcher of src/analysis/rbac/dangerous.ts, and compiles
 * its admission CEL from the same data, so the cluster and the checker cannot drift apart.
 */
import { dangerousPermissionsOfRole, PermissionMatch, PermissionTable, Probe } from '../../analysis/rbac/dangerous';
import { addToGroup } from '../../core/group-by';
import { celList } from '../kit/cel';
import { AdmissionSpec, objectRule, ObjectRule, RuleMetadata } from '../rule';

export const ROLE_KINDS: readonly string[] = ['Role', 'ClusterRole'];
export const BINDING_KINDS: readonly string[] = ['RoleBinding', 'ClusterRoleBinding'];

/** The verbs that write an object. */
export const WRITE_VERBS: readonly string[] = ['create', 'update', 'patch', 'delete', 'deletecollection'];
/** Every verb a resource can be granted with (nodes/proxy is dangerous whatever the verb). */
export const ANY_VERB: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'connect', 'proxy'];

/** Probes of one API group and verbs, one per resource (`resource` or `resource/subresource`). */
export function probes(
  apiGroup: string,
  resources: readonly string[],
  verbs: readonly string[],
  options: { unlessResourceNames?: boolean } = {},
): Probe[] {
  const names = options.unlessResourceNames ? { unlessResourceNames: true } : {};
  return resources.map((resource) => ({ apiGroup, resource, verbs, ...names }));
}

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
function probesCel(list: readonly Probe[]): string {
  const groups = new Map<string, Probe[]>();
  for (const probe of list) {
    const key = JSON.stringify([probe.apiGroup, probe.verbs, probe.unlessResourceNames === true]);
    addToGroup(groups, key, probe);
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

/** CEL: true when the normalized PolicyRule `r` grants a permission `match` describes (dangerousPermissions in CEL). */
export function dangerousRuleCel(id: string, match: PermissionMatch): string {
  const parts: string[] = [];
  if (match.wildcards) {
    parts.push("'*' in r.verbs || '*' in r.apiGroups || r.resources.exists(x, x == '*' || x.startsWith('*/')) || r.nonResourceURLs.exists(u, u.endsWith('*'))");
  }
  if (match.anyResourceVerbs && match.anyResourceVerbs.length > 0) parts.push(`r.verbs.exists(v, v in ${celList(match.anyResourceVerbs)})`);
  if (match.probes && match.probes.length > 0) parts.push(probesCel(match.probes));
  if (parts.length === 0) throw new Error(`${id}: its rbac data matches nothing (give probes, wildcards or anyResourceVerbs)`);
  return parts.join(' || ');
}

/** The admission check of a permission rule: no PolicyRule of the object grants what the rule forbids. */
function permissionAdmission(id: string, title: string, match: PermissionMatch): AdmissionSpec {
  return {
    variables: [POLICY_RULES_VARIABLE],
    validations: [{ expression: `variables.policyRules.all(r, !(${dangerousRuleCel(id, match)}))`, message: `a rule of the role breaks: ${title}` }],
  };
}

/** Declares a rule over Role/ClusterRole rules for one kind of dangerous permission, described by its `rbac` data. */
export function permissionRule(metadata: Omit<RuleMetadata, 'area' | 'level' | 'kinds' | 'rbac'> & { readonly rbac: PermissionMatch }): ObjectRule {
  // The rule judges only its own kind of permission: a table of one.
  const own: PermissionTable = [{ ruleId: metadata.id, ...metadata.rbac }];
  return objectRule({
    admission: permissionAdmission(metadata.id, metadata.title, metadata.rbac),
    ...metadata,
    area: 'rbac',
    level: 'restricted',
    kinds: ROLE_KINDS,
    check(view) {
      return dangerousPermissionsOfRole(view.object, own).map((d) => ({ path: d.path, message: `${view.kind} "${view.name}" grants ${d.permission}` }));
    },
  });
}
