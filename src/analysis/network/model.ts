/**
 * The result types of the reachability analysis. Plain readonly structs (jsii-friendly) so the public
 * facade can return them as they are.
 */

/** What an endpoint of a flow stands for. */
export enum EndpointKind {
  /** A workload of the analysed set (a Pod, or the pods of a Deployment, StatefulSet, ...). */
  WORKLOAD = 'workload',
  /** Any address not otherwise modelled: other pods outside the set, nodes, the Internet. */
  ANY = 'any',
  /** An ipBlock peer (`cidr` minus `except`). */
  CIDR = 'cidr',
  /** Pods selected by a namespaceSelector/podSelector peer that may lie outside the analysed set (kube-dns, an ingress controller). */
  SELECTOR = 'selector',
}

/** A node of the flow graph. */
export interface NetworkEndpoint {
  /** Stable id: `Deployment/shop/api`, `any`, `cidr:10.0.0.0/8`, `selector:...`. */
  readonly id: string;
  readonly kind: EndpointKind;
  /** Short human label (`api`, `10.0.0.0/8 except 10.1.0.0/16`, `kube-system: k8s-app=kube-dns`). */
  readonly label: string;
  /** Namespace of a workload, or of a selector peer when it names one. */
  readonly namespace?: string;
  /** Workload name. */
  readonly name?: string;
  /** Workload kind (Deployment, Pod, ...). */
  readonly workloadKind?: string;
}

/** One permitted flow: `from` may open connections to `to` on these ports. */
export interface NetworkFlow {
  /** Endpoint id of the client. */
  readonly from: string;
  /** Endpoint id of the server. */
  readonly to: string;
  /** `TCP`, `UDP`, `SCTP`, or `any` when every protocol and port is allowed. */
  readonly protocol: string;
  /** First port; absent when every port of the protocol is allowed (or the port is named). */
  readonly port?: number;
  /** Last port of a range; absent for a single port. */
  readonly endPort?: number;
  /** A named port that could not be resolved to a number (the server's pods are not in the set). */
  readonly portName?: string;
}

/** Whether NetworkPolicies isolate a workload, and which ones select it. */
export interface WorkloadIsolation {
  /** Endpoint id of the workload. */
  readonly workload: string;
  /** True when some policy selecting its pods has policy type Ingress: only allowed ingress passes. */
  readonly ingressIsolated: boolean;
  /** True when some policy selecting its pods has policy type Egress. */
  readonly egressIsolated: boolean;
  /** `namespace/name` of every NetworkPolicy that selects the workload's pods, sorted. */
  readonly policies: string[];
}

/** Everything the analysis found. */
export interface ReachabilityResult {
  /** Every endpoint that takes part in a flow or is a workload, sorted by id. */
  readonly endpoints: NetworkEndpoint[];
  /** Every permitted flow, sorted by from, to, protocol, port. */
  readonly flows: NetworkFlow[];
  /** Isolation of each workload, sorted by workload id. */
  readonly isolation: WorkloadIsolation[];
  /** Input the analysis could not read (invalid selectors, CIDRs, ports); such parts never widen access. */
  readonly problems: string[];
}
