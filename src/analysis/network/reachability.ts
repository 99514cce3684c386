/**
 * Reachability over NetworkPolicies: which workload may open a connection to which, on which ports.
 *
 * Semantics follow networking.k8s.io/v1 NetworkPolicy:
 * - A pod is isolated for ingress (egress) when at least one policy in its namespace selects it and lists
 *   Ingress (Egress) in its policy types. Without `policyTypes`, Ingress is always implied and Egress only
 *   when the policy has egress rules. A non-isolated direction allows everything.
 * - Policies are additive: traffic passes a direction when any rule of any selecting policy allows it.
 * - A connection needs both the client's egress and the server's ingress to allow it.
 * - A rule without peers matches every source (destination); a rule without ports matches every port.
 * - A peer with only podSelector selects pods of the policy's namespace; with only namespaceSelector, every pod
 *   of the selected namespaces; with both (in ONE peer), the selected pods of the selected namespaces.
 * - Named ports resolve against the container ports of the destination pod; endPort makes a range.
 *
 * Assumptions (see docs/namespaces.md): the CNI enforces NetworkPolicy; objects without a namespace are in
 * `default`; Namespace objects absent from the set carry only their `kubernetes.io/metadata.name` label;
 * ipBlock peers address cluster-external IPs unless `podCidrs` says which ranges hold pod IPs.
 */
import { blockReaches, CidrRange, parseCidr } from './cidr';
import { EndpointKind, NetworkEndpoint, NetworkFlow, ReachabilityResult, WorkloadIsolation } from './model';
import { PortSet, Protocol, PROTOCOLS } from './port-set';
import { asArray, asNumber, asObject, asString, isObject } from '../../core/json';
import { CompiledSelector, compileSelector } from '../../core/label-selector';
import { ObjectView, viewObject, viewPod } from '../../core/views';
import { RUNNING_KINDS } from '../../core/workload-kinds';

/** Namespace assumed for namespaced objects that carry none (what `kubectl apply` does without `-n`). */
export const DEFAULT_NAMESPACE = 'default';

/** Label every namespace carries (Kubernetes >= 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Id of the endpoint standing for every address not otherwise modelled. */
export const ANY_ENDPOINT_ID = 'any';

export interface ReachabilityOptions {
  /**
   * CIDRs that hold pod IPs (the cluster's pod network). An ipBlock that reaches into one of them is also
   * treated as matching every pod. Without it, ipBlocks are taken to address cluster-external IPs only,
   * as the Kubernetes documentation recommends writing them.
   * @default []
   */
  readonly podCidrs?: readonly string[];
}

/** A pod spec holder of the set, with what the analysis needs of it. */
interface Workload {
  readonly index: number;
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Container ports by name, for named-port resolution. */
  readonly namedPorts: ReadonlyMap<string, { port: number; protocol: Protocol }>;
}

type PortRule =
  | { readonly kind: 'numbered'; readonly ports: PortSet }
  | { readonly kind: 'named'; readonly protocol: Protocol; readonly name: string };

type Peer =
  | {
    readonly kind: 'pods';
    readonly podSelector?: CompiledSelector;
    readonly namespaceSelector?: CompiledSelector;
    /** Whether pods outside the analysed set may match (another namespace, selected by labels). */
    readonly outside?: NetworkEndpoint;
  }
  | { readonly kind: 'ipBlock'; readonly endpoint: NetworkEndpoint; readonly matchesPods: boolean };

interface PolicyRule {
  /** undefined: every peer. */
  readonly peers?: readonly Peer[];
  /** undefined: every port. */
  readonly ports?: readonly PortRule[];
}

interface Policy {
  readonly id: string;
  readonly namespace: string;
  readonly selector: CompiledSelector;
  readonly ingress?: readonly PolicyRule[];
  readonly egress?: readonly PolicyRule[];
}

/** Workloads whose pod template the analysis models (PodTemplate objects run nothing). */
const RUNNING: ReadonlySet<string> = new Set(RUNNING_KINDS);

