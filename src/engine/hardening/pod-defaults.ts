/**
 * The pod-hardening core: the controls the library fills in a pod spec that leaves them unset. The hardened
 * workload constructs, `Hardening.harden` (JSON patches on any ApiObject) and `cdk8s-hardened fix` (edits to a
 * YAML document) all take their changes from `podHardeningChanges`, so they harden alike.
 *
 * The core never weakens or replaces an explicit value: an explicit weak value stays and the rules judge it.
 * Two fields are completed rather than filled: `capabilities.drop` gets `ALL` in front of the user's own list,
 * and (opt-in, for cdk8s-plus output) added capabilities spelled `CAP_X` are respelled `X` as Kubernetes spells them.
 * Input it cannot harden without guessing (a field of the wrong type on the way, a volume squatting the `tmp`
 * name) is an error naming the object, the field and the fix.
 */
import type { HardeningChange } from './change';
import { asArray, asObject, isObject, JsonObject } from '../../core/json';
import type { K8sObject } from '../../core/types';
import { viewObject, viewPod } from '../../core/views';
import { escalationRequiredBy } from '../shape';

/** UID and GID pods run as unless told otherwise: the distroless/Chainguard `nonroot` user. */
export const DEFAULT_RUN_AS_ID = 65532;
/** Where the writable scratch emptyDir is mounted in every container. */
export const TMP_MOUNT_PATH = '/tmp';
/** Name of the scratch emptyDir volume. */
export const TMP_VOLUME_NAME = 'tmp';
/** Size limit of the scratch emptyDir unless told otherwise. */
export const DEFAULT_TMP_SIZE_LIMIT = '64Mi';
/** Prefix of the legacy per-container AppArmor annotation (clusters before Kubernetes 1.30). */
export const LEGACY_APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Where the AppArmor profile is written: the pod field (Kubernetes >= 1.30), the legacy annotation, or both. */
export type AppArmorPlacement = 'field' | 'annotation' | 'field-and-annotation';

/** A volume (or a mount of a volume defined elsewhere, such as a claim template) the caller adds to the pod. */
export interface AddedMount {
  /** The volume added to `spec.volumes`; undefined when the volume comes from elsewhere (volumeClaimTemplates). */
  readonly volume?: JsonObject;
  /** The mount added to the containers. */
  readonly mount: { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean };
  /** What the volume is, for error messages (`the projected API token`). */
  readonly what: string;
  /** Mount it only in regular containers, not in init containers. @default false */
  readonly regularContainersOnly?: boolean;
  /** Rules the volume satisfies. @default [] */
  readonly ruleIds?: readonly string[];
}

/** A pod annotation the caller sets and owns. */
export interface OwnedAnnotation {
  readonly key: string;
  readonly value: string;
  /** Who sets it, for the error on a different explicit value (`the apiAccess of its AuditedServiceAccount`). */
  readonly setBy: string;
}

/** What the core fills where the object leaves it unset. Every field has the hardened default. */
export interface PodDefaultsOptions {
  /** UID and GID (runAsUser, runAsGroup, fsGroup) of the pod. @default 65532 */
  readonly runAsId?: number;
  /** The pod's seccomp profile JSON. @default { type: 'RuntimeDefault' } */
  readonly seccompProfile?: JsonObject;
  /** The pod's AppArmor profile JSON. @default { type: 'RuntimeDefault' } */
  readonly appArmorProfile?: JsonObject;
  /** Where the AppArmor profile is written. @default 'field' */
  readonly appArmorPlacement?: AppArmorPlacement;
  /** SELinux labels for the pod. @default - not set */
  readonly seLinuxOptions?: JsonObject;
  /** RuntimeClass of the pod. @default - not set */
  readonly runtimeClassName?: string;
  /** Node labels the pod must select (dedicated nodes); a different explicit value for a key is an error. @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Topology spread constraints written when the pod has none. @default - not set */
  readonly topologySpreadConstraints?: readonly JsonObject[];
  /** Size limit of the `/tmp` emptyDir. @default '64Mi' */
  readonly tmpSizeLimit?: string;
  /** Pod annotations the caller owns: a different explicit value is an error. @default - none */
  readonly podAnnotations?: readonly OwnedAnnotation[];
  /** Volumes and mounts the caller adds after the defaults (projected token, claim templates). @default - none */
  readonly addedMounts?: readonly AddedMount[];
  /** Respell added capabilities `CAP_X` as `X` (cdk8s-plus-27 writes the prefix; the standards do not). @default false */
  readonly respellCapabilities?: boolean;
  /** Names the object in error messages. @default '<Kind>/<name>' */
  readonly subject?: string;
}

