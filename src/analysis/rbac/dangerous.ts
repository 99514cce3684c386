/**
 * How "dangerous" RBAC permissions are found. What each kind of dangerous permission is (its probes, wildcards,
 * verbs) lives in its rule file under src/rules/rbac; src/rules/rbac/permissions.ts collects them into the table that
 * callers pass in. This module holds the matching, the bootstrap-role judgements and the binding and aggregation verdicts.
 * Permissions are probed with the authorizer's own matching (matching.ts), so `verbs: ['*']` on secrets is secrets
 * access, and `apiGroups: ['*']` reaches the core group, exactly as on a cluster. Bindings to built-in ClusterRoles
 * and aggregationRule selectors are judged by what the bootstrap roles (bootstrap-policy.ts) grant under the same table.
 */
import { bootstrapClusterRole, BOOTSTRAP_CLUSTER_ROLES } from './bootstrap-policy';
import { apiGroupMatches, resourceMatches, verbMatches } from './matching';
import { LabelSelector, PolicyRule, readBinding, readPolicyRule, readRole, subjectNamespace } from './model';
import { addToGroup } from '../../core/group-by';
import { asArray } from '../../core/json';
import { selectorMatches } from '../../core/label-selector';
import type { K8sObject } from '../../core/types';

/**
 * Rule ids of the catalog's RBAC rules: the names the verdicts below carry (binding and aggregation findings). What
 * the permission rules match is not here but in their rule files, passed in as a PermissionTable.
 */
export const RbacRuleId = {
  WILDCARD: 'rbac-no-wildcard',
  ESCALATE_BIND_IMPERSONATE: 'rbac-escalate-bind-impersonate',
  SECRETS_ACCESS: 'rbac-secrets-access',
  POD_EXEC_ATTACH: 'rbac-pod-exec-attach',
  CREATE_WORKLOADS: 'rbac-create-workloads',
  MODIFY_NAMESPACES: 'rbac-modify-namespaces',
  MODIFY_NODES: 'rbac-modify-nodes',
  CREATE_PERSISTENT_VOLUMES: 'rbac-create-persistentvolumes',
  CRD_WRITE: 'rbac-crd-write',
  NODES_PROXY: 'rbac-nodes-proxy',
  SA_TOKEN_CREATE: 'rbac-sa-token-create',
  CSR_APPROVAL: 'rbac-csr-approval',
  WEBHOOK_CONFIG: 'rbac-webhook-config',
  MODIFY_RBAC: 'rbac-modify-rbac',
  CLUSTER_ADMIN_BINDING: 'rbac-cluster-admin-binding',
  ADMIN_EDIT_BINDING: 'rbac-admin-edit-binding',
  ANONYMOUS_BINDING: 'rbac-anonymous-binding',
  DEFAULT_SA_BINDING: 'rbac-default-sa-binding',
  DANGLING_BINDING: 'rbac-dangling-binding',
  CLUSTER_WIDE_BINDING: 'rbac-cluster-wide-binding',
  BUILTIN_ROLE_BINDING: 'rbac-builtin-role-binding',
  AGGREGATE_ALL: 'rbac-aggregate-all',
  AGGREGATE_BUILTIN: 'rbac-aggregate-builtin',
  AGGREGATE_SELECTOR: 'rbac-aggregate-selector',
} as const;

/** One dangerous permission a rule grants. */
export interface DangerousPermission {
  /** Catalog rule that judges it (the id a waiver names). */
  readonly ruleId: string;
  /** What is granted, in words (`get on secrets without resourceNames`). */
  readonly permission: string;
}

/** A (group, resource, verbs) combination that is dangerous to grant. */
export interface Probe {
  readonly apiGroup: string;
  /** `resource` or `resource/subresource`. */
  readonly resource: string;
  readonly verbs: readonly string[];
  /** Only dangerous when the rule is not limited to named objects. */
  readonly unlessResourceNames?: boolean;
}

/** What one kind of dangerous permission is: the `rbac` data of its rule file under src/rules/rbac. */
export interface PermissionMatch {
  /** `*` in verbs, apiGroups or resources (also `*\/sub`), or a nonResourceURL ending in `*`. */
  readonly wildcards?: boolean;
  /** Verbs dangerous on any resource (a custom resource named like a built-in is no excuse). */
  readonly anyResourceVerbs?: readonly string[];
  /** The (group, resource, verbs) combinations, matched as the authorizer matches them. */
  readonly probes?: readonly Probe[];
}