/** Computes every permitted flow between the workloads of the set and the outside. Never throws on bad input. */
export function analyzeReachability(objects: readonly unknown[], options: ReachabilityOptions = {}): ReachabilityResult {
  const problems: string[] = [];
  const views: ObjectView[] = objects.filter(isObject).map((o) => viewObject(o));
  const podCidrs = (options.podCidrs ?? []).map((text) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`podCidrs: "${text}" is not a CIDR`);
    return cidr;
  });

  const namespaceLabels = new Map<string, Record<string, string>>();
  const labelsOfNamespace = (name: string) => {
    let labels = namespaceLabels.get(name);
    if (!labels) {
      labels = { [NAMESPACE_NAME_LABEL]: name };
      namespaceLabels.set(name, labels);
    }
    return labels;
  };
  for (const view of views) {
    if (view.kind === 'Namespace' && view.name) namespaceLabels.set(view.name, { ...view.labels, [NAMESPACE_NAME_LABEL]: view.name });
  }

  const workloads = readWorkloads(views);
  workloads.forEach((w) => labelsOfNamespace(w.namespace));
  const byNamespace = new Map<string, Workload[]>();
  for (const w of workloads) {
    const list = byNamespace.get(w.namespace);
    if (list) list.push(w);
    else byNamespace.set(w.namespace, [w]);
  }
  const knownNamespaces = new Set(namespaceLabels.keys());
  const policies = views
    .filter((v) => v.kind === 'NetworkPolicy')
    .map((v) => readPolicy(v, problems, podCidrs, knownNamespaces));
  policies.forEach((p) => labelsOfNamespace(p.namespace));

  const endpoints = new Map<string, NetworkEndpoint>();
  for (const w of workloads) {
    endpoints.set(w.id, { id: w.id, kind: EndpointKind.WORKLOAD, label: w.name, namespace: w.namespace, name: w.name, workloadKind: w.kind });
  }

  // Which workloads a peer matches. Selectors repeat across policies (a team's namespaces, the monitoring
  // pods), so matches are cached by the selectors' canonical text, not by peer object.
  const namespaceMatches = new Map<string, readonly string[]>();
  const peerMatches = new Map<string, readonly Workload[]>();
  const namespacesOf = (selector: CompiledSelector): readonly string[] => {
    let cached = namespaceMatches.get(selector.key);
    if (!cached) {
      cached = [...byNamespace.keys()].filter((ns) => selector.matches(labelsOfNamespace(ns)));
      namespaceMatches.set(selector.key, cached);
    }
    return cached;
  };
  const matchPeer = (peer: Peer, policyNamespace: string): readonly Workload[] => {
    if (peer.kind === 'ipBlock') return peer.matchesPods ? workloads : [];
    const key = JSON.stringify([peer.namespaceSelector?.key ?? null, peer.namespaceSelector ? null : policyNamespace, peer.podSelector?.key ?? null]);
    let cached = peerMatches.get(key);
    if (!cached) {
      const namespaces = peer.namespaceSelector ? namespacesOf(peer.namespaceSelector) : [policyNamespace];
      cached = namespaces.flatMap((ns) => (byNamespace.get(ns) ?? []).filter((w) => !peer.podSelector || peer.podSelector.matches(w.labels)));
      peerMatches.set(key, cached);
    }
    return cached;
  };

  const selecting: Policy[][] = workloads.map(() => []);
  for (const policy of policies) {
    for (const w of byNamespace.get(policy.namespace) ?? []) {
      if (policy.selector.matches(w.labels)) selecting[w.index].push(policy);
    }
  }

  const ingressIsolated = workloads.map((w) => selecting[w.index].some((p) => p.ingress !== undefined));
  const egressIsolated = workloads.map((w) => selecting[w.index].some((p) => p.egress !== undefined));

  // What each isolated workload lets in (by client) and out (by server); outside endpoints are collected apart.
  const ingressFrom: Array<Map<number, PortSet>> = workloads.map(() => new Map());
  const egressTo: Array<Map<number, PortSet>> = workloads.map(() => new Map());
  const outsideFlows = new FlowCollector();
  const add = (map: Map<number, PortSet>, key: number, ports: PortSet) => {
    if (ports.isEmpty()) return;
    const existing = map.get(key);
    // Rules repeat the same port set for many peers: skip the union (and its garbage) when nothing changes.
    if (existing === ports) return;
    map.set(key, existing ? existing.union(ports) : ports);
  };

  for (const server of workloads) {
    for (const policy of selecting[server.index]) {
      for (const rule of policy.ingress ?? []) {
        const resolved = resolvePorts(rule.ports, server);
        if (!rule.peers) {
          for (const client of workloads) add(ingressFrom[server.index], client.index, resolved.ports);
          outsideFlows.add(anyEndpoint(endpoints).id, server.id, resolved.ports, resolved.unresolved);
          continue;
        }
        for (const peer of rule.peers) {
          for (const client of matchPeer(peer, policy.namespace)) add(ingressFrom[server.index], client.index, resolved.ports);
          const outside = peer.kind === 'ipBlock' ? peer.endpoint : peer.outside;
          if (outside) {
            endpoints.set(outside.id, outside);
            outsideFlows.add(outside.id, server.id, resolved.ports, resolved.unresolved);
          }
        }
      }
    }
    if (!ingressIsolated[server.index]) outsideFlows.add(anyEndpoint(endpoints).id, server.id, PortSet.all(), []);
  }

  for (const client of workloads) {
    for (const policy of selecting[client.index]) {
      for (const rule of policy.egress ?? []) {
        const targets = rule.peers
          ? rule.peers.map((peer) => ({ peer, servers: matchPeer(peer, policy.namespace) }))
          : [{ peer: undefined, servers: workloads }];
        for (const { peer, servers } of targets) {
          const shared = rule.ports?.some((p) => p.kind === 'named') ? undefined : resolvePorts(rule.ports, undefined).ports;
          for (const server of servers) add(egressTo[client.index], server.index, shared ?? resolvePorts(rule.ports, server).ports);
          const outside = peer === undefined ? anyEndpoint(endpoints) : peer.kind === 'ipBlock' ? peer.endpoint : peer.outside;
          if (outside) {
            endpoints.set(outside.id, outside);
            // The pods behind an outside endpoint are unknown: numbered ports apply, named ports stay names.
            const resolved = resolvePorts(rule.ports, undefined);
            outsideFlows.add(client.id, outside.id, resolved.ports, resolved.unresolved);
          }
        }
      }
    }
    if (!egressIsolated[client.index]) outsideFlows.add(client.id, anyEndpoint(endpoints).id, PortSet.all(), []);
  }

  // A connection passes when the client's egress and the server's ingress both allow it.
  const flows: NetworkFlow[] = [];
  const all = PortSet.all();
  for (const server of workloads) {
    const emit = (client: Workload, ingressPorts: PortSet) => {
      const egressPorts = egressIsolated[client.index] ? egressTo[client.index].get(server.index) : all;
      if (!egressPorts) return;
      pushFlows(flows, client.id, server.id, ingressPorts.intersect(egressPorts));
    };
    if (ingressIsolated[server.index]) {
      for (const [clientIndex, ports] of ingressFrom[server.index]) emit(workloads[clientIndex], ports);
    } else {
      for (const client of workloads) emit(client, all);
    }
  }
  flows.push(...outsideFlows.flows());
  flows.sort(compareFlows);

  const isolation: WorkloadIsolation[] = workloads
    .map((w) => ({
      workload: w.id,
      ingressIsolated: ingressIsolated[w.index],
      egressIsolated: egressIsolated[w.index],
      policies: [...new Set(selecting[w.index].map((p) => p.id))].sort(),
    }))
    .sort((a, b) => compareText(a.workload, b.workload));

  return {
    endpoints: [...endpoints.values()].sort((a, b) => compareText(a.id, b.id)),
    flows,
    isolation,
    problems,
  };
}

