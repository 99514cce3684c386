/**
 * The one definition of a "dangerous" RBAC permission. It drives the catalog rules (src/rules/rbac) and their
 * admission CEL, the AuditedServiceAccount's synth-time errors and the docs. Permissions are probed with the
 * authorizer's own matching (matching.ts), so `verbs: ['*']` on secrets is secrets access, and `apiGroups: ['*']`
 * reaches the core group, exactly as on a cluster. Bindings to built-in ClusterRoles and aggregationRule
 * selectors are judged by what the bootstrap roles (bootstrap-policy.ts) grant under this same classification.
 */
import { bootstrapClusterRole, BOOTSTRAP_CLUSTER_ROLES } from './bootstrap-policy';
import { apiGroupMatches, resourceMatches, verbMatches } from './matching';
import { LabelSelector, PolicyRule, readBinding, readPolicyRule, readRole, subjectNamespace } from './model';
import { asArray } from '../../core/json';
import { selectorMatches } from '../../core/label-selector';
import type { K8sObject } from '../../core/types';

/** Rule ids of the catalog's RBAC permission rules (one per kind of dangerous permission). */
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
  readonly ruleId: string;
  readonly apiGroup: string;
  /** `resource` or `resource/subresource`. */
  readonly resource: string;
  readonly verbs: readonly string[];
  /** Only dangerous when the rule is not limited to named objects. */
  readonly unlessResourceNames?: boolean;
}

const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;
const ANY_VERB = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'connect', 'proxy'];

const probes = (ruleId: string, apiGroup: string, resources: readonly string[], verbs: readonly string[], unlessResourceNames?: boolean): Probe[] =>
  resources.map((resource) => ({ ruleId, apiGroup, resource, verbs, unlessResourceNames }));

