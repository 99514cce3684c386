import { App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { analyzeReachability, NetworkEndpoint, NetworkFlow, ReachabilityResult, toMarkdownTable, toMermaid, WorkloadIsolation } from '../analysis/network';

/** Options of the reachability analysis. */
export interface NetworkReachabilityOptions {
  /**
   * CIDRs of the cluster's pod network. An ipBlock reaching into them is treated as also matching every pod;
   * without them ipBlocks are taken to address cluster-external IPs only.
   * @default - none
   */
  readonly podCidrs?: string[];
}

/**
 * Which workload may reach which, on which ports, under the NetworkPolicies of a set of manifests.
 * Assumes a CNI that enforces NetworkPolicy (Calico, Cilium, cloud CNIs); see docs/namespaces.md.
 */
export class NetworkReachability {
  /** Analyses every object of a chart and of the charts nested in it (LockedNamespaces included). */
  public static fromChart(chart: Chart, options: NetworkReachabilityOptions = {}): NetworkReachability {
    return NetworkReachability.fromObjects(chartObjects(chart), options);
  }

  /** Analyses every object of every chart of an app. */
  public static fromApp(app: App, options: NetworkReachabilityOptions = {}): NetworkReachability {
    return NetworkReachability.fromObjects(chartObjects(app), options);
  }

  /** Analyses plain Kubernetes objects (parsed YAML or JSON). */
  public static fromObjects(objects: any[], options: NetworkReachabilityOptions = {}): NetworkReachability {
    return new NetworkReachability(analyzeReachability(objects, options));
  }

  /** Workloads and outside endpoints, sorted by id. */
  public readonly endpoints: NetworkEndpoint[];
  /** Permitted flows, sorted. */
  public readonly flows: NetworkFlow[];
  /** Isolation of each workload. */
  public readonly isolation: WorkloadIsolation[];
  /** Parts of the input the analysis could not read. */
  public readonly problems: string[];

  private constructor(private readonly result: ReachabilityResult) {
    this.endpoints = result.endpoints;
    this.flows = result.flows;
    this.isolation = result.isolation;
    this.problems = result.problems;
  }

  /** A Mermaid flowchart of the permitted flows. */
  public toMermaid(): string {
    return toMermaid(this.result);
  }

  /** A Markdown table of the permitted flows. */
  public toMarkdownTable(): string {
    return toMarkdownTable(this.result);
  }
}

function chartObjects(root: IConstruct): any[] {
  const charts = root.node.findAll().filter((c): c is Chart => Chart.isChart(c));
  return charts.flatMap((chart) => chart.toJson());
}
