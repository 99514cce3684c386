/**
 * Readers shared by the pod rules: security contexts at pod and container level, how a container is
 * named in a message, and how a malformed field is described. Not a rule (the area index lists the rules).
 */
import { asArray, asObject, isObject, JsonObject } from '../../core/json';
import type { ContainerView, PodView } from '../../core/views';
import { runsToCompletion, workloadKinds } from '../../core/workload-kinds';
import { celList, ContainerCheck, present } from '../kit/cel';
import type { Violation } from '../rule';

/** `container "app"`, `init container "setup"`, `ephemeral container "debug"`: how messages name a container. */
export function describeContainer(container: ContainerView): string {
  const prefix = container.type === 'initContainers' ? 'init container' : container.type === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  return `${prefix} ${JSON.stringify(container.name)}`;
}

/** The container's securityContext (empty when unset or malformed). */
export function containerSecurityContext(container: ContainerView): JsonObject {
  return asObject(container.container.securityContext);
}

/** The pod-level securityContext (empty when unset or malformed). */
export function podSecurityContext(pod: PodView): JsonObject {
  return asObject(pod.spec.securityContext);
}

/** JSON path of a container's securityContext field. */
export function containerContextPath(container: ContainerView, field: string): string {
  return `${container.path}.securityContext.${field}`;
}

/** JSON path of a pod-level securityContext field. */
export function podContextPath(pod: PodView, field: string): string {
  return `${pod.specPath}.securityContext.${field}`;
}

/** True when the field holds a value (JSON `null` reads as unset, as in the Kubernetes API). */
export function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A short, safe rendering of any JSON value for messages (`(missing)` for an absent field). */
export function show(value: unknown): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * How a boolean switch that must stay off is set: `on` when true, `malformed` when set to something that
 * is not a boolean (the API server would reject it; the checker says so rather than letting it pass).
 */
export function switchState(value: unknown): 'off' | 'on' | 'malformed' {
  if (value === true) return 'on';
  if (!isSet(value) || value === false) return 'off';
  return 'malformed';
}

/**
 * Pods with `hostUsers: false` run in a user namespace: root in the container is an unprivileged user on
 * the node. The Pod Security Standards (1.35+) relax procMount (baseline), runAsNonRoot and runAsUser for them.
 */
export function usesUserNamespace(pod: PodView): boolean {
  return pod.spec.hostUsers === false;
}

/** Containers a pod actually runs for its workload (regular and init), without ephemeral debug containers. */
export function workloadContainers(pod: PodView): ContainerView[] {
  return pod.containers.filter((c) => c.type !== 'ephemeralContainers');
}

/** Regular containers only. */
export function mainContainers(pod: PodView): ContainerView[] {
  return pod.containers.filter((c) => c.type === 'containers');
}

/**
 * Checks that `/proc` is mounted with the runtime's default masking. `procMount` is a container-level field;
 * anything but `Default` (e.g. `Unmasked`) exposes kernel data the runtime normally hides.
 */
export function procMountViolations(pod: PodView): Violation[] {
  const violations: Violation[] = [];
  // Index loops: these run per pod and per container for every rule, mostly before V8 optimizes them, and for-of allocates an iterator result per step there.
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    const container = containers[i];
    const procMount = containerSecurityContext(container).procMount;
    if (isSet(procMount) && procMount !== 'Default') {
      violations.push({
        path: containerContextPath(container, 'procMount'),
        message: `${describeContainer(container)} sets securityContext.procMount to ${show(procMount)} (only "Default" is allowed)`,
      });
    }
  }
  return violations;
}

/** Profile types that keep seccomp or AppArmor on: the runtime's default profile or a named profile on the node. */
export const ALLOWED_PROFILE_TYPES: ReadonlySet<unknown> = new Set(['RuntimeDefault', 'Localhost']);

/**
 * Violations for a seccomp or AppArmor profile explicitly set to a forbidden type (Unconfined, empty,
 * unknown) at pod or container level, each at its own path.
 */
export function explicitProfileViolations(pod: PodView, field: 'seccompProfile' | 'appArmorProfile'): Violation[] {
  const violations: Violation[] = [];
  // Paths and names are built only for a violation: this runs for every container of every pod.
  const message = (where: string, profile: unknown) => `${where} sets securityContext.${field}.type to ${show(asObject(profile).type)} (allowed: "RuntimeDefault", "Localhost")`;
  const podProfile = podSecurityContext(pod)[field];
  if (forbiddenProfile(podProfile)) violations.push({ path: podContextPath(pod, `${field}.type`), message: message('pod', podProfile) });
  const containers = pod.containers;
  for (let i = 0; i < containers.length; i++) {
    const container = containers[i];
    const profile = containerSecurityContext(container)[field];
    if (forbiddenProfile(profile)) violations.push({ path: containerContextPath(container, `${field}.type`), message: message(describeContainer(container), profile) });
  }
  return violations;
}

/** A profile that is set to a type other than the allowed ones. */
function forbiddenProfile(profile: unknown): boolean {
  return isSet(profile) && !ALLOWED_PROFILE_TYPES.has(asObject(profile).type);
}

/**
 * The pod's volumes, plus a violation when the field is set but is not a list (the API would reject it;
 * the checker reports it rather than judging nothing).
 */