/** One kind of dangerous permission with the rule id that judges it. */
export interface PermissionClass extends PermissionMatch {
  readonly ruleId: string;
}

/**
 * The classification: every kind of dangerous permission, in the order they are listed. The catalog builds it from
 * its rule files (src/rules/rbac/permissions.ts) and passes it in: this layer holds the matching, not the data.
 */
export type PermissionTable = readonly PermissionClass[];

/** A nonResourceURL that grants a whole subtree (`*`, `/logs/*`, `/api*`): open-ended like a resource wildcard. */
export function isWildcardUrl(url: string): boolean {
  return url.endsWith('*');
}

function groupLabel(group: string): string {
  return group === '' ? 'core' : group;
}

/** The dangerous permissions one rule grants: one entry per kind in `table` (by rule id), naming everything it covers. */
export function dangerousPermissions(rule: PolicyRule, table: PermissionTable): DangerousPermission[] {
  const found: DangerousPermission[] = [];
  for (const kind of table) {
    const permissions: string[] = [];
    const add = (permission: string) => {
      if (!permissions.includes(permission)) permissions.push(permission);
    };
    if (kind.wildcards) {
      const wildcards = [
        ...(rule.verbs.includes('*') ? ['verbs'] : []),
        ...(rule.apiGroups.includes('*') ? ['apiGroups'] : []),
        ...(rule.resources.some((r) => r === '*' || r.startsWith('*/')) ? ['resources'] : []),
        ...(rule.nonResourceURLs.some(isWildcardUrl) ? ['nonResourceURLs'] : []),
      ];
      if (wildcards.length > 0) add(`"*" in ${wildcards.join(', ')}`);
    }
    for (const verb of kind.anyResourceVerbs ?? []) {
      if (rule.verbs.includes(verb)) add(`verb ${verb}`);
    }
    for (const probe of kind.probes ?? []) {
      if (probe.unlessResourceNames && rule.resourceNames.length > 0) continue;
      if (!apiGroupMatches(rule, probe.apiGroup)) continue;
      const [resource, subresource] = probe.resource.split('/');
      if (!resourceMatches(rule, probe.resource, subresource)) continue;
      const verbs = probe.verbs.filter((v) => verbMatches(rule, v));
      if (verbs.length === 0) continue;
      const names = probe.unlessResourceNames ? ' without resourceNames' : '';
      add(`${verbs.join('/')} on ${groupLabel(probe.apiGroup)} ${subresource ? `${resource}/${subresource}` : resource}${names}`);
    }
    if (permissions.length > 0) found.push({ ruleId: kind.ruleId, permission: permissions.join(', ') });
  }
  return found;
}

/** A dangerous permission found in a Role or ClusterRole, with its JSON path. */
export interface RoleFinding extends DangerousPermission {
  readonly path: string;
}

interface Cache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/** The cache of one table: results are computed once per table and object (or role name). */
function cacheOf<K, V>(caches: WeakMap<PermissionTable, Cache<K, V>>, table: PermissionTable, create: () => Cache<K, V>): Cache<K, V> {
  let cache = caches.get(table);
  if (!cache) {
    cache = create();
    caches.set(table, cache);
  }
  return cache;
}

const roleCaches = new WeakMap<PermissionTable, Cache<object, RoleFinding[]>>();

/** Every dangerous permission of a Role/ClusterRole object, computed once per object and table. */
export function dangerousPermissionsOfRole(object: K8sObject, table: PermissionTable): RoleFinding[] {
  const cache = cacheOf(roleCaches, table, () => new WeakMap<object, RoleFinding[]>());
  let cached = cache.get(object);
  if (!cached) {
    cached = asArray(object.rules).flatMap((raw, index) =>
      dangerousPermissions(readPolicyRule(raw), table).map((d) => ({ ...d, path: `rules[${index}]` })),
    );
    cache.set(object, cached);
  }
  return cached;
}

