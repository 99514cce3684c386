/**
 * The one table of kinds that run pods. Everything that needs to know which kinds carry a pod spec, where
 * it sits, which API resource an admission policy must match, or how the kind's pods behave (run to
 * completion, scale, run once per node) reads it: views, shape checks, the pod rules' CEL variables, the
 * policies' matchConstraints, the network analysis and the availability rules. Adding a workload kind is
 * adding a row here (see docs/development.md, "Adding a workload kind").
 */

/** When a kind's pods are expected to finish. */
export type Completion =
  /** Pods run until stopped (controllers that keep replicas or node agents running). */
  | 'never'
  /** Pods run to completion (Jobs and what creates them). */
  | 'always'
  /** Decided per object by `spec.restartPolicy`: `Never` and `OnFailure` run once, `Always` (the default) does not. */
  | 'restartPolicy';

/** One kind that carries a pod spec. */
export interface WorkloadKind {
  readonly kind: string;
  /** API group (`''` for the core group), version and plural resources, for admission matchConstraints. */
  readonly group: string;
  readonly version: string;
  /** Plural resource names, subresources written `pods/ephemeralcontainers`. */
  readonly resources: readonly string[];
  /**
   * Path to the object holding the pod's `metadata` and `spec`: `[]` for a Pod (its own metadata and spec),
   * `['template']` for a PodTemplate, `['spec', 'jobTemplate', 'spec', 'template']` for a CronJob.
   */
  readonly templatePath: readonly string[];
  /**
   * True when the template may legitimately be absent: the object then has no pod spec of its own and pod
   * rules skip it (an Argo Rollout with `spec.workloadRef` borrows a Deployment's template; that Deployment is
   * judged). For every other kind a missing template is judged as an empty pod spec.
   */
  readonly templateOptional: boolean;
  /** False for kinds that only describe pods (PodTemplate): nothing runs, so no network, identity or availability facts. */
  readonly runsPods: boolean;
  readonly completion: Completion;
  /** The kind has `spec.replicas` (a PodDisruptionBudget's minAvailable is compared with it). */
  readonly scalable: boolean;
  /**
   * The kind is what users declare to run interchangeable replicas of a service, so the availability rules
   * (disruption budget, spreading, replica count) judge it. ReplicaSets are scalable but normally created by a
   * Deployment, which is judged in their place (so one budget is not asked for twice); ReplicationControllers,
   * their legacy form, are treated alike.
   */
  readonly replicated: boolean;
  /** One pod per node (DaemonSet): host access is expected; disruption budgets and spreading do not apply. */
  readonly nodeAgent: boolean;
}

const SPEC_TEMPLATE = ['spec', 'template'];

function row(kind: string, group: string, version: string, resources: readonly string[], traits: Partial<WorkloadKind> = {}): WorkloadKind {
  return {
    kind,
    group,
    version,
    resources,
    templatePath: SPEC_TEMPLATE,
    templateOptional: false,
    runsPods: true,
    completion: 'never',
    scalable: false,
    replicated: false,
    nodeAgent: false,
    ...traits,
  };
}

/**
 * Every kind that carries a pod spec, built-in kinds first. Pods include the ephemeralcontainers subresource:
 * `kubectl debug` adds containers through it, and they are judged like the others (as Pod Security admission does).
 * The order is the order of the pod rules' kinds lists and of the CEL that picks the pod template.
 */
export const WORKLOAD_KIND_TABLE: readonly WorkloadKind[] = [
  row('Pod', '', 'v1', ['pods', 'pods/ephemeralcontainers'], { templatePath: [], completion: 'restartPolicy' }),
  row('Deployment', 'apps', 'v1', ['deployments'], { scalable: true, replicated: true }),
  row('StatefulSet', 'apps', 'v1', ['statefulsets'], { scalable: true, replicated: true }),
  row('DaemonSet', 'apps', 'v1', ['daemonsets'], { nodeAgent: true }),
  row('ReplicaSet', 'apps', 'v1', ['replicasets'], { scalable: true }),
  row('ReplicationController', '', 'v1', ['replicationcontrollers'], { scalable: true }),
  row('Job', 'batch', 'v1', ['jobs'], { completion: 'always' }),
  row('CronJob', 'batch', 'v1', ['cronjobs'], { templatePath: ['spec', 'jobTemplate', 'spec', 'template'], completion: 'always' }),
  row('PodTemplate', '', 'v1', ['podtemplates'], { templatePath: ['template'], runsPods: false }),
  // OpenShift: a Deployment with triggers; spec.template is required by its schema.
  row('DeploymentConfig', 'apps.openshift.io', 'v1', ['deploymentconfigs'], { scalable: true, replicated: true }),
  // Argo Rollouts: a Deployment with progressive delivery; spec.workloadRef may replace spec.template.
  row('Rollout', 'argoproj.io', 'v1alpha1', ['rollouts'], { scalable: true, replicated: true, templateOptional: true }),
];

const BY_KIND: ReadonlyMap<string, WorkloadKind> = new Map(WORKLOAD_KIND_TABLE.map((r) => [r.kind, r]));

/** The row of a kind, or undefined when the kind carries no pod spec that the table knows. */
export function workloadKind(kind: string): WorkloadKind | undefined {
  return BY_KIND.get(kind);
}

/** The kinds of the rows that pass the filter, in table order. */
export function workloadKinds(filter: (row: WorkloadKind) => boolean = () => true): readonly string[] {
  return WORKLOAD_KIND_TABLE.filter(filter).map((r) => r.kind);
}

/** Every kind that carries a pod spec (the pod rules' default kinds). */
export const WORKLOAD_KINDS: readonly string[] = workloadKinds();

/** Kinds whose objects create pods (every row but PodTemplate). */
export const RUNNING_KINDS: readonly string[] = workloadKinds((r) => r.runsPods);

/**
 * True when the pods of this object run to completion: Jobs and CronJobs always, a bare Pod when its
 * `restartPolicy` is `Never` or `OnFailure`. Kinds outside the table are not judged to (false).
 */
export function runsToCompletion(kind: string, podSpec: { readonly restartPolicy?: unknown }): boolean {
  const completion = workloadKind(kind)?.completion;
  if (completion === 'restartPolicy') return podSpec.restartPolicy === 'Never' || podSpec.restartPolicy === 'OnFailure';
  return completion === 'always';
}