type Path = ReadonlyArray<string | number>;

/** Records changes while applying them to a private copy, so later steps see earlier ones. */
class Recorder {
  public readonly changes: HardeningChange[] = [];
  constructor(private readonly root: JsonObject, private readonly subject: string) {}

  public read(path: Path): unknown {
    let current: unknown = this.root;
    for (const key of path) {
      if (current === undefined || current === null) return undefined;
      current = (current as Record<string | number, unknown>)[key];
    }
    return current;
  }

  /** Writes `value` at `path` when nothing (or null) is there; returns true when it wrote. */
  public fill(path: Path, value: unknown, ruleIds: readonly string[], description: string): boolean {
    if (this.read(path) != null) return false;
    this.write(path, value, ruleIds, description);
    return true;
  }

  /** Writes `value` at `path` whatever is there (only for completing a list, never for replacing a control). */
  public write(path: Path, value: unknown, ruleIds: readonly string[], description: string): void {
    const copy = clone(value);
    this.changes.push({ path: [...path], value: clone(value), ruleIds: [...ruleIds], description });
    setAt(this.root, path, copy, this.subject);
  }

  /** Appends to the list at `path` (created when unset). */
  public append(path: Path, value: unknown, ruleIds: readonly string[], description: string): void {
    const list = this.read(path);
    this.write([...path, list == null ? 0 : asList(list, path, this.subject).length], value, ruleIds, description);
  }
}

/**
 * The changes that harden the pod spec of `object` (a Pod, a workload or any kind with a pod template), in the
 * order they are applied. Pure and deterministic: `object` is not modified. Returns no change for objects without
 * a pod spec.
 */