/** Built-in ClusterRoles whose binding is itself a dangerous grant, with a rule of their own. */
export const BUILTIN_ADMIN_ROLES: Record<string, string> = {
  'cluster-admin': RbacRuleId.CLUSTER_ADMIN_BINDING,
  'admin': RbacRuleId.ADMIN_EDIT_BINDING,
  'edit': RbacRuleId.ADMIN_EDIT_BINDING,
};

/** A subject that stands for "anyone" (or every workload): binding it grants the world. */
export interface PublicSubject {
  readonly kind: string;
  readonly name: string;
  /** Matches every name that starts with `name` (`system:serviceaccounts:` is every namespace's group). */
  readonly prefix?: boolean;
}

/** Groups (and the anonymous user) that stand for "anyone": binding them grants the world. */
export const PUBLIC_SUBJECTS: readonly PublicSubject[] = [
  { kind: 'User', name: 'system:anonymous' },
  { kind: 'Group', name: 'system:unauthenticated' },
  { kind: 'Group', name: 'system:authenticated' },
  // Every service account of the cluster, or of one namespace: every pod there, whoever deployed it.
  { kind: 'Group', name: 'system:serviceaccounts' },
  { kind: 'Group', name: 'system:serviceaccounts:', prefix: true },
  // A group named like the anonymous user, or a user named like the groups, is a common slip: judge the name.
  { kind: 'Group', name: 'system:anonymous' },
  { kind: 'User', name: 'system:unauthenticated' },
  { kind: 'User', name: 'system:authenticated' },
];

/** Whether a binding subject is one of PUBLIC_SUBJECTS. */
export function isPublicSubject(kind: string, name: string): boolean {
  return PUBLIC_SUBJECTS.some((p) => p.kind === kind && (p.prefix ? name.startsWith(p.name) : name === p.name));
}

/** ClusterRoles every cluster has (the bootstrap policy), so a binding to one is not dangling when the set lacks it. */
export function isBuiltinClusterRole(name: string): boolean {
  return bootstrapClusterRole(name) !== undefined;
}

/** The rules a bootstrap ClusterRole grants, aggregation (admin, edit, view) resolved within the bootstrap policy. */
export function bootstrapRules(name: string, visiting: Set<string> = new Set()): PolicyRule[] {
  const role = bootstrapClusterRole(name);
  if (!role || visiting.has(name)) return [];
  if (!role.aggregationSelectors) return [...role.rules];
  visiting.add(name);
  const selected = BOOTSTRAP_CLUSTER_ROLES.filter((c) => c.name !== name && role.aggregationSelectors!.some((s) => selectorMatches('aggregationRule', s, c.labels)));
  const rules = selected.flatMap((c) => bootstrapRules(c.name, visiting));
  visiting.delete(name);
  return rules;
}

const builtinGrantCaches = new WeakMap<PermissionTable, Cache<string, DangerousPermission[]>>();

/**
 * What binding a bootstrap ClusterRole hands out: the dangerous permissions of its rules, by rule id. Wildcards are
 * left out: that kind asks for reviewable roles, and upstream wrote these; what a wildcard reaches is judged by the
 * other kinds, which match wildcards as the authorizer does.
 */
export function builtinRoleGrants(name: string, table: PermissionTable): DangerousPermission[] {
  const cache = cacheOf(builtinGrantCaches, table, () => new Map<string, DangerousPermission[]>());
  let cached = cache.get(name);
  if (!cached) {
    const byRule = new Map<string, string[]>();
    const judged = withoutWildcards(table);
    for (const rule of bootstrapRules(name)) {
      for (const d of dangerousPermissions(rule, judged)) addToGroup(byRule, d.ruleId, d.permission);
    }
    cached = [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ruleId, permissions]) => ({ ruleId, permission: permissions.join(', ') }));
    cache.set(name, cached);
  }
  return cached;
}

const withoutWildcardsCache = new WeakMap<PermissionTable, PermissionTable>();

/** The table without its wildcard matching (kept per table, so the caches keyed by table stay warm). */
function withoutWildcards(table: PermissionTable): PermissionTable {
  let judged = withoutWildcardsCache.get(table);
  if (!judged) {
    judged = table.flatMap((kind) => {
      if (!kind.wildcards) return [kind];
      const { wildcards: _dropped, ...rest } = kind;
      return rest.anyResourceVerbs || rest.probes ? [rest] : [];
    });
    withoutWildcardsCache.set(table, judged);
  }
  return judged;
}

