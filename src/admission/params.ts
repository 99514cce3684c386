/**
 * The params object of the admission policies: one ConfigMap (paramKind v1/ConfigMap, no CRD) that holds the
 * cluster's data, so an allow-list change is a ConfigMap edit, not new CEL. Every binding references it with
 * `parameterNotFoundAction: Deny`: without it nothing is admitted, rather than exemptions or allow-lists being
 * silently dropped. Keys (ConfigMap keys allow `[-._a-zA-Z0-9]`; namespace names hold no `.`):
 *
 *   waivable.all-namespaces      rule ids (or `*`) waivable everywhere, comma-separated; never host access
 *   waivable.namespace.<ns>      rule ids (or `*`) waivable in namespace <ns>; host-access rules only here, by name
 *   waivable.cluster-scoped      rule ids (or `*`) waivable on cluster-scoped objects
 *   exempt.<rule-id>             the policy's exemptions and team grants for the rule: RE2 patterns over
 *                                `kind/namespace/name`, comma-separated
 *   waivers.synth-date           the day the params were generated (YYYY-MM-DD): admission's "today" for waiver expiry
 */
import type { K8sObject } from '../core/types';
import { EXEMPT_KEY_PREFIX, WAIVABLE_ALL_NAMESPACES_KEY, WAIVABLE_CLUSTER_SCOPED_KEY, WAIVABLE_NAMESPACE_KEY_PREFIX, WaiverPolicy } from '../core/waiver-policy';
import { Exemption, exemptionPattern } from '../engine/exemptions';

/** Name of the params ConfigMap. */
export const PARAMS_NAME = 'hardened-admission-params';
/** Namespace of the params ConfigMap unless given: only cluster administrators should be able to write it. */
export const DEFAULT_PARAMS_NAMESPACE = 'kube-system';

export { WAIVABLE_ALL_NAMESPACES_KEY, WAIVABLE_CLUSTER_SCOPED_KEY, WAIVABLE_NAMESPACE_KEY_PREFIX } from '../core/waiver-policy';

/** Where the policies find their params. */
export interface ParamsLocation {
  readonly name: string;
  readonly namespace: string;
}

/** A rule-id list as a ConfigMap value: sorted, unique, comma-separated. */
function list(ids: readonly string[] | undefined): string | undefined {
  const unique = [...new Set(ids ?? [])].sort();
  return unique.length > 0 ? unique.join(',') : undefined;
}

/** The ConfigMap data for a waiver policy (keys sorted, empty lists left out). */
export function waiverParamsData(policy: WaiverPolicy): Record<string, string> {
  const entries: Array<[string, string | undefined]> = [
    [WAIVABLE_ALL_NAMESPACES_KEY, list(policy.allNamespaces)],
    [WAIVABLE_CLUSTER_SCOPED_KEY, list(policy.clusterScoped)],
    ...Object.entries(policy.namespaces ?? {}).map(([ns, ids]): [string, string | undefined] => [`${WAIVABLE_NAMESPACE_KEY_PREFIX}${ns}`, list(ids)]),
  ];
  const data: Record<string, string> = {};
  for (const [key, value] of entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) if (value !== undefined) data[key] = value;
  return data;
}

/**
 * The ConfigMap data for the policy's exemptions (grants included), one key per rule; locked rules get none,
 * as their policies have no exemption (the engine does not apply them either). An exemption expired on `today`
 * (the synth date) is left out: the cluster has no clock, so expiry takes effect when the params are regenerated.
 */
export function exemptionParamsData(exemptions: readonly Exemption[], lockedRules: readonly string[] = [], today?: string): Record<string, string> {
  const locked = new Set(lockedRules);
  const patterns = new Map<string, Set<string>>();
  for (const e of exemptions) {
    if (locked.has(e.ruleId)) continue;
    if (today !== undefined && e.expires !== undefined && e.expires < today) continue;
    patterns.set(e.ruleId, (patterns.get(e.ruleId) ?? new Set()).add(exemptionPattern(e)));
  }
  const data: Record<string, string> = {};
  for (const ruleId of [...patterns.keys()].sort()) data[`${EXEMPT_KEY_PREFIX}${ruleId}`] = [...patterns.get(ruleId)!].sort().join(',');
  return data;
}

/** The params ConfigMap. */
export function paramsConfigMap(location: ParamsLocation, data: Record<string, string>): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: location.name,
      namespace: location.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened' },
      annotations: { 'hardened.cdk8s.io/purpose': 'params of the cdk8s-hardened ValidatingAdmissionPolicies: which rules may be waived where, and the image policy' },
    },
    data,
  };
}
