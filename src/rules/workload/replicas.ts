/** How many pods a workload runs, counting a HorizontalPodAutoscaler that scales it. */
import { asNumber, asObject, asString } from '../../check/json';
import { mayShareNamespace } from '../../check/label-selector';
import type { ObjectIndex } from '../../check/object-index';
import type { ObjectView } from '../../check/views';

/** Kinds whose pods are interchangeable replicas that a disruption budget and spreading protect. */
export const REPLICATED_KINDS: readonly string[] = ['Deployment', 'StatefulSet'];

/** Kinds a PodDisruptionBudget's minAvailable is compared with. */
export const SCALABLE_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

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
  const autoscaler = index.ofKind('HorizontalPodAutoscaler').find((hpa) => {
    const target = asObject(asObject(hpa.object.spec).scaleTargetRef);
    return asString(target.kind) === workload.kind && asString(target.name) === workload.name && mayShareNamespace(hpa.namespace, workload.namespace);
  });
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
