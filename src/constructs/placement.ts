/**
 * Where pods run and how many may be down at once: node isolation, spreading and disruption budgets.
 * Plain data types; the pod-hardening core turns them into pod-spec fields.
 */
import * as kplus from 'cdk8s-plus-27';

/** A node label (`key=value`). */
export interface NodeLabel {
  readonly key: string;
  readonly value: string;
}

/** A node taint the pods tolerate. */
export interface NodeTaint {
  readonly key: string;
  /** @default - the label value of `DedicatedNodes` */
  readonly value?: string;
  /** @default kplus.TaintEffect.NO_SCHEDULE */
  readonly effect?: kplus.TaintEffect;
}

/**
 * Run the pods only on a dedicated, labelled (and usually tainted) node pool: the pods get a `nodeSelector`
 * for the label and a toleration for the taint, so sensitive workloads do not share nodes with the rest.
 */
export interface DedicatedNodes {
  /** The label of the dedicated nodes (`nodeSelector`). */
  readonly label: NodeLabel;
  /**
   * The taint that keeps other pods off those nodes.
   * @default - a taint with the label's key and value and effect NoSchedule
   */
  readonly taint?: NodeTaint;
}

/** How replicas are spread across nodes and zones (`topologySpreadConstraints`). */
export enum TopologySpread {
  /**
   * Spread across nodes (`kubernetes.io/hostname`) and zones (`topology.kubernetes.io/zone`) with maxSkew 1,
   * `whenUnsatisfiable: ScheduleAnyway`: pods still schedule on a one-node or one-zone cluster.
   */
  PREFERRED = 'ScheduleAnyway',
  /** The same constraints with `whenUnsatisfiable: DoNotSchedule`: a pod stays pending rather than doubling up. */
  REQUIRED = 'DoNotSchedule',
  /** No spread constraints. */
  NONE = 'None',
}

/** Pod anti-affinity between the replicas of one workload, per node. */
export enum PodAntiAffinity {
  /** No anti-affinity (the topology spread constraints already balance replicas). */
  NONE = 'None',
  /** Prefer one replica per node (weight 100). */
  PREFERRED = 'Preferred',
  /** Never two replicas on one node. */
  REQUIRED = 'Required',
}

/** The PodDisruptionBudget a replicated workload gets. */
export interface DisruptionBudgetOptions {
  /** @default true when the workload has more than one replica */
  readonly enabled?: boolean;
  /** Pods that may be evicted at once. @default 1 */
  readonly maxUnavailable?: number;
}