export function podHardeningChanges(object: K8sObject, options: PodDefaultsOptions = {}): HardeningChange[] {
  const view = viewObject(object);
  const pod = viewPod(view);
  if (!pod) return [];
  const subject = options.subject ?? `${view.kind}/${view.name}`;
  const recorder = new Recorder(clone(object) as JsonObject, subject);
  const specPath = splitPath(pod.specPath);
  const metadataPath = splitPath(pod.metadataPath);
  const runAsId = options.runAsId ?? DEFAULT_RUN_AS_ID;
  requireObjects(recorder, subject, [specPath, metadataPath, [...specPath, 'securityContext']]);

  const podSc = [...specPath, 'securityContext'];
  recorder.fill([...podSc, 'runAsNonRoot'], true, ['pod-run-as-non-root'], 'runAsNonRoot: true on the pod');
  recorder.fill([...podSc, 'runAsUser'], runAsId, ['pod-run-as-user', 'pod-run-as-high-uid'], `runAsUser: ${runAsId} on the pod`);
  recorder.fill([...podSc, 'runAsGroup'], runAsId, ['pod-run-as-high-uid'], `runAsGroup: ${runAsId} on the pod`);
  recorder.fill([...podSc, 'fsGroup'], runAsId, [], `fsGroup: ${runAsId} on the pod (volumes writable by the pod's group)`);
  recorder.fill([...podSc, 'fsGroupChangePolicy'], 'OnRootMismatch', [], 'fsGroupChangePolicy: OnRootMismatch on the pod');
  const seccomp = options.seccompProfile ?? { type: 'RuntimeDefault' };
  recorder.fill([...podSc, 'seccompProfile'], seccomp, ['pod-seccomp-baseline', 'pod-seccomp-restricted'], `seccompProfile ${String(seccomp.type)} on the pod`);
  const appArmor = options.appArmorProfile ?? { type: 'RuntimeDefault' };
  const placement = options.appArmorPlacement ?? 'field';
  if (placement !== 'annotation') {
    recorder.fill([...podSc, 'appArmorProfile'], appArmor, ['pod-apparmor-profile'], `appArmorProfile ${String(appArmor.type)} on the pod`);
  }
  if (options.seLinuxOptions) {
    recorder.fill([...podSc, 'seLinuxOptions'], options.seLinuxOptions, ['pod-selinux-options'], 'seLinuxOptions on the pod');
  }
  if (options.runtimeClassName !== undefined) {
    recorder.fill([...specPath, 'runtimeClassName'], options.runtimeClassName, [], `runtimeClassName: ${options.runtimeClassName}`);
  }
  for (const [key, value] of Object.entries(options.nodeSelector ?? {})) {
    requireObjects(recorder, subject, [[...specPath, 'nodeSelector']]);
    const existing = recorder.read([...specPath, 'nodeSelector', key]);
    if (existing != null && existing !== value) {
      throw new Error(`${subject}: nodeSelector ${key}=${String(existing)} conflicts with dedicatedNodes ${key}=${value}. Fix: remove one of them.`);
    }
    recorder.fill([...specPath, 'nodeSelector', key], value, [], `nodeSelector ${key}=${value}`);
  }
  if (options.topologySpreadConstraints) {
    recorder.fill([...specPath, 'topologySpreadConstraints'], options.topologySpreadConstraints, ['workload-spread-or-anti-affinity'], 'topology spread over nodes and zones');
  }
  recorder.fill([...specPath, 'automountServiceAccountToken'], false, ['pod-automount-service-account-token'], 'automountServiceAccountToken: false on the pod');

  const containers = containerPaths(recorder, specPath, 'containers');
  const initContainers = containerPaths(recorder, specPath, 'initContainers');
  let needsScratch = false;
  for (const { path, name } of [...containers, ...initContainers]) {
    fillContainer(recorder, subject, path, name, options.respellCapabilities ?? false);
    const mounts = asList(recorder.read([...path, 'volumeMounts']) ?? [], [...path, 'volumeMounts'], subject);
    if (!mounts.some((m) => asObject(m).mountPath === TMP_MOUNT_PATH)) {
      recorder.append([...path, 'volumeMounts'], { mountPath: TMP_MOUNT_PATH, name: TMP_VOLUME_NAME }, ['pod-read-only-root-filesystem'],
        `writable ${TMP_MOUNT_PATH} emptyDir mounted in container "${name}"`);
      needsScratch = true;
    }
    if (placement !== 'field' && typeof recorder.read([...path, 'name']) === 'string') {
      requireObjects(recorder, subject, [[...metadataPath, 'annotations']]);
      recorder.fill([...metadataPath, 'annotations', `${LEGACY_APPARMOR_PREFIX}${name}`], appArmorAnnotation(appArmor), ['pod-apparmor-profile'],
        `AppArmor annotation ${appArmorAnnotation(appArmor)} for container "${name}"`);
    }
  }

  for (const { key, value, setBy } of options.podAnnotations ?? []) {
    requireObjects(recorder, subject, [[...metadataPath, 'annotations']]);
    const existing = recorder.read([...metadataPath, 'annotations', key]);
    if (existing != null && existing !== value) {
      throw new Error(`${subject}: annotation ${key} is set by ${setBy}. Fix: remove it from the pod metadata.`);
    }
    recorder.fill([...metadataPath, 'annotations', key], value, [], `pod annotation ${key}`);
  }
  for (const added of options.addedMounts ?? []) {
    const volumeName = added.volume ? String(added.volume.name) : added.mount.name;
    if (volumeNames(recorder, specPath, subject).includes(volumeName)) {
      throw new Error(`${subject}: a volume is already named "${volumeName}", the name of ${added.what}. Fix: rename that volume.`);
    }
    if (added.volume) recorder.append([...specPath, 'volumes'], added.volume, added.ruleIds ?? [], `volume "${volumeName}" (${added.what})`);
    for (const { path, name } of added.regularContainersOnly ? containers : [...containers, ...initContainers]) {
      const taken = asList(recorder.read([...path, 'volumeMounts']) ?? [], [...path, 'volumeMounts'], subject)
        .map(asObject).find((m) => m.mountPath === added.mount.mountPath);
      if (taken) {
        throw new Error(`${subject}: container "${name}" already mounts volume "${String(taken.name)}" at ${added.mount.mountPath}, `
          + `where ${added.what} is mounted. Fix: mount that volume elsewhere.`);
      }
      recorder.append([...path, 'volumeMounts'], added.mount, added.ruleIds ?? [], `${added.what} mounted in container "${name}" at ${added.mount.mountPath}`);
    }
  }
  if (needsScratch) {
    if (volumeNames(recorder, specPath, subject).includes(TMP_VOLUME_NAME)) {
      throw new Error(`${subject}: a volume is already named "${TMP_VOLUME_NAME}"; it is reserved for the /tmp emptyDir. `
        + `Fix: rename that volume, or mount it at ${TMP_MOUNT_PATH} in every container.`);
    }
    const sizeLimit = options.tmpSizeLimit ?? DEFAULT_TMP_SIZE_LIMIT;
    recorder.append([...specPath, 'volumes'], { emptyDir: { sizeLimit }, name: TMP_VOLUME_NAME }, ['pod-read-only-root-filesystem'],
      `emptyDir volume "${TMP_VOLUME_NAME}" (${sizeLimit}) for ${TMP_MOUNT_PATH}`);
  }
  return recorder.changes;
}

