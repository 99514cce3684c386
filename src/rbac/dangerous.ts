/**
 * The one definition of a "dangerous" RBAC permission. It drives the catalog rules (src/rules/rbac), the
 * AuditedServiceAccount's synth-time errors and the docs. Permissions are probed with the authorizer's own
 * matching (matching.ts), so `verbs: ['*']` on secrets is secrets access, and `apiGroups: ['*']` reaches
 * the core group, exactly as on a cluster.
 */
import { apiGroupMatches, resourceMatches, verbMatches } from './matching';
import { PolicyRule, readBinding, readPolicyRule, subjectNamespace } from './model';
import { asArray } from '../check/json';
import type { K8sObject } from '../check/types';

/** Rule ids of the catalog's RBAC permission rules (one per kind of dangerous permission). */
export const RbacRuleId = {
  WILDCARD: 'rbac-no-wildcard',
  ESCALATE_BIND_IMPERSONATE: 'rbac-escalate-bind-impersonate',
  SECRETS_ACCESS: 'rbac-secrets-access',
  POD_EXEC_ATTACH: 'rbac-pod-exec-attach',
  CREATE_WORKLOADS: 'rbac-create-workloads',
  MODIFY_NAMESPACES: 'rbac-modify-namespaces',
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
  ...probes(RbacRuleId.SECRETS_ACCESS, '', ['secrets'], ['get', 'list', 'watch'], true),
  ...probes(RbacRuleId.POD_EXEC_ATTACH, '', ['pods/exec', 'pods/attach', 'pods/portforward'], ['create', 'get']),
  ...probes(RbacRuleId.POD_EXEC_ATTACH, '', ['pods/ephemeralcontainers'], ['update', 'patch']),
  // Changing a controller's pod template (update/patch) runs new pods exactly like creating the controller does.
  ...probes(RbacRuleId.CREATE_WORKLOADS, '', ['pods'], ['create']),
  ...probes(RbacRuleId.CREATE_WORKLOADS, '', ['replicationcontrollers', 'podtemplates'], ['create', 'update', 'patch']),
  ...probes(RbacRuleId.CREATE_WORKLOADS, 'apps', ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], ['create', 'update', 'patch']),
  ...probes(RbacRuleId.CREATE_WORKLOADS, 'batch', ['jobs', 'cronjobs'], ['create', 'update', 'patch']),
  // A namespace's labels choose its Pod Security level: whoever may relabel it may lift "restricted".
  ...probes(RbacRuleId.MODIFY_NAMESPACES, '', ['namespaces'], ['update', 'patch']),
  ...probes(RbacRuleId.NODES_PROXY, '', ['nodes/proxy'], ANY_VERB),
  ...probes(RbacRuleId.SA_TOKEN_CREATE, '', ['serviceaccounts/token'], ['create']),
  ...probes(RbacRuleId.CSR_APPROVAL, 'certificates.k8s.io', ['certificatesigningrequests/approval'], ['update', 'patch']),
  ...probes(RbacRuleId.CSR_APPROVAL, 'certificates.k8s.io', ['signers'], ['approve']),
  ...probes(
    RbacRuleId.WEBHOOK_CONFIG,
    'admissionregistration.k8s.io',
    ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
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
    ...(rule.nonResourceURLs.includes('*') ? ['nonResourceURLs'] : []),
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

/** Built-in ClusterRoles whose binding is itself a dangerous grant. */
export const BUILTIN_ADMIN_ROLES: Record<string, string> = {
  'cluster-admin': RbacRuleId.CLUSTER_ADMIN_BINDING,
  'admin': RbacRuleId.ADMIN_EDIT_BINDING,
  'edit': RbacRuleId.ADMIN_EDIT_BINDING,
};

/** Groups (and the anonymous user) that stand for "anyone": binding them grants the world. */
export const PUBLIC_SUBJECTS: ReadonlyArray<{ kind: string; name: string }> = [
  { kind: 'User', name: 'system:anonymous' },
  { kind: 'Group', name: 'system:unauthenticated' },
  { kind: 'Group', name: 'system:authenticated' },
  // A group named like the anonymous user, or a user named like the groups, is a common slip: judge the name.
  { kind: 'Group', name: 'system:anonymous' },
  { kind: 'User', name: 'system:unauthenticated' },
  { kind: 'User', name: 'system:authenticated' },
];

/** ClusterRoles every cluster has, so a binding to one is not dangling when the set lacks it. */
export function isBuiltinClusterRole(name: string): boolean {
  return name === 'cluster-admin' || name === 'admin' || name === 'edit' || name === 'view' || name.startsWith('system:');
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
    const adminRule = binding.roleRef.kind === 'ClusterRole' ? BUILTIN_ADMIN_ROLES[binding.roleRef.name] : undefined;
    if (adminRule) {
      const where = binding.kind === 'ClusterRoleBinding' ? 'in every namespace' : `in namespace ${binding.namespace ?? '(unset)'}`;
      found.push({ ruleId: adminRule, path: 'roleRef.name', message: `${label} grants the built-in ClusterRole ${binding.roleRef.name} ${where}` });
    }
    if (binding.kind === 'ClusterRoleBinding') {
      found.push({
        ruleId: RbacRuleId.CLUSTER_WIDE_BINDING,
        path: 'roleRef',
        message: `${label} grants ${binding.roleRef.kind} ${binding.roleRef.name} in every namespace and at cluster scope`,
      });
    }
    binding.subjects.forEach((subject, index) => {
      if (PUBLIC_SUBJECTS.some((p) => p.kind === subject.kind && p.name === subject.name)) {
        found.push({ ruleId: RbacRuleId.ANONYMOUS_BINDING, path: `subjects[${index}]`, message: `${label} binds ${subject.kind} ${subject.name}: anyone who reaches the API server` });
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