function anyEndpoint(endpoints: Map<string, NetworkEndpoint>): NetworkEndpoint {
  let endpoint = endpoints.get(ANY_ENDPOINT_ID);
  if (!endpoint) {
    endpoint = { id: ANY_ENDPOINT_ID, kind: EndpointKind.ANY, label: 'any address' };
    endpoints.set(ANY_ENDPOINT_ID, endpoint);
  }
  return endpoint;
}

/** Endpoint id of a workload. */
export function workloadId(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function readWorkloads(views: readonly ObjectView[]): Workload[] {
  const workloads: Workload[] = [];
  for (const view of views) {
    if (!RUNNING.has(view.kind)) continue;
    const pod = viewPod(view);
    if (!pod) continue;
    const namespace = view.namespace ?? DEFAULT_NAMESPACE;
    const namedPorts = new Map<string, { port: number; protocol: Protocol }>();
    for (const container of pod.containers) {
      if (container.type !== 'containers') continue;
      for (const raw of asArray(container.container.ports)) {
        const port = asObject(raw);
        const name = asString(port.name);
        const number = asNumber(port.containerPort);
        const protocol = readProtocol(port.protocol);
        if (name && number !== undefined && protocol) namedPorts.set(name, { port: number, protocol });
      }
    }
    workloads.push({
      index: workloads.length,
      id: workloadId(view.kind, namespace, view.name),
      kind: view.kind,
      name: view.name,
      namespace,
      labels: pod.labels,
      namedPorts,
    });
  }
  return workloads;
}

function readProtocol(value: unknown): Protocol | undefined {
  if (value === undefined) return 'TCP';
  return PROTOCOLS.find((p) => p === value);
}

function readPolicy(view: ObjectView, problems: string[], podCidrs: readonly CidrRange[], knownNamespaces: ReadonlySet<string>): Policy {
  const namespace = view.namespace ?? DEFAULT_NAMESPACE;
  const id = `${namespace}/${view.name}`;
  const where = `NetworkPolicy ${id}`;
  const spec = asObject(view.object.spec);
  if (spec.podSelector === undefined) problems.push(`${where}: spec.podSelector is required (read as {}, every pod of the namespace)`);
  const selector = compileSelector('networkPolicyPodSelector', spec.podSelector, problems, `${where} spec.podSelector`);
  const declaredTypes = spec.policyTypes;
  let ingressType: boolean;
  let egressType: boolean;
  if (Array.isArray(declaredTypes)) {
    ingressType = declaredTypes.includes('Ingress');
    egressType = declaredTypes.includes('Egress');
    for (const t of declaredTypes) if (t !== 'Ingress' && t !== 'Egress') problems.push(`${where}: unknown policy type ${JSON.stringify(t)}`);
  } else {
    // The API server's defaulting: Ingress always, Egress only when egress rules exist.
    ingressType = true;
    egressType = asArray(spec.egress).length > 0;
  }
  const readRules = (field: 'ingress' | 'egress', peerField: 'from' | 'to'): PolicyRule[] =>
    asArray(spec[field]).map((raw, ruleIndex) => {
      const rule = asObject(raw);
      const rulePath = `${where} spec.${field}[${ruleIndex}]`;
      const rawPeers = asArray(rule[peerField]);
      const rawPorts = asArray(rule.ports);
      return {
        peers: rawPeers.length === 0 ? undefined : rawPeers.map((p, i) => readPeer(p, `${rulePath}.${peerField}[${i}]`, problems, podCidrs, knownNamespaces)),
        ports: rawPorts.length === 0 ? undefined : rawPorts.flatMap((p, i) => readPort(p, `${rulePath}.ports[${i}]`, problems)),
      };
    });
  return {
    id,
    namespace,
    selector,
    ingress: ingressType ? readRules('ingress', 'from') : undefined,
    egress: egressType ? readRules('egress', 'to') : undefined,
  };
}

function readPeer(
  raw: unknown,
  where: string,
  problems: string[],
  podCidrs: readonly CidrRange[],
  knownNamespaces: ReadonlySet<string>,
): Peer {
  const peer = asObject(raw);
  if (peer.ipBlock !== undefined) {
    if (peer.podSelector !== undefined || peer.namespaceSelector !== undefined) {
      problems.push(`${where}: ipBlock cannot be combined with podSelector or namespaceSelector (peer ignored)`);
      return { kind: 'pods', podSelector: invalidSelector() };
    }
    const block = asObject(peer.ipBlock);
    const cidrText = asString(block.cidr) ?? '';
    const cidr = parseCidr(cidrText);
    if (!cidr) {
      problems.push(`${where}: ipBlock.cidr ${JSON.stringify(block.cidr)} is not a CIDR (peer ignored)`);
      return { kind: 'pods', podSelector: invalidSelector() };
    }
    const except: CidrRange[] = [];
    for (const e of asArray(block.except)) {
      const parsed = typeof e === 'string' ? parseCidr(e) : undefined;
      if (!parsed) problems.push(`${where}: ipBlock.except entry ${JSON.stringify(e)} is not a CIDR`);
      else except.push(parsed);
    }
    const label = except.length > 0 ? `${cidr.text} except ${except.map((e) => e.text).join(', ')}` : cidr.text;
    return {
      kind: 'ipBlock',
      endpoint: { id: `cidr:${label}`, kind: EndpointKind.CIDR, label },
      matchesPods: podCidrs.some((pods) => blockReaches(cidr, except, pods)),
    };
  }
  // null is absent, as the API server decodes it.
  if ((peer.podSelector === undefined || peer.podSelector === null) && (peer.namespaceSelector === undefined || peer.namespaceSelector === null)) {
    problems.push(`${where}: a peer needs podSelector, namespaceSelector or ipBlock (peer ignored)`);
    return { kind: 'pods', podSelector: invalidSelector() };
  }
  // Absent selectors stay undefined: all pods of the peer's namespaces, the policy's own namespace.
  const podSelector = present(compileSelector('networkPolicyPeerPodSelector', peer.podSelector, problems, `${where}.podSelector`));
  const namespaceSelector = present(compileSelector('networkPolicyNamespaceSelector', peer.namespaceSelector, problems, `${where}.namespaceSelector`));
  let outside: NetworkEndpoint | undefined;
  if (namespaceSelector) {
    const named = namedNamespace(namespaceSelector);
    if (!(named !== undefined && knownNamespaces.has(named)) && !namespaceSelector.invalid) {
      const podText = podSelector ? podSelector.text : 'all';
      const nsText = named ?? `namespaces ${namespaceSelector.text}`;
      const label = `${nsText}: ${podText === 'all' ? 'all pods' : podText}`;
      outside = { id: `selector:${label}`, kind: EndpointKind.SELECTOR, label, namespace: named };
    }
  }
  return { kind: 'pods', podSelector, namespaceSelector, outside };
}

/** The namespace a selector names when it is exactly `kubernetes.io/metadata.name: <name>`. */
function namedNamespace(selector: CompiledSelector): string | undefined {
  const keys = Object.keys(selector.matchLabels);
  if (keys.length === 1 && keys[0] === NAMESPACE_NAME_LABEL && selector.text === `${NAMESPACE_NAME_LABEL}=${selector.matchLabels[NAMESPACE_NAME_LABEL]}`) {
    return selector.matchLabels[NAMESPACE_NAME_LABEL];
  }
  return undefined;
}

function present(selector: CompiledSelector): CompiledSelector | undefined {
  return selector.absent ? undefined : selector;
}

function invalidSelector(): CompiledSelector {
  return compileSelector('networkPolicyPeerPodSelector', 42);
}

function readPort(raw: unknown, where: string, problems: string[]): PortRule[] {
  const entry = asObject(raw);
  const protocol = readProtocol(entry.protocol);
  if (!protocol) {
    problems.push(`${where}: unknown protocol ${JSON.stringify(entry.protocol)} (port ignored)`);
    return [];
  }
  if (entry.port === undefined) return [{ kind: 'numbered', ports: PortSet.range(protocol, 1, 65535) }];
  if (typeof entry.port === 'string' && !/^\d+$/.test(entry.port)) {
    if (entry.endPort !== undefined) problems.push(`${where}: endPort needs a numeric port (endPort ignored)`);
    return [{ kind: 'named', protocol, name: entry.port }];
  }
  const port = Number(entry.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`${where}: port ${JSON.stringify(entry.port)} is not a port number (port ignored)`);
    return [];
  }
  if (entry.endPort === undefined) return [{ kind: 'numbered', ports: PortSet.range(protocol, port) }];
  const endPort = asNumber(entry.endPort);
  if (endPort === undefined || !Number.isInteger(endPort) || endPort < port || endPort > 65535) {
    problems.push(`${where}: endPort ${JSON.stringify(entry.endPort)} must be a port number >= port (port ignored)`);
    return [];
  }
  return [{ kind: 'numbered', ports: PortSet.range(protocol, port, endPort) }];
}