const PROBES: readonly Probe[] = [
  ...probes(RbacRuleId.ESCALATE_BIND_IMPERSONATE, 'rbac.authorization.k8s.io', ['roles', 'clusterroles'], ['escalate', 'bind']),
  ...probes(RbacRuleId.ESCALATE_BIND_IMPERSONATE, '', ['users', 'groups', 'serviceaccounts'], ['impersonate']),
  ...probes(RbacRuleId.ESCALATE_BIND_IMPERSONATE, 'authentication.k8s.io', ['userextras', 'uids'], ['impersonate']),
  // The response to update and patch carries the whole Secret, so a write is a read too.
  ...probes(RbacRuleId.SECRETS_ACCESS, '', ['secrets'], ['get', 'list', 'watch', 'update', 'patch'], true),
  ...probes(RbacRuleId.POD_EXEC_ATTACH, '', ['pods/exec', 'pods/attach', 'pods/portforward'], ['create', 'get']),
  ...probes(RbacRuleId.POD_EXEC_ATTACH, '', ['pods/ephemeralcontainers'], ['update', 'patch']),
  // Changing a controller's pod template (update/patch) runs new pods exactly like creating the controller does;
  // patching a running pod swaps its container images.
  ...probes(RbacRuleId.CREATE_WORKLOADS, '', ['pods'], ['create', 'update', 'patch']),
  ...probes(RbacRuleId.CREATE_WORKLOADS, '', ['replicationcontrollers', 'podtemplates'], ['create', 'update', 'patch']),
  ...probes(RbacRuleId.CREATE_WORKLOADS, 'apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], ['create', 'update', 'patch']),
  ...probes(RbacRuleId.CREATE_WORKLOADS, 'batch', ['jobs', 'cronjobs'], ['create', 'update', 'patch']),
  // A namespace's labels choose its Pod Security level: whoever may relabel it may lift "restricted".
  ...probes(RbacRuleId.MODIFY_NAMESPACES, '', ['namespaces'], ['update', 'patch']),
  // A node's labels and taints steer which pods land on it; its status names the addresses the API server dials.
  ...probes(RbacRuleId.MODIFY_NODES, '', ['nodes', 'nodes/status'], ['update', 'patch']),
  // A hostPath or local PersistentVolume mounts a node's filesystem into whichever pod claims it.
  ...probes(RbacRuleId.CREATE_PERSISTENT_VOLUMES, '', ['persistentvolumes'], ['create']),
  ...probes(RbacRuleId.CRD_WRITE, 'apiextensions.k8s.io', ['customresourcedefinitions'], WRITE),
  ...probes(RbacRuleId.NODES_PROXY, '', ['nodes/proxy'], ANY_VERB),
  ...probes(RbacRuleId.SA_TOKEN_CREATE, '', ['serviceaccounts/token'], ['create']),
  ...probes(RbacRuleId.CSR_APPROVAL, 'certificates.k8s.io', ['certificatesigningrequests/approval'], ['update', 'patch']),
  ...probes(RbacRuleId.CSR_APPROVAL, 'certificates.k8s.io', ['signers'], ['approve']),
  ...probes(
    RbacRuleId.WEBHOOK_CONFIG,
    'admissionregistration.k8s.io',
    [
      'mutatingwebhookconfigurations',
      'validatingwebhookconfigurations',
      'validatingadmissionpolicies',
      'validatingadmissionpolicybindings',
      'mutatingadmissionpolicies',
      'mutatingadmissionpolicybindings',
    ],
    WRITE,
  ),
  ...probes(
    RbacRuleId.MODIFY_RBAC,
    'rbac.authorization.k8s.io',
    ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'],
    ['create', 'update', 'patch'],
  ),
];

/** The verbs that are dangerous on their own, whatever the resource (a custom resource named like a built-in is no excuse). */
export const DANGEROUS_VERBS = ['escalate', 'bind', 'impersonate'];

/** The probes of one catalog rule (the admission policies compile them to CEL). */
export function probesOf(ruleId: string): readonly Probe[] {
  return PROBES.filter((p) => p.ruleId === ruleId);
}

/** Every probe, in table order (docs/rbac.md is generated from it). */
export function allProbes(): readonly Probe[] {
  return PROBES;
}

/** A nonResourceURL that grants a whole subtree (`*`, `/logs/*`, `/api*`): open-ended like a resource wildcard. */
export function isWildcardUrl(url: string): boolean {
  return url.endsWith('*');
}

function groupLabel(group: string): string {
  return group === '' ? 'core' : group;
}

/** The dangerous permissions one rule grants: one entry per catalog rule id, naming everything it covers. */
export function dangerousPermissions(rule: PolicyRule): DangerousPermission[] {
  const byRule = new Map<string, string[]>();
  const add = (ruleId: string, permission: string) => {
    const list = byRule.get(ruleId) ?? [];
    if (!list.includes(permission)) list.push(permission);
    byRule.set(ruleId, list);
  };

  const wildcards = [
    ...(rule.verbs.includes('*') ? ['verbs'] : []),
    ...(rule.apiGroups.includes('*') ? ['apiGroups'] : []),
    ...(rule.resources.some((r) => r === '*' || r.startsWith('*/')) ? ['resources'] : []),
    ...(rule.nonResourceURLs.some(isWildcardUrl) ? ['nonResourceURLs'] : []),
  ];
  if (wildcards.length > 0) add(RbacRuleId.WILDCARD, `"*" in ${wildcards.join(', ')}`);

  for (const verb of DANGEROUS_VERBS) {
    if (rule.verbs.includes(verb)) add(RbacRuleId.ESCALATE_BIND_IMPERSONATE, `verb ${verb}`);
  }

  for (const probe of PROBES) {
    if (probe.unlessResourceNames && rule.resourceNames.length > 0) continue;
    if (!apiGroupMatches(rule, probe.apiGroup)) continue;
    const [resource, subresource] = probe.resource.split('/');
    if (!resourceMatches(rule, probe.resource, subresource)) continue;
    const verbs = probe.verbs.filter((v) => verbMatches(rule, v));
    if (verbs.length === 0) continue;
    const names = probe.unlessResourceNames ? ' without resourceNames' : '';
    add(probe.ruleId, `${verbs.join('/')} on ${groupLabel(probe.apiGroup)} ${subresource ? `${resource}/${subresource}` : resource}${names}`);
  }
  return [...byRule.entries()].map(([ruleId, permissions]) => ({ ruleId, permission: permissions.join(', ') }));
}

/** A dangerous permission found in a Role or ClusterRole, with its JSON path. */
export interface RoleFinding extends DangerousPermission {
  readonly path: string;
}

const roleCache = new WeakMap<object, RoleFinding[]>();

/** Every dangerous permission of a Role/ClusterRole object, computed once per object. */
export function dangerousPermissionsOfRole(object: K8sObject): RoleFinding[] {
  let cached = roleCache.get(object);
  if (!cached) {
    cached = asArray(object.rules).flatMap((raw, index) =>
      dangerousPermissions(readPolicyRule(raw)).map((d) => ({ ...d, path: `rules[${index}]` })),
    );
    roleCache.set(object, cached);
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

/**
 * What binding a bootstrap ClusterRole hands out: the dangerous permissions of its rules, by rule id. The wildcard
 * rule is left out: it asks for reviewable roles, and upstream wrote these; what a wildcard reaches is judged by the
 * other rules, which match wildcards as the authorizer does.
 */
const builtinGrantCache = new Map<string, DangerousPermission[]>();
export function builtinRoleGrants(name: string): DangerousPermission[] {
  let cached = builtinGrantCache.get(name);
  if (!cached) {
    const byRule = new Map<string, string[]>();
    for (const rule of bootstrapRules(name)) {
      for (const d of dangerousPermissions(rule)) {
        if (d.ruleId === RbacRuleId.WILDCARD) continue;
        byRule.set(d.ruleId, [...(byRule.get(d.ruleId) ?? []), d.permission]);
      }
    }
    cached = [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ruleId, permissions]) => ({ ruleId, permission: permissions.join(', ') }));
    builtinGrantCache.set(name, cached);
  }
  return cached;
}

/** Bootstrap ClusterRoles (besides cluster-admin, admin and edit) whose binding grants a dangerous permission, sorted. */
export function dangerousBuiltinRoles(): string[] {
  return BOOTSTRAP_CLUSTER_ROLES.map((r) => r.name)
    .filter((name) => !BUILTIN_ADMIN_ROLES[name] && builtinRoleGrants(name).length > 0)
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

const bindingCache = new WeakMap<object, BindingFinding[]>();

/** Every dangerous aspect of a RoleBinding/ClusterRoleBinding object, computed once per object. */
export function dangerousBindingFindings(object: K8sObject): BindingFinding[] {
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
      const grants = builtinRoleGrants(binding.roleRef.name);
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

const aggregationCache = new WeakMap<object, AggregationFinding[]>();

/**
 * The object-decidable verdicts on an aggregationRule: a selector that collects cluster-admin (an empty selector
 * collects every ClusterRole) and a selector that copies built-in roles with dangerous grants. Both hold on any
 * cluster, whatever else the set contains, because every cluster has the bootstrap roles with these labels.
 */
export function aggregationFindings(object: K8sObject): AggregationFinding[] {
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
    const copied = selected.filter((name) => name !== 'cluster-admin' && builtinRoleGrantsAsCopied(name).length > 0);
    if (copied.length > 0) {
      const grants = mergeGrants(copied.map(builtinRoleGrantsAsCopied));
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
function builtinRoleGrantsAsCopied(name: string): DangerousPermission[] {
  return BUILTIN_ADMIN_ROLES[name] ? [{ ruleId: BUILTIN_ADMIN_ROLES[name], permission: `everything ${name} grants` }, ...builtinRoleGrants(name)] : builtinRoleGrants(name);
}

function mergeGrants(lists: ReadonlyArray<readonly DangerousPermission[]>): DangerousPermission[] {
  const byRule = new Map<string, Set<string>>();
  for (const g of lists.flat()) byRule.set(g.ruleId, (byRule.get(g.ruleId) ?? new Set()).add(g.permission));
  return [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ruleId, set]) => ({ ruleId, permission: [...set].join(', ') }));
}

/** The label sets of the bootstrap roles an AGGREGATE_BUILTIN selector must not reach (for the admission CEL), deduplicated. */
export function dangerousBuiltinLabelSets(): Array<Record<string, string>> {
  const seen = new Map<string, Record<string, string>>();
  for (const role of BOOTSTRAP_CLUSTER_ROLES) {
    if (role.name === 'cluster-admin' || builtinRoleGrantsAsCopied(role.name).length === 0) continue;
    seen.set(JSON.stringify(Object.entries(role.labels).sort()), role.labels);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, labels]) => labels);
}

/** The label set of the bootstrap cluster-admin (for the admission CEL of AGGREGATE_ALL). */
export function clusterAdminLabels(): Record<string, string> {
  return bootstrapClusterRole('cluster-admin')!.labels;
}