/** Bootstrap ClusterRoles (besides cluster-admin, admin and edit) whose binding grants a dangerous permission, sorted. */
export function dangerousBuiltinRoles(table: PermissionTable): string[] {
  return BOOTSTRAP_CLUSTER_ROLES.map((r) => r.name)
    .filter((name) => !BUILTIN_ADMIN_ROLES[name] && builtinRoleGrants(name, table).length > 0)
    .sort();
}

function describeGrants(grants: readonly DangerousPermission[]): string {
  return grants.map((g) => `${g.permission} (${g.ruleId})`).join('; ');
}

/** A dangerous grant made by a binding itself (whom it binds, to what, how widely). */
export interface BindingFinding {
  readonly ruleId: string;
  readonly path: string;
  readonly message: string;
}

const bindingCaches = new WeakMap<PermissionTable, Cache<object, BindingFinding[]>>();

/** Every dangerous aspect of a RoleBinding/ClusterRoleBinding object, computed once per object and table. */
export function dangerousBindingFindings(object: K8sObject, table: PermissionTable): BindingFinding[] {
  const bindingCache = cacheOf(bindingCaches, table, () => new WeakMap<object, BindingFinding[]>());
  const cached = bindingCache.get(object);
  if (cached) return cached;
  const binding = readBinding(object);
  const found: BindingFinding[] = [];
  if (binding) {
    const label = `${binding.kind} "${binding.name}"`;
    const where = binding.kind === 'ClusterRoleBinding' ? 'in every namespace' : `in namespace ${binding.namespace ?? '(unset)'}`;
    const isClusterRole = binding.roleRef.kind === 'ClusterRole';
    const adminRule = isClusterRole ? BUILTIN_ADMIN_ROLES[binding.roleRef.name] : undefined;
    if (adminRule) {
      found.push({ ruleId: adminRule, path: 'roleRef.name', message: `${label} grants the built-in ClusterRole ${binding.roleRef.name} ${where}` });
    } else if (isClusterRole && isBuiltinClusterRole(binding.roleRef.name)) {
      const grants = builtinRoleGrants(binding.roleRef.name, table);
      if (grants.length > 0) {
        found.push({
          ruleId: RbacRuleId.BUILTIN_ROLE_BINDING,
          path: 'roleRef.name',
          message: `${label} grants the built-in ClusterRole ${binding.roleRef.name} ${where}, which grants ${describeGrants(grants)}`,
        });
      }
    }
    if (binding.kind === 'ClusterRoleBinding') {
      found.push({
        ruleId: RbacRuleId.CLUSTER_WIDE_BINDING,
        path: 'roleRef',
        message: `${label} grants ${binding.roleRef.kind} ${binding.roleRef.name} in every namespace and at cluster scope`,
      });
    }
    binding.subjects.forEach((subject, index) => {
      if (isPublicSubject(subject.kind, subject.name)) {
        const who = subject.name.startsWith('system:serviceaccounts')
          ? 'every service account it names, so every pod that runs as one'
          : 'anyone who reaches the API server';
        found.push({ ruleId: RbacRuleId.ANONYMOUS_BINDING, path: `subjects[${index}]`, message: `${label} binds ${subject.kind} ${subject.name}: ${who}` });
      }
      if (subject.kind === 'ServiceAccount' && subject.name === 'default') {
        found.push({
          ruleId: RbacRuleId.DEFAULT_SA_BINDING,
          path: `subjects[${index}]`,
          message: `${label} binds the default ServiceAccount of namespace ${subjectNamespace(subject, binding) ?? '(unset)'}, which every pod without its own account uses`,
        });
      }
    });
  }
  bindingCache.set(object, found);
  return found;
}

/** `{a=b, c In (d)}`: a selector as people read it. */
export function describeSelector(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...selector.matchExpressions.map((e) => `${e.key} ${e.operator}${e.values.length > 0 ? ` (${e.values.join(', ')})` : ''}`),
  ];
  return `{${parts.join(', ')}}`;
}