/** The ports a rule allows toward a server: named ports resolve against its containers. */
function resolvePorts(rules: readonly PortRule[] | undefined, server: Workload | undefined): { ports: PortSet; unresolved: string[] } {
  if (!rules) return { ports: PortSet.all(), unresolved: [] };
  let ports = PortSet.empty();
  const unresolved: string[] = [];
  for (const rule of rules) {
    if (rule.kind === 'numbered') {
      ports = ports.union(rule.ports);
    } else if (server) {
      const target = server.namedPorts.get(rule.name);
      // A named port matches only a container port of that name and protocol.
      if (target && target.protocol === rule.protocol) ports = ports.union(PortSet.range(rule.protocol, target.port));
    } else {
      unresolved.push(`${rule.protocol}/${rule.name}`);
    }
  }
  return { ports, unresolved };
}

/** Flows to and from outside endpoints, merged per (from, to). */
class FlowCollector {
  private readonly byPair = new Map<string, { from: string; to: string; ports: PortSet; named: Set<string> }>();

  public add(from: string, to: string, ports: PortSet, named: readonly string[]): void {
    if (ports.isEmpty() && named.length === 0) return;
    const key = `${from}\u0000${to}`;
    const entry = this.byPair.get(key);
    if (entry) {
      entry.ports = entry.ports.union(ports);
      named.forEach((n) => entry.named.add(n));
    } else {
      this.byPair.set(key, { from, to, ports, named: new Set(named) });
    }
  }

