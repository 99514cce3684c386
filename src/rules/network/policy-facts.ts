/**
 * Facts about NetworkPolicies and namespaces shared by the namespace and network rules (not a rule).
 * Namespaced objects without `metadata.namespace` are judged as members of `default`, the namespace
 * `kubectl apply` puts them in without `-n`.
 */
import { asArray, asObject, asString } from '../../check/json';
import type { ObjectIndex } from '../../check/object-index';
import type { ObjectView } from '../../check/views';
import { parseCidr } from '../../network/cidr';
import { compileSelector, CompiledSelector } from '../../network/label-selector';
import { DEFAULT_NAMESPACE } from '../../network/reachability';
import type { ObjectViolation, RuleContext } from '../rule';

/** Kinds whose pods run (PodTemplate only describes pods). */
const RUNNING_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

/** The namespace a namespaced object lands in. */
export function namespaceOf(view: ObjectView): string {
  return view.namespace ?? DEFAULT_NAMESPACE;
}

/** Policy types in effect, with the API server's defaulting when `policyTypes` is absent. */
export function policyTypes(policy: ObjectView): { ingress: boolean; egress: boolean } {
  const spec = asObject(policy.object.spec);
  if (Array.isArray(spec.policyTypes)) {
    return { ingress: spec.policyTypes.includes('Ingress'), egress: spec.policyTypes.includes('Egress') };
  }
  return { ingress: true, egress: asArray(spec.egress).length > 0 };
}

/** The compiled `spec.podSelector` of a policy (an absent selector reads as `{}`). */
export function policySelector(policy: ObjectView): CompiledSelector {
  return compileSelector(asObject(policy.object.spec).podSelector ?? {}, [], '');
}

/** Every NetworkPolicy, grouped by namespace. */
export function policiesByNamespace(index: ObjectIndex): Map<string, ObjectView[]> {
  const result = new Map<string, ObjectView[]>();
  for (const policy of index.ofKind('NetworkPolicy')) {
    const ns = namespaceOf(policy);
    const list = result.get(ns) ?? [];
    list.push(policy);
    result.set(ns, list);
  }
  return result;
}

/** True when some policy of the namespace selects every pod and isolates them in that direction. */
export function isolatesWholeNamespace(policies: readonly ObjectView[], direction: 'ingress' | 'egress'): boolean {
  return policies.some((p) => policyTypes(p)[direction] && policySelector(p).matchesAll);
}

/** Running workloads (Pods and controllers), with their pod views. */
export function runningPods(index: ObjectIndex) {
  return index.pods().filter((pod) => RUNNING_KINDS.has(pod.owner.kind));
}

/**
 * Namespaces the set deploys to (declared Namespace objects and namespaces holding running pods), each with the
 * object a finding about the namespace is reported on: the Namespace object, else the namespace's first workload.
 */
export function deployedNamespaces(index: ObjectIndex): Array<{ name: string; anchor: ObjectView; declared: boolean }> {
  const result = new Map<string, { name: string; anchor: ObjectView; declared: boolean }>();
  for (const ns of index.ofKind('Namespace')) {
    if (ns.name) result.set(ns.name, { name: ns.name, anchor: ns, declared: true });
  }
  for (const pod of runningPods(index)) {
    const name = namespaceOf(pod.owner);
    if (!result.has(name)) result.set(name, { name, anchor: pod.owner, declared: false });
  }
  return [...result.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Where a namespace-level finding points: the Namespace's metadata, or the workload's namespace field. */
export function anchorPath(declared: boolean): string {
  return declared ? 'metadata' : 'metadata.namespace';
}

/**
 * One finding per deployed namespace that fails `has`, reported on its anchor. Judging absence needs a complete
 * set (a partial set may hold the missing object elsewhere), so nothing is reported when `completeSet` is false.
 */
export function namespacesLacking(
  context: RuleContext,
  has: (namespace: string) => boolean,
  message: (namespace: string) => string,
): ObjectViolation[] {
  if (context.settings.completeSet === false) return [];
  return deployedNamespaces(context.index)
    .filter((ns) => !has(ns.name))
    .map((ns) => ({ object: ns.anchor.object, path: anchorPath(ns.declared), message: message(ns.name) }));
}

/** The CIDR text of a peer's ipBlock when it covers every address of its family (`0.0.0.0/0`, `::/0`). */
export function everyAddressCidr(peer: unknown): string | undefined {
  const cidr = parseCidr(asString(asObject(asObject(peer).ipBlock).cidr) ?? '');
  return cidr && cidr.prefix === 0 ? cidr.text : undefined;
}
