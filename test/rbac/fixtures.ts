/** Small builders for RBAC objects in tests. */
export const rbacApi = 'rbac.authorization.k8s.io/v1';

export type Rule = { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };

export const role = (name: string, namespace: string, rules: Rule[], annotations?: Record<string, string>) => ({
  apiVersion: rbacApi,
  kind: 'Role',
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  rules,
});

export const clusterRole = (name: string, rules: Rule[], extra: Record<string, unknown> = {}, labels?: Record<string, string>) => ({
  apiVersion: rbacApi,
  kind: 'ClusterRole',
  metadata: { name, ...(labels ? { labels } : {}) },
  rules,
  ...extra,
});

export type Subject = { kind: string; name: string; namespace?: string };

export const roleBinding = (name: string, namespace: string, roleRef: { kind: string; name: string }, subjects: Subject[]) => ({
  apiVersion: rbacApi,
  kind: 'RoleBinding',
  metadata: { name, namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  subjects: subjects.map((s) => (s.kind === 'ServiceAccount' ? s : { apiGroup: 'rbac.authorization.k8s.io', ...s })),
});

export const clusterRoleBinding = (name: string, roleName: string, subjects: Subject[]) => ({
  apiVersion: rbacApi,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects: subjects.map((s) => (s.kind === 'ServiceAccount' ? s : { apiGroup: 'rbac.authorization.k8s.io', ...s })),
});

export const serviceAccount = (name: string, namespace: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