export function podVolumes(pod: PodView): { items: unknown[]; violations: Violation[] } {
  const { items, malformed } = listField(pod.spec.volumes);
  const violations = malformed ? [{ path: `${pod.specPath}.volumes`, message: `pod sets volumes to ${show(pod.spec.volumes)}, which is not a list` }] : [];
  return { items, violations };
}

/** The entries of a list field, or a malformed marker when the field is set but is not a list. */
export function listField(value: unknown): { items: unknown[]; malformed: boolean } {
  return { items: asArray(value), malformed: isSet(value) && !Array.isArray(value) };
}


/** The resources every container must request and be limited on. */
const RESOURCES: readonly string[] = ['cpu', 'memory'];

/** A resource quantity is set when it is a non-empty string or a finite number (`cpu: 1`). */
function quantitySet(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Violations for containers (regular and init) that lack `resources.<section>.cpu` or `.memory`. Pod-level
 * resources (`spec.resources`, Kubernetes 1.32+) bound the whole pod, so a value set there covers every container.
 */
export function resourceViolations(pod: PodView, section: 'requests' | 'limits', noun: string): Violation[] {
  const podSection = asObject(asObject(pod.spec.resources)[section]);
  const violations: Violation[] = [];
  const containers = workloadContainers(pod);
  for (let i = 0; i < containers.length; i++) {
    const container = containers[i];
    const values = asObject(asObject(container.container.resources)[section]);
    for (let j = 0; j < RESOURCES.length; j++) {
      const resource = RESOURCES[j];
      if (quantitySet(values[resource]) || quantitySet(podSection[resource])) continue;
      const value = values[resource];
      violations.push({
        path: `${container.path}.resources.${section}.${resource}`,
        message: isSet(value)
          ? `${describeContainer(container)} sets resources.${section}.${resource} to ${show(value)}, which is not a quantity`
          : `${describeContainer(container)} has no ${resource} ${noun}`,
      });
    }
  }
  return violations;
}

/**
 * Kinds whose pods may run until stopped, where probes decide traffic and restarts: every running kind but
 * those that always run to completion (readiness is meaningless for a Job); a bare Pod is decided per object.
 */
export const LONG_RUNNING_KINDS: readonly string[] = workloadKinds((w) => w.runsPods && w.completion !== 'always');

/** Violations for regular containers of long-running pods that lack the probe. */
export function probeViolations(pod: PodView, probe: 'livenessProbe' | 'readinessProbe'): Violation[] {
  if (runsToCompletion(pod.owner.kind, pod.spec)) return [];
  const violations: Violation[] = [];
  const containers = mainContainers(pod);
  for (let i = 0; i < containers.length; i++) {
    const container = containers[i];
    const value = container.container[probe];
    if (isObject(value)) continue;
    violations.push({
      path: `${container.path}.${probe}`,
      message: isSet(value) ? `${describeContainer(container)} sets ${probe} to ${show(value)}, which is not a probe` : `${describeContainer(container)} has no ${probe}`,
    });
  }
  return violations;
}

/* CEL for admission (src/admission): the same judgements, written against the shared pod variables. */

/**
 * CEL: no seccomp or AppArmor profile is explicitly set to a forbidden type, at pod or container level
 * (the counterpart of explicitProfileViolations).
 */
export function explicitProfileCel(field: 'seccompProfile' | 'appArmorProfile'): string {
  const allowed = celList([...ALLOWED_PROFILE_TYPES] as string[]);
  const ok = (profile: string) => `(has(${profile}.type) && ${profile}.type in ${allowed})`;
  const pod = `variables.podSecurityContext.${field}`;
  return (
    `(!has(${pod}) || ${ok(pod)}) && ` +
    `variables.allContainers.all(c, !(${present('c', `securityContext.${field}`)}) || ${ok(`c.securityContext.${field}`)})`
  );
}

/** Admission: every container mounts /proc with the default masking (the counterpart of procMountViolations). */
export const PROC_MOUNT_CHECK: ContainerCheck = {
  ok: `!(${present('c', 'securityContext.procMount')}) || c.securityContext.procMount == 'Default'`,
  problem: 'sets procMount other than Default',
};

/** Admission: regular and init containers have the cpu and memory `section`, or the pod sets it (resourceViolations). */
export function resourcesCheck(section: 'requests' | 'limits', problem: string): ContainerCheck {
  const covered = (resource: string) =>
    `(${present('c', `resources.${section}.${resource}`)} || ${present('variables.podSpec', `resources.${section}.${resource}`)})`;
  return { containers: '(variables.containers + variables.initContainers)', ok: RESOURCES.map(covered).join(' && '), problem };
}

/** Admission: regular containers of long-running pods have the probe (the counterpart of probeViolations). */
export function probeCheck(probe: 'livenessProbe' | 'readinessProbe'): ContainerCheck {
  return {
    unless: "(object.kind == 'Pod' && has(variables.podSpec.restartPolicy) && variables.podSpec.restartPolicy in ['Never', 'OnFailure'])",
    containers: 'variables.containers',
    ok: `has(c.${probe})`,
    problem: `has no ${probe}`,
  };
}
