/** The API resource of each kind a rule can judge, for the policies' matchConstraints. */
import { WORKLOAD_KIND_TABLE } from './workload-kinds';

export interface ApiResource {
  readonly group: string;
  readonly version: string;
  /** Plural resource names (a subresource as `pods/ephemeralcontainers`). */
  readonly resources: readonly string[];
}

const core = (...resources: string[]): ApiResource => ({ group: '', version: 'v1', resources });
const rbac = (resource: string): ApiResource => ({ group: 'rbac.authorization.k8s.io', version: 'v1', resources: [resource] });

/** Kinds the catalog judges: the workload kinds come from their table, the others are listed here. */
export const KIND_RESOURCES: Readonly<Record<string, ApiResource>> = {
  ...Object.fromEntries(WORKLOAD_KIND_TABLE.map((w) => [w.kind, { group: w.group, version: w.version, resources: w.resources }])),
  Role: rbac('roles'),
  ClusterRole: rbac('clusterroles'),
  RoleBinding: rbac('rolebindings'),
  ClusterRoleBinding: rbac('clusterrolebindings'),
  Namespace: core('namespaces'),
  Service: core('services'),
  ServiceAccount: core('serviceaccounts'),
  Secret: core('secrets'),
  ConfigMap: core('configmaps'),
  PersistentVolume: core('persistentvolumes'),
  NetworkPolicy: { group: 'networking.k8s.io', version: 'v1', resources: ['networkpolicies'] },
  Ingress: { group: 'networking.k8s.io', version: 'v1', resources: ['ingresses'] },
  ValidatingAdmissionPolicyBinding: { group: 'admissionregistration.k8s.io', version: 'v1', resources: ['validatingadmissionpolicybindings'] },
  ValidatingWebhookConfiguration: { group: 'admissionregistration.k8s.io', version: 'v1', resources: ['validatingwebhookconfigurations'] },
  MutatingWebhookConfiguration: { group: 'admissionregistration.k8s.io', version: 'v1', resources: ['mutatingwebhookconfigurations'] },
  ClusterImagePolicy: { group: 'policy.sigstore.dev', version: 'v1beta1', resources: ['clusterimagepolicies'] },
  ImageValidatingPolicy: { group: 'policies.kyverno.io', version: 'v1', resources: ['imagevalidatingpolicies'] },
};

/** One entry of matchConstraints.resourceRules (operations are added by the policy builder). */
export interface ResourceRule {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
}

/** The resource rules for `kinds`, one per API group and version, in a stable order. Unknown kinds are an error. */
export function resourceRulesFor(ruleId: string, kinds: readonly string[]): ResourceRule[] {
  const byGroup = new Map<string, { group: string; version: string; resources: string[] }>();
  for (const kind of kinds) {
    const resource = KIND_RESOURCES[kind];
    if (!resource) throw new Error(`rule ${ruleId} judges kind ${kind}, which has no API resource in src/core/api-resources.ts: add it there`);
    const key = `${resource.group}/${resource.version}`;
    const entry = byGroup.get(key) ?? { group: resource.group, version: resource.version, resources: [] };
    entry.resources.push(...resource.resources);
    byGroup.set(key, entry);
  }
  return [...byGroup.values()]
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
    .map((e) => ({ apiGroups: [e.group], apiVersions: [e.version], resources: [...new Set(e.resources)].sort() }));
}
