/**
 * Facts about NetworkPolicies and namespaces shared by the namespace and network rules (not a rule).
 * Namespaced objects without `metadata.namespace` are judged as members of `default`, the namespace
 * `kubectl apply` puts them in without `-n`.
 */
import { CidrRange, parseCidr } from '../../analysis/network/cidr';
import { DEFAULT_NAMESPACE } from '../../analysis/network/reachability';
import { addToGroup } from '../../core/group-by';
import { asArray, asObject, asString, isObject } from '../../core/json';
import { compileSelector, CompiledSelector } from '../../core/label-selector';
import type { ObjectIndex } from '../../core/object-index';
import type { ObjectView } from '../../core/views';
import { RUNNING_KINDS } from '../../core/workload-kinds';
import type { ObjectViolation, RuleContext } from '../rule';

const RUNNING: ReadonlySet<string> = new Set(RUNNING_KINDS);

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
  return compileSelector('networkPolicyPodSelector', asObject(policy.object.spec).podSelector);
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
  return index.pods().filter((pod) => RUNNING.has(pod.owner.kind));
}

/**
 * Namespaces the set deploys to (declared Namespace objects and namespaces holding running pods), each with the
 * object a finding about the namespace is reported on: the Namespace object, else the namespace's first workload.
 */
export function deployedNamespaces(index: ObjectIndex): Array<{ name: string; anchor: ObjectView; declared: boolean }> {
  const result = new Map<string, { name: string; anchor: ObjectView; declared: boolean }>();
  const namespaces = index.ofKind('Namespace');
  for (let i = 0; i < namespaces.length; i++) {
    const ns = namespaces[i];
    if (ns.name) result.set(ns.name, { name: ns.name, anchor: ns, declared: true });
  }
  const pods = runningPods(index);
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i];
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

/**
 * True when the peer selects every pod of every namespace: `namespaceSelector: {}` with no podSelector (or an
 * empty one). A malformed selector matches nothing (core/label-selector.ts), so it never counts as everyone.
 */
export function everyPodPeer(peer: unknown): boolean {
  const { namespaceSelector, podSelector } = asObject(peer);
  if (!isObject(namespaceSelector)) return false;
  if (!compileSelector('networkPolicyNamespaceSelector', namespaceSelector).matchesAll) return false;
  return compileSelector('networkPolicyPeerPodSelector', podSelector).matchesAll;
}

/** A family's address space covered by a set of ipBlocks, with the blocks that cover it. */
export interface CoveredFamily {
  readonly family: 4 | 6;
  /** The CIDRs whose union is the whole space, as written. */
  readonly cidrs: readonly string[];
}

/**
 * The address families whose whole space the peers' ipBlocks cover together (`0.0.0.0/1` + `128.0.0.0/1`, four
 * /2s, `::/1` + `8000::/1`). `except` ranges are not subtracted, as for a single `/0`: a block of nearly every
 * address is still "anywhere".
 */
export function coveredFamilies(peers: readonly unknown[]): CoveredFamily[] {
  const result: CoveredFamily[] = [];
  for (const family of [4, 6] as const) {
    const blocks = peers
      .map((peer) => asString(asObject(asObject(peer).ipBlock).cidr))
      .map((text) => (text === undefined ? undefined : parseCidr(text)))
      .filter((cidr): cidr is CidrRange => cidr !== undefined && cidr.family === family)
      .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const end = family === 4 ? 2n ** 32n : 2n ** 128n;
    let next = 0n;
    for (const block of blocks) {
      if (block.first > next) break;
      if (block.last + 1n > next) next = block.last + 1n;
    }
    if (blocks.length > 0 && next >= end) result.push({ family, cidrs: blocks.map((b) => b.text) });
  }
  return result;
}

/** One "anywhere" finding of a direction: a single /0 peer, or rules whose ipBlocks together cover a family. */
export interface AnywhereFinding {
  readonly path: string;
  readonly message: string;
}

/** The peers of a policy's `field` rules that are `/0` ipBlocks: each reaches every address on its own. */
export function everyAddressPeers(spec: Record<string, unknown>, field: 'ingress' | 'egress'): AnywhereFinding[] {
  const peerField = field === 'ingress' ? 'from' : 'to';
  const verb = field === 'ingress' ? 'admits' : 'allows';
  const findings: AnywhereFinding[] = [];
  asArray(spec[field]).forEach((raw, index) => {
    asArray(asObject(raw)[peerField]).forEach((peer, peerIndex) => {
      const cidr = everyAddressCidr(peer);
      if (cidr) findings.push({ path: `spec.${field}[${index}].${peerField}[${peerIndex}].ipBlock.cidr`, message: `${field} ${peerField} ${cidr} ${verb} every address` });
    });
  });
  return findings;
}

/**
 * The ipBlocks of a policy's `field` rules with the same ports (policies are additive) that together cover IPv4 or
 * IPv6 although none is a `/0` (those are everyAddressPeers). Reported once per rule group, at its first rule.
 */