  public flows(): NetworkFlow[] {
    const out: NetworkFlow[] = [];
    for (const entry of this.byPair.values()) {
      pushFlows(out, entry.from, entry.to, entry.ports);
      for (const name of entry.named) {
        const [protocol, portName] = name.split('/');
        out.push({ from: entry.from, to: entry.to, protocol, portName });
      }
    }
    return out;
  }
}

function pushFlows(out: NetworkFlow[], from: string, to: string, ports: PortSet): void {
  if (ports.isEmpty()) return;
  if (ports.isAll()) {
    out.push({ from, to, protocol: 'any' });
    return;
  }
  for (const range of ports.ranges()) {
    if (range.from === 1 && range.to === 65535) out.push({ from, to, protocol: range.protocol });
    else if (range.from === range.to) out.push({ from, to, protocol: range.protocol, port: range.from });
    else out.push({ from, to, protocol: range.protocol, port: range.from, endPort: range.to });
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareFlows(a: NetworkFlow, b: NetworkFlow): number {
  return (
    compareText(a.from, b.from) ||
    compareText(a.to, b.to) ||
    compareText(a.protocol, b.protocol) ||
    (a.port ?? 0) - (b.port ?? 0) ||
    compareText(a.portName ?? '', b.portName ?? '')
  );
}
