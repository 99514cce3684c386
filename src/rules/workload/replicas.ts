/** How many pods a workload runs, counting a HorizontalPodAutoscaler that scales it. */
import { autoscalerOf } from './selection';
import { asNumber, asObject } from '../../core/json';
import type { ObjectIndex } from '../../core/object-index';
import type { ObjectView } from '../../core/views';
import { workloadKinds } from '../../core/workload-kinds';

/** Kinds whose pods are interchangeable replicas that a disruption budget and spreading protect. */
export const REPLICATED_KINDS: readonly string[] = workloadKinds((w) => w.replicated);

/** The replica counts a workload runs at: `min` at its lowest scale, `max` at its highest. */
export interface ReplicaRange {
  readonly min: number;
  readonly max: number;
  /** The HorizontalPodAutoscaler that scales it, when one is in the set. */
  readonly autoscaler?: ObjectView;
}

/**
 * `spec.replicas` (Kubernetes defaults it to 1), widened by an autoscaler targeting the workload:
 * its `minReplicas` (default 1) when replicas is unset, and its `maxReplicas`.
 */
export function replicaRange(workload: ObjectView, index: ObjectIndex): ReplicaRange {
  const spec = asObject(workload.object.spec);
  const replicas = asNumber(spec.replicas);
  const autoscaler = autoscalerOf(index, workload);
  if (!autoscaler) {
    const count = replicas ?? 1;
    return { min: count, max: count };
  }
  const hpaSpec = asObject(autoscaler.object.spec);
  const hpaMin = asNumber(hpaSpec.minReplicas) ?? 1;
  const hpaMax = asNumber(hpaSpec.maxReplicas) ?? hpaMin;
  const min = replicas ?? hpaMin;
  return { min, max: Math.max(min, hpaMax), autoscaler };
}

/** True when the workload may run more than one pod. */
export function isReplicated(workload: ObjectView, index: ObjectIndex): boolean {
  return REPLICATED_KINDS.includes(workload.kind) && replicaRange(workload, index).max > 1;
}