/**
 * Applies changes to a copy of `object` and returns the copy: each value is written at its path, creating the
 * missing objects (or lists, before a numeric segment) on the way. `object` is not modified.
 */
export function applyChanges(object: K8sObject, changes: readonly HardeningChange[]): K8sObject {
  const copy = clone(object) as K8sObject;
  const subject = `${String(object.kind)}/${String(asObject(object.metadata).name)}`;
  for (const change of changes) setAt(copy, change.path, clone(change.value), subject);
  return copy;
}

/** The legacy annotation value of an AppArmor profile JSON (`runtime/default`, `localhost/<name>`, `unconfined`). */
export function appArmorAnnotation(profile: JsonObject): string {
  if (profile.type === 'Localhost') return `localhost/${String(profile.localhostProfile)}`;
  return profile.type === 'RuntimeDefault' ? 'runtime/default' : 'unconfined';
}

function fillContainer(recorder: Recorder, subject: string, path: Path, name: string, respell: boolean): void {
  const sc = [...path, 'securityContext'];
  requireObjects(recorder, subject, [sc, [...sc, 'capabilities']]);
  const where = `container "${name}"`;
  recorder.fill([...sc, 'runAsNonRoot'], true, ['pod-run-as-non-root'], `runAsNonRoot: true on ${where}`);
  recorder.fill([...sc, 'privileged'], false, ['pod-privileged'], `privileged: false on ${where}`);
  // The API server refuses allowPrivilegeEscalation: false beside privileged: true or an added CAP_SYS_ADMIN (as
  // written: respelled below to SYS_ADMIN it is no conflict). There the field stays unset, and
  // pod-allow-privilege-escalation reports the container, which a privileged one fails whatever the field says.
  const context = asObject(recorder.read(sc));
  const refusesFalse = escalationRequiredBy(respell ? { privileged: context.privileged } : context) !== undefined;
  if (!refusesFalse) recorder.fill([...sc, 'allowPrivilegeEscalation'], false, ['pod-allow-privilege-escalation'], `allowPrivilegeEscalation: false on ${where}`);
  recorder.fill([...sc, 'readOnlyRootFilesystem'], true, ['pod-read-only-root-filesystem'], `readOnlyRootFilesystem: true on ${where}`);
  const caps = [...sc, 'capabilities'];
  const add = recorder.read([...caps, 'add']);
  if (respell && Array.isArray(add)) {
    const spelled = add.map((c) => (typeof c === 'string' ? c.replace(/^CAP_/, '') : c));
    if (spelled.some((c, i) => c !== add[i])) {
      recorder.write([...caps, 'add'], spelled, ['pod-capabilities-baseline', 'pod-capabilities-restricted'], `added capabilities spelled without CAP_ on ${where}`);
    }
  }
  const drop = recorder.read([...caps, 'drop']);
  if (drop == null) {
    recorder.write([...caps, 'drop'], ['ALL'], ['pod-capabilities-restricted'], `capabilities drop ALL on ${where}`);
  } else {
    const list = asList(drop, [...caps, 'drop'], subject);
    const spelled = respell ? list.map((c) => (typeof c === 'string' ? c.replace(/^CAP_/, '') : c)) : list;
    const completed = spelled.includes('ALL') ? spelled : ['ALL', ...spelled];
    if (completed.length !== list.length || completed.some((c, i) => c !== list[i])) {
      recorder.write([...caps, 'drop'], completed, ['pod-capabilities-restricted'], `capabilities drop ALL (kept the listed ones) on ${where}`);
    }
  }
}

