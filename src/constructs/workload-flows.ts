import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { FlowPort, FlowProtocol } from './flow-port';
import { requireWaiver, validateWaivers, waiverMetadata } from './waivers';
import { cidrContains, parseCidr } from '../analysis/network/cidr';
import { NAMESPACE_NAME_LABEL } from '../analysis/network/reachability';
import type { Waiver } from '../core/types';

/** Ports and waivers of a declared flow. */
export interface FlowOptions {
  /** One TCP port (shorthand for `ports: [FlowPort.tcp(port)]`). @default - see `ports` */
  readonly port?: number;
  /**
   * Ports the flow allows. @default - for flows toward a cdk8s-plus workload or pod, the container ports it
   * declares at synth time (synth fails when it declares none); other flows must name their ports.
   */
  readonly ports?: FlowPort[];
  /** Waivers recorded on the emitted NetworkPolicies (needed for flows to or from every address). @default - none */
  readonly waivers?: Waiver[];
}

/** A flow to or from an IP block. */
export interface CidrFlowOptions extends FlowOptions {
  /** CIDRs inside the block that stay denied. @default - none */
  readonly except?: string[];
}

/** Where the cluster's ingress controller runs. */
export interface IngressControllerFlowOptions extends FlowOptions {
  /** Namespace of the ingress controller pods. @default 'ingress-nginx' */
  readonly namespace?: string;
  /** Labels of the ingress controller pods. @default { 'app.kubernetes.io/name': 'ingress-nginx' } */
  readonly podLabels?: Record<string, string>;
}

/** Where the Kubernetes API server listens, as the pods' packets reach it. */
export interface ApiServerFlowOptions {
  /**
   * Address(es) of the API server endpoints as a CIDR: the control plane's address (`192.0.2.10/32`) or its subnet.
   * Read it from `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`: policies match
   * after the `kubernetes` Service's ClusterIP is translated, so the ClusterIP itself does not work.
   */
  readonly cidr: string;
  /**
   * Port of those endpoints: 6443 on kubeadm, k3s and most self-managed clusters, 443 on most managed ones (the
   * endpoint slice says which).
   */
  readonly port: number;
  /** Waivers recorded on the emitted NetworkPolicy (a CIDR broader than the minimum prefix). @default - none */
  readonly waivers?: Waiver[];
}

type Json = Record<string, unknown>;
type Direction = 'ingress' | 'egress';

/**
 * The declared network flows of one workload. Every call emits the narrowest NetworkPolicies: pod selectors on
 * both ends (plus a namespace selector by name across namespaces), explicit ports and protocols. A flow between two
 * cdk8s-plus workloads emits both halves: ingress on the server and egress on the client, so it passes the
 * default deny of a LockedNamespace in both directions.
 *
 * Works with any cdk8s-plus Workload or Pod (HardenedDeployment included): `WorkloadFlows.of(api).allowFrom(web, { port: 8080 })`.
 */
export class WorkloadFlows extends Construct {
  /**
   * Context key of the shortest IPv4 prefix `allowFromCidr` / `allowEgressToCidr` accept without a waiver (default 8).
   * Set it with `node.setContext` on the app or a chart before the flows are declared.
   */
  public static readonly MIN_IPV4_PREFIX_CONTEXT = 'hardened.cdk8s.io/min-ipv4-prefix';
  /** Context key of the shortest IPv6 prefix accepted without a waiver (default 16). */
  public static readonly MIN_IPV6_PREFIX_CONTEXT = 'hardened.cdk8s.io/min-ipv6-prefix';

  /** The flows of a workload (created on first use, as a child of the workload). */
  public static of(workload: kplus.AbstractPod): WorkloadFlows {
    const existing = workload.node.tryFindChild(FLOWS_ID);
    return existing instanceof WorkloadFlows ? existing : new WorkloadFlows(workload);
  }

  private readonly workload: kplus.AbstractPod;

  private constructor(workload: kplus.AbstractPod) {
    super(workload, FLOWS_ID);
    this.workload = workload;
  }

