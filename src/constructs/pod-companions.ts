/**
 * The objects and scheduling a hardened workload brings along: its own ServiceAccount (never `default`), a
 * PodDisruptionBudget and topology spread when replicated, tolerations for dedicated nodes. Shared by the hardened
 * constructs and `Hardening.harden` (which adds them to workloads the library did not create).
 */
import { ApiObject, Chart, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AuditedServiceAccount, OWNER_ANNOTATION as OWNER_LABEL } from './audited-service-account';
import { DedicatedNodes, PodAntiAffinity, TopologySpread } from './placement';
import { requireWaiver } from './waivers';
import type { WorkloadAvailabilityProps } from './workload-props';
import { JsonObject } from '../core/json';
import type { Waiver } from '../core/types';

/** Who the workload's identity belongs to and why it exists. */
export interface WorkloadIdentityProps {
  /** The `owner` the user gave; else the owner label of the chart (a LockedNamespace sets one). */
  readonly owner?: string;
  readonly purpose: string;
  readonly namespace?: string;
  /** Names the workload in errors (`test/web`). */
  readonly path: string;
  /** Names what needs the owner (`HardenedDeployment`). */
  readonly construct: string;
}

/** One identity per workload, never `default`: no token, no permissions until its owner grants some. */
export function workloadServiceAccount(scope: Construct, id: string, props: WorkloadIdentityProps): AuditedServiceAccount {
  return new AuditedServiceAccount(scope, id, {
    owner: workloadOwner(scope, props),
    purpose: props.purpose,
    metadata: { namespace: props.namespace },
  });
}

/** Owner of the workload's identity: the `owner` prop, else the owner label of its chart. */
export function workloadOwner(scope: Construct, props: Pick<WorkloadIdentityProps, 'owner' | 'path' | 'construct'>): string {
  const owner = props.owner ?? Chart.of(scope).labels[OWNER_LABEL];
  if (owner === undefined) {
    throw new Error(`${props.path}: ${props.construct} needs an owner for its AuditedServiceAccount (annotation ${OWNER_LABEL}). `
      + `Fix: set owner: 'team-name', create the workload inside a LockedNamespace, give its chart the label ${OWNER_LABEL}, or pass serviceAccount.`);
  }
  return owner;
}

/** The label selector of a cdk8s-plus workload's pods, for its disruption budget and spread constraints. */
export function podSelector(workload: kplus.Workload, construct: string): JsonObject {
  const matchLabels = workload.matchLabels;
  const matchExpressions = workload.matchExpressions;
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) {
    throw new Error(`[${workload.node.path}] ${construct}: the workload selects no pods (select: false), so its PodDisruptionBudget `
      + 'and spread constraints would match every pod. Fix: keep select enabled or call select().');
  }
  return withoutUndefined({
    matchLabels: Object.keys(matchLabels).length > 0 ? matchLabels : undefined,
    matchExpressions: matchExpressions.length > 0
      ? matchExpressions.map((e) => withoutUndefined({ key: e.key, operator: e.operator, values: e.values }))
      : undefined,
  });
}

/** Whether a workload with these replicas and availability props spreads its pods. */
export function spreads(replicas: number | undefined, availability: WorkloadAvailabilityProps | undefined): boolean {
  if (availability === undefined || (replicas ?? 1) <= 1) return false;
  return (availability.topologySpread ?? TopologySpread.PREFERRED) !== TopologySpread.NONE;
}

/** Spread over nodes and zones, one skew each. */
export function spreadConstraints(selector: JsonObject, topologySpread: TopologySpread | undefined): JsonObject[] {
  const whenUnsatisfiable = topologySpread ?? TopologySpread.PREFERRED;
  return ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
    labelSelector: selector,
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
  }));
}

/** Checks a budget's `maxUnavailable` against the replicas (a budget that lets every replica go protects nothing). */
export function checkedMaxUnavailable(scope: Construct, path: string, replicas: number, maxUnavailable: number, waivers: readonly Waiver[]): number {
  if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1) {
    throw new Error(`${path}: disruptionBudget.maxUnavailable must be a positive integer, got ${maxUnavailable}`);
  }
  if (replicas > 1 && maxUnavailable >= replicas) {
    requireWaiver(scope, waivers, 'workload-pdb-missing',
      `disruptionBudget.maxUnavailable ${maxUnavailable} lets all ${replicas} replicas go down at once`, 'Lower maxUnavailable below the replica count');
  }
  return maxUnavailable;
}

/** A PodDisruptionBudget for the pods `selector` produces (read at synth, so later `select()` calls count). */
export function disruptionBudget(scope: Construct, id: string, namespace: string | undefined, maxUnavailable: number,
  selector: () => JsonObject): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { namespace },
    spec: Lazy.any({ produce: () => ({ maxUnavailable, selector: selector() }) }),
  });
}

/** Budget, anti-affinity and their waivers for a hardened cdk8s-plus workload. */
export function addAvailability(workload: kplus.Workload, construct: string, path: string, replicas: number,
  availability: WorkloadAvailabilityProps, waivers: readonly Waiver[]): void {
  const budget = availability.disruptionBudget ?? {};
  if (budget.enabled === false && replicas > 1) {
    requireWaiver(workload, waivers, 'workload-pdb-missing', `disruptionBudget.enabled false on ${replicas} replicas`, 'Keep the PodDisruptionBudget');
  }
  if (budget.enabled ?? replicas > 1) {
    const maxUnavailable = checkedMaxUnavailable(workload, path, replicas, budget.maxUnavailable ?? 1, waivers);
    disruptionBudget(workload, 'DisruptionBudget', workload.metadata.namespace, maxUnavailable, () => podSelector(workload, construct));
  }
  const antiAffinity = availability.podAntiAffinity ?? PodAntiAffinity.NONE;
  if (antiAffinity !== PodAntiAffinity.NONE) {
    workload.scheduling.spread({
      topology: kplus.Topology.HOSTNAME,
      weight: antiAffinity === PodAntiAffinity.PREFERRED ? 100 : undefined,
    });
  }
}

/** Tolerates the taint of dedicated nodes (the label itself is a nodeSelector the core writes). */
export function tolerateDedicatedNodes(workload: kplus.Workload, nodes: DedicatedNodes): void {
  const taint = nodes.taint;
  workload.scheduling.tolerate(
    kplus.Node.tainted(
      kplus.NodeTaintQuery.is(taint?.key ?? nodes.label.key, taint?.value ?? nodes.label.value, {
        effect: taint?.effect ?? kplus.TaintEffect.NO_SCHEDULE,
      }),
    ),
  );
}

export function withoutUndefined(value: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