/** The bootstrap ClusterRoles a selector collects (aggregation copies their rules into the aggregating role). */
export function bootstrapRolesSelected(selector: LabelSelector): string[] {
  return BOOTSTRAP_CLUSTER_ROLES.filter((role) => selectorMatches('aggregationRule', selector, role.labels)).map((role) => role.name);
}

/** A dangerous aggregationRule selector of a ClusterRole, judged by what it can collect. */
export interface AggregationFinding {
  readonly ruleId: string;
  readonly path: string;
  readonly message: string;
}

const aggregationCaches = new WeakMap<PermissionTable, Cache<object, AggregationFinding[]>>();

/**
 * The object-decidable verdicts on an aggregationRule: a selector that collects cluster-admin (an empty selector
 * collects every ClusterRole) and a selector that copies built-in roles with dangerous grants. Both hold on any
 * cluster, whatever else the set contains, because every cluster has the bootstrap roles with these labels.
 */
export function aggregationFindings(object: K8sObject, table: PermissionTable): AggregationFinding[] {
  const aggregationCache = cacheOf(aggregationCaches, table, () => new WeakMap<object, AggregationFinding[]>());
  const cached = aggregationCache.get(object);
  if (cached) return cached;
  const role = readRole(object);
  const found: AggregationFinding[] = [];
  (role?.aggregationSelectors ?? []).forEach((selector, index) => {
    const path = `aggregationRule.clusterRoleSelectors[${index}]`;
    const label = `ClusterRole "${role!.name}"`;
    const selected = bootstrapRolesSelected(selector);
    if (selected.includes('cluster-admin')) {
      const empty = Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
      found.push({
        ruleId: RbacRuleId.AGGREGATE_ALL,
        path,
        message: empty
          ? `${label} aggregates with an empty selector: it collects every ClusterRole of the cluster, cluster-admin included`
          : `${label} aggregates with selector ${describeSelector(selector)}, which the built-in cluster-admin matches: it collects every permission`,
      });
    }
    const copied = selected.filter((name) => name !== 'cluster-admin' && builtinRoleGrantsAsCopied(name, table).length > 0);
    if (copied.length > 0) {
      const grants = mergeGrants(copied.map((name) => builtinRoleGrantsAsCopied(name, table)));
      found.push({
        ruleId: RbacRuleId.AGGREGATE_BUILTIN,
        path,
        message: `${label} aggregates with selector ${describeSelector(selector)}, which copies the built-in ClusterRoles ${copied.join(', ')}: ${describeGrants(grants)}`,
      });
    }
  });
  aggregationCache.set(object, found);
  return found;
}

/** What copying a bootstrap role by aggregation brings: the grants of its rules (an aggregated role's own rules are its aggregation). */
function builtinRoleGrantsAsCopied(name: string, table: PermissionTable): DangerousPermission[] {
  const grants = builtinRoleGrants(name, table);
  return BUILTIN_ADMIN_ROLES[name] ? [{ ruleId: BUILTIN_ADMIN_ROLES[name], permission: `everything ${name} grants` }, ...grants] : grants;
}

function mergeGrants(lists: ReadonlyArray<readonly DangerousPermission[]>): DangerousPermission[] {
  const byRule = new Map<string, Set<string>>();
  for (const g of lists.flat()) byRule.set(g.ruleId, (byRule.get(g.ruleId) ?? new Set()).add(g.permission));
  return [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ruleId, set]) => ({ ruleId, permission: [...set].join(', ') }));
}

/** The label sets of the bootstrap roles an AGGREGATE_BUILTIN selector must not reach (for the admission CEL), deduplicated. */
export function dangerousBuiltinLabelSets(table: PermissionTable): Array<Record<string, string>> {
  const seen = new Map<string, Record<string, string>>();
  for (const role of BOOTSTRAP_CLUSTER_ROLES) {
    if (role.name === 'cluster-admin' || builtinRoleGrantsAsCopied(role.name, table).length === 0) continue;
    seen.set(JSON.stringify(Object.entries(role.labels).sort()), role.labels);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, labels]) => labels);
}

/** The label set of the bootstrap cluster-admin (for the admission CEL of AGGREGATE_ALL). */
export function clusterAdminLabels(): Record<string, string> {
  return bootstrapClusterRole('cluster-admin')!.labels;
}