  /** Allow `peer` (a workload, pod, or `Pods.select(...)`, in any namespace) to connect to this workload. */
  public allowFrom(peer: kplus.IPodSelector, options: FlowOptions = {}): void {
    this.podFlow('ingress', peer, options);
  }

  /** Allow this workload to connect to `peer` (a workload, pod, or `Pods.select(...)`, in any namespace). */
  public allowEgressTo(peer: kplus.IPodSelector, options: FlowOptions = {}): void {
    this.podFlow('egress', peer, options);
  }

  /** Allow the cluster's ingress controller to connect to this workload. */
  public allowFromIngressController(options: IngressControllerFlowOptions = {}): void {
    const namespace = options.namespace ?? 'ingress-nginx';
    const podLabels = options.podLabels ?? { 'app.kubernetes.io/name': 'ingress-nginx' };
    if (Object.keys(podLabels).length === 0) {
      throw new Error(`${this.node.path}: allowFromIngressController needs podLabels that select the controller pods, not every pod of ${namespace}`);
    }
    const waivers = validateWaivers(this.node.path, options.waivers);
    const peer = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: { matchLabels: { ...podLabels } } };
    this.emit(this, this.workload, 'ingress', `FromIngressController-${namespace}`, peer, this.portsToward(this.workload, options, 'allowFromIngressController'), waivers);
  }

  /**
   * Allow connections from an IP block (cluster-external clients, load balancer ranges). `/0`, or a prefix shorter than
   * the minimum (/8 for IPv4, /16 for IPv6 unless the context says otherwise), needs a waiver for net-allow-all.
   */
  public allowFromCidr(cidr: string, options: CidrFlowOptions): void {
    this.cidrFlow('ingress', cidr, options, 'net-allow-all');
  }

  /**
   * Allow connections to an IP block (a database outside the cluster). `/0`, or a prefix shorter than the minimum
   * (/8 for IPv4, /16 for IPv6 unless the context says otherwise), needs a waiver for net-egress-anywhere.
   */
  public allowEgressToCidr(cidr: string, options: CidrFlowOptions): void {
    this.cidrFlow('egress', cidr, options, 'net-egress-anywhere');
  }

  /**
   * Allow this workload to reach the Kubernetes API server (an operator, a controller, anything whose pods call the
   * API with `apiAccess`). The API server is not a pod: the flow is an ipBlock of its endpoints' address and port.
   * The CIDR follows the rules of `allowEgressToCidr` (a prefix broader than the minimum needs a waiver for
   * net-egress-anywhere).
   */
  public allowEgressToApiServer(options: ApiServerFlowOptions): void {
    const method = 'allowEgressToApiServer';
    if (typeof options.cidr !== 'string' || !parseCidr(options.cidr)) {
      throw new Error(`${this.node.path}: ${method}: "${String(options.cidr)}" is not a CIDR: give the API server endpoints' address, e.g. 192.0.2.10/32 (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)`);
    }
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new Error(`${this.node.path}: ${method}: port must be the API server endpoints' port (6443 or 443), got ${String(options.port)}`);
    }
    this.cidrFlow('egress', options.cidr, { ports: [FlowPort.tcp(options.port)], waivers: options.waivers }, 'net-egress-anywhere', { method, id: 'ApiServer' });
  }

  private podFlow(direction: Direction, peer: kplus.IPodSelector, options: FlowOptions): void {
    const waivers = validateWaivers(this.node.path, options.waivers);
    const server = direction === 'ingress' ? this.workload : peer;
    const what = direction === 'ingress' ? 'allowFrom' : 'allowEgressTo';
    const ports = this.portsToward(server, options, what);
    const peerJson = this.peerSelector(peer, namespaceOf(this.workload), waivers);
    this.emit(this, this.workload, direction, `${direction === 'ingress' ? 'From' : 'To'}-${peer.node.id}`, peerJson, ports, waivers);
    // Both halves of a flow between two workloads we synthesize: the peer's own default deny must let it pass too.
    if (peer instanceof kplus.AbstractPod) {
      const other = WorkloadFlows.of(peer);
      const back = other.peerSelector(this.workload, namespaceOf(peer), waivers);
      other.emit(other, peer, direction === 'ingress' ? 'egress' : 'ingress', `${direction === 'ingress' ? 'To' : 'From'}-${this.workload.node.id}`, back, ports, waivers);
    }
  }

  private cidrFlow(direction: Direction, cidrText: string, options: CidrFlowOptions, wideRule: string, named?: { method: string; id: string }): void {
    const waivers = validateWaivers(this.node.path, options.waivers);
    const method = named?.method ?? (direction === 'ingress' ? 'allowFromCidr' : 'allowEgressToCidr');
    const cidr = parseCidr(cidrText);
    if (!cidr) throw new Error(`${this.node.path}: ${method}: "${cidrText}" is not a CIDR (e.g. 10.0.0.0/16 or 2001:db8::/48)`);
    for (const text of options.except ?? []) {
      const except = parseCidr(text);
      if (!except || !cidrContains(cidr, except) || except.prefix <= cidr.prefix) {
        throw new Error(`${this.node.path}: ${method}: except "${text}" must be a CIDR strictly inside ${cidr.text}`);
      }
    }
    if (cidr.prefix === 0) {
      requireWaiver(this, waivers, wideRule, `${method}('${cidr.text}') allows every address`, 'Name the narrowest CIDR of the service');
    } else {
      // A handful of short prefixes add up to "anywhere" (two /1 halves): broad blocks are weakenings on their own.
      const minimum = minimumPrefix(this, cidr.family);
      if (cidr.prefix < minimum) {
        requireWaiver(this, waivers, wideRule, `${method}('${cidr.text}') is a /${cidr.prefix}, broader than the minimum /${minimum} for IPv${cidr.family}`,
          `Name the narrowest CIDR of the service (/${minimum} or longer; the minimum is the context value ${minimumPrefixContextKey(cidr.family)})`);
      }
    }
    const ports = explicitPorts(options);
    if (!ports) throw new Error(`${this.node.path}: ${method}('${cidr.text}') needs ports (port or ports): a flow to or from an IP block is never all ports`);
    const peer = { ipBlock: { cidr: cidr.text, ...(options.except && options.except.length > 0 ? { except: [...options.except] } : {}) } };
    const what = named ? `${named.id}-${cidr.text}` : cidr.text;
    this.emit(this, this.workload, direction, `${direction === 'ingress' ? 'From' : 'To'}-${what.replace(/[^0-9A-Za-z]+/g, '-')}`, peer, ports, waivers);
  }

  /** Explicit ports, or the container ports the server declares at synth time. */
  private portsToward(server: kplus.IPodSelector, options: FlowOptions, method: string): () => Json[] {
    const explicit = explicitPorts(options);
    if (explicit) return explicit;
    if (!(server instanceof kplus.AbstractPod)) {
      throw new Error(`${this.node.path}: ${method}(${server.node.id}) needs ports (port or ports): the peer's container ports are unknown`);
    }
    return () => {
      const declared = server.containers.flatMap((c) => c.ports).map((p) => ({ protocol: p.protocol ?? FlowProtocol.TCP, port: p.number }));
      if (declared.length === 0) {
        throw new Error(`${this.node.path}: ${method} has no ports and ${server.node.path} declares no container ports; pass port or ports`);
      }
      const unique = new Map(declared.map((p) => [`${p.protocol}/${p.port}`, p]));
      return [...unique.values()].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
    };
  }

  /** The NetworkPolicyPeer that selects `peer`, written relative to the namespace the policy lives in. */
  private peerSelector(peer: kplus.IPodSelector, policyNamespace: string | undefined, waivers: readonly Waiver[]): Json {
    if (peer instanceof kplus.AbstractPod) {
      const peerNamespace = namespaceOf(peer);
      const podSelector = labelSelectorJson(peer.toPodSelectorConfig().labelSelector);
      if (peerNamespace === policyNamespace) return { podSelector };
      if (peerNamespace === undefined || policyNamespace === undefined) {
        throw new Error(
          `${this.node.path}: cannot tell whether ${peer.node.path} and ${this.workload.node.path} share a namespace (only one has metadata.namespace); create both inside LockedNamespaces or set metadata.namespace on both`,
        );
      }
      return { podSelector, namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peerNamespace } } };
    }
    const config = peer.toPodSelectorConfig();
    const podSelector = labelSelectorJson(config.labelSelector);
    if (!config.namespaces) return { podSelector };
    const namespaceSelector = labelSelectorJson(config.namespaces.labelSelector);
    const names = config.namespaces.names ?? [];
    if (names.length === 1) {
      namespaceSelector.matchLabels = { ...(namespaceSelector.matchLabels as Json | undefined), [NAMESPACE_NAME_LABEL]: names[0] };
    } else if (names.length > 1) {
      const expressions = (namespaceSelector.matchExpressions as Json[] | undefined) ?? [];
      namespaceSelector.matchExpressions = [...expressions, { key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names].sort() }];
    }
    if (Object.keys(namespaceSelector).length === 0 && Object.keys(podSelector).length === 0) {
      requireWaiver(this, waivers, 'net-allow-all', `a flow with ${peer.node.path} (every pod of every namespace)`, 'Select the peer pods by label and namespace');
    }
    return { podSelector, namespaceSelector };
  }

  private emit(
    scope: Construct,
    subject: kplus.AbstractPod,
    direction: Direction,
    baseId: string,
    peer: Json,
    ports: () => Json[],
    waivers: readonly Waiver[],
  ): void {
    let id = baseId;
    for (let n = 2; scope.node.tryFindChild(id); n++) id = `${baseId}-${n}`;
    const rule = { [direction === 'ingress' ? 'from' : 'to']: [peer], ports: Lazy.any({ produce: ports }) };
    const namespace = namespaceOf(subject);
    new ApiObject(scope, id, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        ...(namespace !== undefined ? { namespace } : {}),
        ...(waivers.length > 0 ? waiverMetadata(waivers) : {}),
      },
      spec: {
        podSelector: labelSelectorJson(subject.toPodSelectorConfig().labelSelector),
        policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'],
        [direction]: [rule],
      },
    });
  }
}