export function unionAnywhere(spec: Record<string, unknown>, field: 'ingress' | 'egress'): AnywhereFinding[] {
  const peerField = field === 'ingress' ? 'from' : 'to';
  const verb = field === 'ingress' ? 'admits' : 'allows';
  const findings: AnywhereFinding[] = [];
  const groups = new Map<string, Array<{ index: number; peers: unknown[] }>>();
  asArray(spec[field]).forEach((raw, index) => {
    const rule = asObject(raw);
    const peers = asArray(rule[peerField]).filter((peer) => everyAddressCidr(peer) === undefined);
    const key = JSON.stringify(rule.ports ?? null);
    addToGroup(groups, key, { index, peers });
  });
  for (const members of groups.values()) {
    for (const covered of coveredFamilies(members.flatMap((m) => m.peers))) {
      const involved = members.filter((m) => m.peers.some((p) => parseCidr(asString(asObject(asObject(p).ipBlock).cidr) ?? '')?.family === covered.family));
      const first = involved[0];
      const rules = involved.length > 1 ? `rules ${involved.map((m) => m.index).join(', ')} together` : `rule ${first.index}`;
      findings.push({
        path: `spec.${field}[${first.index}].${peerField}`,
        message: `${field} ${rules} ${involved.length > 1 ? verb.slice(0, -1) : verb} every IPv${covered.family} address: the ipBlocks ${covered.cidrs.join(', ')} cover the whole space`,
      });
    }
  }
  return findings;
}

/** Cross-policy "anywhere" findings of an index, per direction, computed once per run. */
const acrossCache = new WeakMap<ObjectIndex, Map<string, Map<ObjectView, AnywhereFinding[]>>>();

/**
 * Policies are additive across objects too: NetworkPolicies of one namespace with the same podSelector (the same
 * pods) whose ipBlocks, for the same ports, together cover a whole address family reach every address although none
 * does alone. Reported on the first of those policies (input order), naming the others.
 */
export function anywhereAcrossPolicies(policy: ObjectView, index: ObjectIndex, field: 'ingress' | 'egress'): AnywhereFinding[] {
  let byField = acrossCache.get(index);
  if (!byField) {
    byField = new Map();
    acrossCache.set(index, byField);
  }
  let byPolicy = byField.get(field);
  if (!byPolicy) {
    byPolicy = computeAcross(index, field);
    byField.set(field, byPolicy);
  }
  return byPolicy.get(policy) ?? [];
}

function computeAcross(index: ObjectIndex, field: 'ingress' | 'egress'): Map<ObjectView, AnywhereFinding[]> {
  const peerField = field === 'ingress' ? 'from' : 'to';
  const result = new Map<ObjectView, AnywhereFinding[]>();
  // Group rules by namespace, pods selected and ports: each group allows its peers on the same ports to the same pods.
  const groups = new Map<string, Array<{ policy: ObjectView; peers: unknown[] }>>();
  for (const policy of index.ofKind('NetworkPolicy')) {
    if (!policyTypes(policy)[field]) continue;
    const selector = policySelector(policy).key;
    for (const raw of asArray(asObject(policy.object.spec)[field])) {
      const rule = asObject(raw);
      const peers = asArray(rule[peerField]).filter((peer) => everyAddressCidr(peer) === undefined);
      if (peers.length === 0) continue;
      const key = JSON.stringify([namespaceOf(policy), selector, rule.ports ?? null]);
      addToGroup(groups, key, { policy, peers });
    }
  }
  for (const members of groups.values()) {
    const policies = [...new Set(members.map((m) => m.policy))];
    if (policies.length < 2) continue;
    for (const covered of coveredFamilies(members.flatMap((m) => m.peers))) {
      // A policy that covers the family alone is reported by its own check.
      const peersOf = (p: ObjectView) => members.filter((m) => m.policy === p).flatMap((m) => m.peers);
      if (policies.some((p) => coveredFamilies(peersOf(p)).some((c) => c.family === covered.family))) continue;
      const familyOf = (peer: unknown) => parseCidr(asString(asObject(asObject(peer).ipBlock).cidr) ?? '')?.family;
      const contributing = policies.filter((p) => peersOf(p).some((peer) => familyOf(peer) === covered.family));
      if (contributing.length < 2) continue;
      const [first, ...others] = contributing;
      const findings = result.get(first) ?? [];
      findings.push({
        path: `spec.${field}`,
        message: `${field} of this policy and of ${others.map((p) => `NetworkPolicy/${p.name}`).join(', ')} (same pods, same ports) together ${field === 'ingress' ? 'admit' : 'allow'} every IPv${covered.family} address: the ipBlocks ${covered.cidrs.join(', ')} cover the whole space`,
      });
      result.set(first, findings);
    }
  }
  return result;
}