function containerPaths(recorder: Recorder, specPath: Path, type: string): Array<{ path: Path; name: string }> {
  return asArray(recorder.read([...specPath, type])).flatMap((container, index) =>
    (isObject(container) ? [{ path: [...specPath, type, index], name: typeof container.name === 'string' ? container.name : `#${index}` }] : []));
}

function volumeNames(recorder: Recorder, specPath: Path, subject: string): unknown[] {
  return asList(recorder.read([...specPath, 'volumes']) ?? [], [...specPath, 'volumes'], subject).map((v) => asObject(v).name);
}

/** Throws unless each path holds an object or nothing: the core never overwrites a value of the wrong type. */
function requireObjects(recorder: Recorder, subject: string, paths: readonly Path[]): void {
  for (const path of paths) {
    const value = recorder.read(path);
    if (value != null && !isObject(value)) {
      throw new Error(`${subject}: ${formatPath(path)} is ${describe(value)}, not an object, so it cannot be hardened. Fix: make it an object (or remove it).`);
    }
  }
}

function asList(value: unknown, path: Path, subject: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new Error(`${subject}: ${formatPath(path)} is ${describe(value)}, not a list, so it cannot be hardened. Fix: make it a list (or remove it).`);
  }
  return value;
}

function setAt(root: unknown, path: Path, value: unknown, subject: string): void {
  let current = root as Record<string | number, unknown>;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      current[key] = value;
      return;
    }
    let next = current[key];
    if (next == null) {
      next = typeof path[i + 1] === 'number' ? [] : {};
      current[key] = next;
    } else if (typeof next !== 'object') {
      throw new Error(`${subject}: ${formatPath(path.slice(0, i + 1))} is ${describe(next)}, so ${formatPath(path)} cannot be set. Fix: make it ${typeof path[i + 1] === 'number' ? 'a list' : 'an object'}.`);
    }
    current = next as Record<string | number, unknown>;
  });
}

function splitPath(dotted: string): string[] {
  return dotted.split('.');
}

function formatPath(path: Path): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}
