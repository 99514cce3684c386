/**
 * Who may be exempt: the organisation's (at admission: the cluster's) decision, not the object author's. A waiver
 * annotation entry is honoured only where this policy permits its rule. The admission policies read the same
 * policy from their params ConfigMap (src/admission/params.ts), so every judge given the same policy reaches the
 * same verdict.
 */

/**
 * Rules about access to the node itself. They are never waivable through `allNamespaces` or `*`: only a
 * namespace the policy names, with the rule spelled out (the node agents' namespace), may waive them.
 */
export const HOST_ACCESS_RULES: readonly string[] = [
  'pod-privileged',
  'pod-host-namespaces',
  'pod-host-path-volumes',
  'pod-host-ports',
  'pod-host-probes-lifecycle',
  'pod-windows-host-process',
  'workload-host-access-outside-daemonset',
  'workload-sensitive-host-mount',
];

/** Every rule that is not a host-access rule, in a permission list. */
export const ANY_RULE = '*';

/** Which rules may be waived where. Every list holds rule ids or `*`. */
export interface WaiverPolicy {
  /**
   * Rules waivable in every namespace. Host-access rules may not appear here.
   * @default - none
   */
  readonly allNamespaces?: string[];
  /**
   * Rules waivable in one namespace (key: the namespace name). Host-access rules are waivable only here,
   * named one by one (`*` does not include them).
   * @default - none
   */
  readonly namespaces?: Record<string, string[]>;
  /**
   * Rules waivable on cluster-scoped objects (ClusterRoles, ClusterRoleBindings, ...). A Namespace object is judged
   * as part of the namespace it creates: `namespaces` and `allNamespaces` apply to it.
   * @default - none
   */
  readonly clusterScoped?: string[];
}

/** Where an object lives for the policy: a namespace, or cluster-scoped. */
export type WaiverScope = { readonly clusterScoped: true } | { readonly clusterScoped: false; readonly namespace: string };

/** Whether `policy` permits waiving `ruleId` at `scope`. Mirrored in CEL by src/admission/exemption.ts. */
export function waiverPermitted(policy: WaiverPolicy, ruleId: string, scope: WaiverScope): boolean {
  const host = HOST_ACCESS_RULES.includes(ruleId);
  // `*` never includes host access; a host-access rule counts only where a namespace names it.
  const inList = (list: readonly string[] | undefined) => (list ?? []).includes(ruleId) || (!host && (list ?? []).includes(ANY_RULE));
  if (scope.clusterScoped) return !host && inList(policy.clusterScoped);
  const own = Object.prototype.hasOwnProperty.call(policy.namespaces ?? {}, scope.namespace) ? policy.namespaces![scope.namespace] : undefined;
  return inList(own) || (!host && inList(policy.allNamespaces));
}

/** A namespace name (DNS-1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What is wrong with a policy (unknown rules, host access everywhere, bad namespace names); empty when valid. */
export function waiverPolicyErrors(policy: WaiverPolicy, knownRule: (id: string) => boolean): string[] {
  const errors: string[] = [];
  const checkList = (where: string, list: readonly string[] | undefined, hostAllowed: boolean) => {
    for (const id of list ?? []) {
      if (id === ANY_RULE) continue;
      if (!knownRule(id)) {
        errors.push(`waiver policy ${where} names unknown rule "${id}" (list the rules with \`cdk8s-hardened rules\`)`);
      } else if (!hostAllowed && HOST_ACCESS_RULES.includes(id)) {
        errors.push(`waiver policy ${where} names host-access rule ${id}: host access is waivable only in the namespaces you name (namespaces: { 'node-agents': ['${id}'] })`);
      }
    }
  };
  checkList('allNamespaces', policy.allNamespaces, false);
  checkList('clusterScoped', policy.clusterScoped, false);
  for (const [namespace, list] of Object.entries(policy.namespaces ?? {})) {
    if (!NAMESPACE.test(namespace) || namespace.length > 63) errors.push(`waiver policy namespaces: "${namespace}" is not a namespace name (a DNS-1123 label)`);
    checkList(`namespaces.${namespace}`, list, true);
  }
  return errors;
}

/** Kinds without a namespace: their waivers are judged by `clusterScoped` (a Namespace belongs to itself). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'ClusterRole', 'ClusterRoleBinding', 'Node', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition',
  'PriorityClass', 'RuntimeClass', 'IngressClass', 'CSIDriver', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService',
]);

/**
 * The scope of an object. A namespaced object that names no namespace lands in `default` when applied
 * (kubectl's and the API server's default), so that is where its waivers are judged.
 */
export function waiverScopeOf(kind: string, namespace: string | undefined, name: string): WaiverScope {
  if (kind === 'Namespace') return { clusterScoped: false, namespace: name };
  return CLUSTER_SCOPED_KINDS.has(kind) ? { clusterScoped: true } : { clusterScoped: false, namespace: namespace ?? 'default' };
}

/** Keys of the admission params ConfigMap's data that carry this policy (one comma-separated rule list each). */
export const WAIVABLE_ALL_NAMESPACES_KEY = 'waivable.all-namespaces';
export const WAIVABLE_NAMESPACE_KEY_PREFIX = 'waivable.namespace.';
export const WAIVABLE_CLUSTER_SCOPED_KEY = 'waivable.cluster-scoped';
/**
 * Params key of a rule's exemptions from the organisation policy (its `exemptions:` and team grants): RE2 patterns
 * over `kind/namespace/name`, comma-separated. The cluster, not the object's author, writes them.
 */
export const EXEMPT_KEY_PREFIX = 'exempt.';

/**
 * Key of the params ConfigMap's data holding the date (`YYYY-MM-DD`) the params were generated: admission has no
 * clock, so a waiver whose `expires` is before this date is not honoured there. Regenerating the params (a daily
 * synth) is what moves the cluster's notion of today forward.
 */
export const WAIVERS_SYNTH_DATE_KEY = 'waivers.synth-date';