const FLOWS_ID = 'Flows';

function namespaceOf(pod: kplus.AbstractPod): string | undefined {
  return pod.metadata.namespace;
}

function explicitPorts(options: FlowOptions): (() => Json[]) | undefined {
  const ports = [...(options.port !== undefined ? [FlowPort.tcp(options.port)] : []), ...(options.ports ?? [])];
  if (ports.length === 0) return undefined;
  const json = ports.map((p) => p._toJson());
  return () => json;
}

/** JSON of a cdk8s-plus LabelSelector (its `_toKube` is internal API, stable across cdk8s-plus-27 2.x). */
function labelSelectorJson(selector: kplus.LabelSelector | undefined): Json {
  if (!selector) return {};
  return { ...(selector as unknown as { _toKube(): Json })._toKube() };
}

/** The context key of a family's minimum prefix. */
function minimumPrefixContextKey(family: 4 | 6): string {
  return family === 4 ? WorkloadFlows.MIN_IPV4_PREFIX_CONTEXT : WorkloadFlows.MIN_IPV6_PREFIX_CONTEXT;
}

/** The shortest prefix of the family a CIDR flow may use without a waiver: the context value, else /8 and /16. */
function minimumPrefix(scope: Construct, family: 4 | 6): number {
  const key = minimumPrefixContextKey(family);
  const raw = scope.node.tryGetContext(key);
  if (raw === undefined) return family === 4 ? 8 : 16;
  const bits = family === 4 ? 32 : 128;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > bits) {
    throw new Error(`${scope.node.path}: context ${key} must be an integer from 1 to ${bits} (a prefix length), got ${JSON.stringify(raw)}`);
  }
  return value;
}
