/**
 * The pod-hardening core shared by every hardened workload kind (no per-kind copies).
 *
 * How it works:
 * - Before the cdk8s-plus constructor runs, the core validates the waivers, chooses the ServiceAccount and fills
 *   the pod-level security context defaults through the cdk8s-plus props.
 * - Everything else is applied when the workload is serialized (synth, `Testing.synth`, `chart.toJson`, a direct
 *   `toJson`), to the final JSON: containers, init containers and volumes added at any time, through any
 *   cdk8s-plus method, are hardened alike. Unset controls are filled; explicit values are kept.
 *   Working on the JSON also covers what cdk8s-plus-27 cannot express (seccomp, AppArmor, SELinux,
 *   `capabilities.drop: [ALL]`, runtimeClassName, nodeSelector, topology spread, claim templates): its
 *   Kubernetes 1.27 types would drop later fields (`appArmorProfile`) even from JSON patches.
 * - The hardened JSON is then judged with the rule engine, honouring the workload's waivers and the options of
 *   the nearest `Hardening.enforce` scope: an explicit value that weakens a control, or any gap, throws naming
 *   the construct path, rule, JSON path and fix. No path can serialize a gap, and synth serializes each workload
 *   once (cdk8s 2.70 runs `node.validate()` twice per synth, so judging there would triple the cost).
 */
import { ApiObject, Chart, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { AuditedServiceAccount, OWNER_ANNOTATION as OWNER_LABEL } from './audited-service-account';
import { engineOptions, nearestEnforceOptions } from './enforce-options';
import { DedicatedNodes, PodAntiAffinity, TopologySpread } from './placement';
import { AppArmorMode, AppArmorProfile, SeccompProfile } from './security-profiles';
import { guardSerialization, yamlMismatch, yamlMismatchError } from './synth-yaml';
import { foreignWaiverMetadata, recordWaivers, requireWaiver, validateWaivers } from './waivers';
import type { WorkloadAvailabilityProps, WorkloadHardeningProps } from './workload-props';
import { asArray, asObject, isObject, JsonObject } from '../core/json';
import { K8sObject, Severity, Waiver } from '../core/types';
import { API_ACCESS_ANNOTATION, canonicalWaiver, formatWaivers } from '../core/waivers';
import { checkObjects } from '../engine/engine';
import { ALL_RULES, findRule } from '../rules';

/** UID and GID the pods run as unless the props say otherwise: the distroless/Chainguard `nonroot` user. */
export const DEFAULT_RUN_AS_ID = 65532;
/** Where the writable scratch emptyDir is mounted in every container. */
export const TMP_MOUNT_PATH = '/tmp';
/** Name of the scratch emptyDir volume. */
export const TMP_VOLUME_NAME = 'tmp';
const DEFAULT_TMP_SIZE = Size.mebibytes(64);
const LEGACY_APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** What differs between workload kinds; everything else is shared. */
export interface WorkloadTraits {
  /** Construct name used in messages (`HardenedDeployment`). */
  readonly construct: string;
  /** Kubernetes kind of the workload object. */
  readonly kind: string;
  /** Path of the pod template in the workload object. */
  readonly templatePath: readonly string[];
  /** Batch kinds run to completion: liveness/readiness probe rules are waived for them (when the catalog has such rules). */
  readonly batch: boolean;
  /** Only node agents (DaemonSet) may waive host-access rules. */
  readonly hostAccessWaivable: boolean;
}

/** A claim template's mount, added to every regular container (StatefulSet). */
export interface ClaimMount {
  readonly name: string;
  readonly mountPath: string;
}

/** What `finish()` needs to know about the constructed workload. */
export interface FinishOptions {
  /** Desired replicas, for the disruption budget and spreading (undefined for kinds without replicas). */
  readonly replicas?: number;
  readonly availability?: WorkloadAvailabilityProps;
  /** StatefulSet `spec.volumeClaimTemplates`, mounted in every regular container. */
  readonly claimTemplates?: readonly unknown[];
  readonly claimMounts?: readonly ClaimMount[];
}

/** Probe rules that do not apply to pods that run to completion. */
const BATCH_PROBE_RULES = ['pod-liveness-probe', 'pod-readiness-probe'];

/** Rules about access to the node itself: only a DaemonSet (node agent) may waive them. */
export function isHostAccessRule(ruleId: string): boolean {
  return ruleId === 'pod-privileged' || ruleId.startsWith('pod-host-');
}

type HardenableProps = WorkloadHardeningProps & kplus.AbstractPodProps;

const CORES = new WeakMap<IConstruct, PodHardening>();
let selfCheckRuleIds: string[] | undefined;

export class PodHardening {
  /** The core of a hardened workload, or undefined for any other construct. */
  public static of(workload: IConstruct): PodHardening | undefined {
    return CORES.get(workload);
  }

  public readonly path: string;
  private readonly waiverList: Waiver[] = [];
  private readonly serviceAccount: kplus.IServiceAccount;
  private workload?: kplus.Workload;
  private options: FinishOptions = {};

  /** Call before `super()`: validates the waivers and creates the workload's ServiceAccount. */
  constructor(
    scope: Construct,
    id: string,
    private readonly traits: WorkloadTraits,
    private readonly props: HardenableProps,
  ) {
    this.path = scope.node.path === '' ? id : `${scope.node.path}/${id}`;
    for (const waiver of props.waivers ?? []) this.checkWaiver(waiver);
    this.waiverList.push(...(props.waivers ?? []).map(canonicalWaiver));
    if (traits.batch) this.addBatchProbeWaivers();
    // One identity per workload, never `default`: an AuditedServiceAccount with no token and no permissions
    // until the workload's owner grants some (`workload.serviceAccount.allow(...)` when it is the default one).
    this.serviceAccount = props.serviceAccount ?? new AuditedServiceAccount(scope, `${id}ServiceAccount`, {
      owner: this.owner(scope),
      purpose: props.purpose ?? `Identity of ${traits.construct} ${this.path}`,
      metadata: { namespace: props.metadata?.namespace },
    });
  }

  /** Owner of the workload's identity: the `owner` prop, else the owner label of its chart (a LockedNamespace sets one). */
  private owner(scope: Construct): string {
    const owner = this.props.owner ?? Chart.of(scope).labels[OWNER_LABEL];
    if (owner === undefined) {
      throw new Error(`${this.path}: ${this.traits.construct} needs an owner for its AuditedServiceAccount (annotation ${OWNER_LABEL}). `
        + `Fix: set owner: 'team-name', create the workload inside a LockedNamespace, give its chart the label ${OWNER_LABEL}, or pass serviceAccount.`);
    }
    return owner;
  }

  /** The waivers recorded on the workload, sorted by rule id. */
  public get waivers(): Waiver[] {
    return JSON.parse(formatWaivers(this.waiverList));
  }

  /** The cdk8s-plus props with the pod-level defaults filled (explicit values win and are judged). */
  public workloadProps<T extends HardenableProps>(props: T): T {
    const securityContext = props.securityContext ?? {};
    return {
      ...props,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      securityContext: {
        ...securityContext,
        ensureNonRoot: securityContext.ensureNonRoot ?? true,
        user: securityContext.user ?? DEFAULT_RUN_AS_ID,
        group: securityContext.group ?? DEFAULT_RUN_AS_ID,
        fsGroup: securityContext.fsGroup ?? DEFAULT_RUN_AS_ID,
        fsGroupChangePolicy: securityContext.fsGroupChangePolicy ?? kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
    };
  }

  /** Completes the workload once cdk8s-plus constructed it: annotations, scheduling, availability, serialization hook. */
  public finish(workload: kplus.Workload, options: FinishOptions = {}): void {
    this.workload = workload;
    this.options = options;
    CORES.set(workload, this);
    this.writeWaivers();
    if (this.props.dedicatedNodes) this.tolerateDedicatedNodes(workload, this.props.dedicatedNodes);
    if (options.availability) this.addAvailability(workload, options.replicas ?? 1, options.availability);

    const apiObject = ApiObject.of(workload);
    const serialize = apiObject.toJson.bind(apiObject);
    apiObject.toJson = () => this.judge(this.harden(serialize()));
    // The objects the workload brings along (disruption budget, ...) are written safely too.
    for (const child of workload.node.findAll()) if (ApiObject.isApiObject(child) && child !== apiObject) guardSerialization(child);
  }

  /** Throws when the pod spec already has a volume of that name (the library needs it for `what`). */
  private requireFreeVolumeName(spec: JsonObject, name: string, what: string): void {
    if (asArray(spec.volumes).some((v) => asObject(v).name === name)) {
      throw new Error(`[${this.workload!.node.path}] ${this.traits.construct}: a volume is already named "${name}", the name of ${what}. Fix: rename that volume.`);
    }
  }

  /** Adds a mount unless the container already mounts something at that path, which is an error naming both. */
  private addMount(container: JsonObject, mount: { mountPath: string; name: string }, what: string): void {
    const mounts = (container.volumeMounts = asArray(container.volumeMounts));
    const taken = mounts.map(asObject).find((m) => m.mountPath === mount.mountPath);
    if (taken) {
      throw new Error(`[${this.workload!.node.path}] ${this.traits.construct}: container "${String(container.name)}" already mounts volume "${String(taken.name)}" at ${mount.mountPath}, `
        + `where ${what} is mounted. Fix: mount that volume elsewhere.`);
    }
    mounts.push(mount);
  }

  /** Adds a waiver after construction (same checks as the `waivers` prop). */
  public addWaiver(waiver: Waiver): void {
    this.checkWaiver(waiver);
    this.waiverList.push(canonicalWaiver(waiver));
    this.writeWaivers();
  }

  /** Fills every unset control in the serialized workload. Explicit values are left for the rules to judge. */
  private harden(object: K8sObject): K8sObject {
    let template: JsonObject = object;
    for (const key of this.traits.templatePath) template = asObject(template[key]);
    const spec = asObject(template.spec);
    const metadata = (template.metadata = asObject(template.metadata));

    const podSecurity = (spec.securityContext = asObject(spec.securityContext));
    podSecurity.seccompProfile ??= (this.props.seccompProfile ?? SeccompProfile.RUNTIME_DEFAULT).toJson();
    const appArmor = this.props.appArmorProfile ?? AppArmorProfile.RUNTIME_DEFAULT;
    const appArmorMode = this.props.appArmorMode ?? AppArmorMode.FIELD;
    if (appArmorMode !== AppArmorMode.ANNOTATION) podSecurity.appArmorProfile ??= appArmor.toJson();
    const seLinux = this.props.seLinuxOptions;
    if (seLinux) {
      podSecurity.seLinuxOptions ??= withoutUndefined({ level: seLinux.level, role: seLinux.role, type: seLinux.type, user: seLinux.user });
    }
    if (this.props.runtimeClass) spec.runtimeClassName ??= this.props.runtimeClass.runtimeClassName;
    const nodes = this.props.dedicatedNodes;
    if (nodes) {
      const selector = asObject(spec.nodeSelector);
      const existing = selector[nodes.label.key];
      if (existing !== undefined && existing !== nodes.label.value) {
        throw new Error(`[${this.workload!.node.path}] ${this.traits.construct}: nodeSelector ${nodes.label.key}=${String(existing)} conflicts with `
          + `dedicatedNodes ${nodes.label.key}=${nodes.label.value}. Fix: remove one of them.`);
      }
      spec.nodeSelector = { ...selector, [nodes.label.key]: nodes.label.value };
    }
    if (this.spreads()) spec.topologySpreadConstraints ??= this.spreadConstraints();

    const containers = asArray(spec.containers).filter(isObject);
    const initContainers = asArray(spec.initContainers).filter(isObject);
    let needsScratch = false;
    for (const container of [...containers, ...initContainers]) {
      hardenContainer(container);
      const mounts = (container.volumeMounts = asArray(container.volumeMounts));
      if (!mounts.some((m) => asObject(m).mountPath === TMP_MOUNT_PATH)) {
        mounts.push({ mountPath: TMP_MOUNT_PATH, name: TMP_VOLUME_NAME });
        needsScratch = true;
      }
      if (appArmorMode !== AppArmorMode.FIELD && typeof container.name === 'string') {
        const annotations = (metadata.annotations = asObject(metadata.annotations));
        annotations[`${LEGACY_APPARMOR_PREFIX}${container.name}`] ??= appArmor.toAnnotationValue();
      }
    }
    const token = this.serviceAccount instanceof AuditedServiceAccount ? this.serviceAccount.projectedTokenVolume() : undefined;
    if (token) {
      this.requireFreeVolumeName(spec, token.volumeName, 'the projected API token of its AuditedServiceAccount');
      // The pod carries the reason itself: the token rule (and admission) judge the pod without its ServiceAccount.
      const annotations = (metadata.annotations = asObject(metadata.annotations));
      if (annotations[API_ACCESS_ANNOTATION] !== undefined && annotations[API_ACCESS_ANNOTATION] !== token.reason) {
        throw new Error(`[${this.workload!.node.path}] ${this.traits.construct}: annotation ${API_ACCESS_ANNOTATION} is set by the apiAccess of its AuditedServiceAccount. Fix: remove it from the pod metadata.`);
      }
      annotations[API_ACCESS_ANNOTATION] = token.reason;
      (spec.volumes = asArray(spec.volumes)).push(token.volume);
      for (const container of [...containers, ...initContainers]) this.addMount(container, token.volumeMount, 'the projected API token');
    }
    for (const claim of this.options.claimMounts ?? []) {
      if (claim.name === TMP_VOLUME_NAME || claim.mountPath === TMP_MOUNT_PATH) {
        throw new Error(`[${this.workload!.node.path}] ${this.traits.construct}: volume claim template "${claim.name}" at ${claim.mountPath} `
          + `collides with the /tmp scratch emptyDir ("${TMP_VOLUME_NAME}" at ${TMP_MOUNT_PATH}). Fix: name and mount the claim elsewhere.`);
      }
      this.requireFreeVolumeName(spec, claim.name, `volume claim template "${claim.name}"`);
      for (const container of containers) this.addMount(container, { mountPath: claim.mountPath, name: claim.name }, `volume claim template "${claim.name}"`);
    }
    if (needsScratch) {
      const volumes = (spec.volumes = asArray(spec.volumes));
      if (volumes.some((v) => asObject(v).name === TMP_VOLUME_NAME)) {
        throw new Error(`[${this.workload!.node.path}] ${this.traits.construct}: a volume is already named "${TMP_VOLUME_NAME}"; `
          + `it is reserved for the /tmp emptyDir. Fix: rename that volume, or mount it at ${TMP_MOUNT_PATH} in every container.`);
      }
      volumes.push({ emptyDir: { sizeLimit: quantity(this.props.tmpSizeLimit ?? DEFAULT_TMP_SIZE) }, name: TMP_VOLUME_NAME });
    }
    if (this.options.claimTemplates && this.options.claimTemplates.length > 0) {
      asObject(object.spec).volumeClaimTemplates = this.options.claimTemplates;
    }
    return object;
  }

  /**
   * Judges the serialized workload with the object and pod rules of the catalog (set rules need the whole app:
   * `Hardening.enforce`), honouring its waivers and the options of the nearest `Hardening.enforce` scope.
   * Throws on any finding, naming the construct path, rule, JSON path and fix.
   */
  private judge(object: K8sObject): K8sObject {
    const prefix = `[${this.workload!.node.path}] ${this.traits.construct}`;
    // Waivers only through the props or addWaiver, where they are checked: a hand-written annotation or label is refused.
    let template: JsonObject = object;
    for (const key of this.traits.templatePath) template = asObject(template[key]);
    const foreign = [...foreignWaiverMetadata('the workload', object.metadata, this.waiverList), ...foreignWaiverMetadata('its pod template', template.metadata, this.waiverList)];
    if (foreign.length > 0) {
      throw new Error(foreign.map((f) => `${prefix}: ${f}. Fix: declare waivers with the waivers prop or addWaiver(), never as metadata.`).join('\n'));
    }
    const options = engineOptions(nearestEnforceOptions(this.workload!));
    const result = checkObjects([{ object }], {
      ...options,
      // An explicit weakening needs a waiver whatever the severity threshold of the enforce scope: the threshold
      // decides what fails the whole app's check, never what a workload may weaken without a record.
      minSeverity: Severity.LOW,
      rules: ruleIdsForSelfCheck(),
      settings: { ...options.settings, completeSet: false },
    });
    // What kubectl reads from the YAML cdk8s writes must be what is judged here.
    const mismatch = yamlMismatch(object);
    const errors = [
      ...(mismatch ? [yamlMismatchError(this.workload!.node.path, object, mismatch)] : []),
      ...result.findings.map(
        (f) =>
          `${prefix} violates ${f.ruleId} (${f.severity}) at ${f.kind}/${f.name} ${f.path}: ${f.message}. ` +
          `Fix: ${f.remediation} Or, if it is deliberate, add waivers: [{ ruleId: '${f.ruleId}', reason: '<why>' }].`,
      ),
      ...result.problems.map((p) => `${prefix}: ${p.message}`),
    ];
    if (errors.length > 0) throw new Error(errors.join('\n'));
    return object;
  }

  private checkWaiver(waiver: Waiver): void {
    validateWaivers(this.path, [waiver]);
    if (!this.traits.hostAccessWaivable && isHostAccessRule(waiver.ruleId)) {
      throw new Error(
        `${this.path}: ${this.traits.construct} cannot waive ${waiver.ruleId}: host access may only be waived on a HardenedDaemonSet (node agents). ` +
          'Fix: remove the host access, or run the node agent as a HardenedDaemonSet.',
      );
    }
  }

  private addBatchProbeWaivers(): void {
    for (const ruleId of BATCH_PROBE_RULES) {
      const rule = findRule(ruleId);
      if (!rule || !rule.kinds.includes(this.traits.kind) || this.waiverList.some((w) => w.ruleId === ruleId)) continue;
      this.waiverList.push({ ruleId, reason: `${this.traits.kind} pods run to completion: liveness and readiness probes do not apply (waived by ${this.traits.construct})` });
    }
  }

  /** Records the waivers on the workload and on its pod template, so the pods it creates carry them to admission. */
  private writeWaivers(): void {
    if (!this.workload) return;
    recordWaivers(this.workload.metadata, this.waiverList);
    recordWaivers(this.workload.podMetadata, this.waiverList);
  }

  private tolerateDedicatedNodes(workload: kplus.Workload, nodes: DedicatedNodes): void {
    const taint = nodes.taint;
    workload.scheduling.tolerate(
      kplus.Node.tainted(
        kplus.NodeTaintQuery.is(taint?.key ?? nodes.label.key, taint?.value ?? nodes.label.value, {
          effect: taint?.effect ?? kplus.TaintEffect.NO_SCHEDULE,
        }),
      ),
    );
  }

  /** The label selector of the workload's pods, for its disruption budget and spread constraints. */
  private selector(): JsonObject {
    const workload = this.workload!;
    const matchLabels = workload.matchLabels;
    const matchExpressions = workload.matchExpressions;
    if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) {
      throw new Error(`[${workload.node.path}] ${this.traits.construct}: the workload selects no pods (select: false), so its PodDisruptionBudget `
        + 'and spread constraints would match every pod. Fix: keep select enabled or call select().');
    }
    return withoutUndefined({
      matchLabels: Object.keys(matchLabels).length > 0 ? matchLabels : undefined,
      matchExpressions: matchExpressions.length > 0
        ? matchExpressions.map((e) => withoutUndefined({ key: e.key, operator: e.operator, values: e.values }))
        : undefined,
    });
  }

  private spreads(): boolean {
    const availability = this.options.availability;
    if (availability === undefined || (this.options.replicas ?? 1) <= 1) return false;
    return (availability.topologySpread ?? TopologySpread.PREFERRED) !== TopologySpread.NONE;
  }

  private spreadConstraints(): JsonObject[] {
    const whenUnsatisfiable = this.options.availability?.topologySpread ?? TopologySpread.PREFERRED;
    return ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
      labelSelector: this.selector(),
      maxSkew: 1,
      topologyKey,
      whenUnsatisfiable,
    }));
  }

  private addAvailability(workload: kplus.Workload, replicas: number, availability: WorkloadAvailabilityProps): void {
    const budget = availability.disruptionBudget ?? {};
    if (budget.enabled === false && replicas > 1) {
      requireWaiver(workload, this.waiverList, 'workload-pdb-missing', `disruptionBudget.enabled false on ${replicas} replicas`, 'Keep the PodDisruptionBudget');
    }
    if (budget.enabled ?? replicas > 1) {
      const maxUnavailable = budget.maxUnavailable ?? 1;
      if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1) {
        throw new Error(`${this.path}: disruptionBudget.maxUnavailable must be a positive integer, got ${maxUnavailable}`);
      }
      if (replicas > 1 && maxUnavailable >= replicas) {
        // A budget that lets every replica go at once protects nothing.
        requireWaiver(workload, this.waiverList, 'workload-pdb-missing',
          `disruptionBudget.maxUnavailable ${maxUnavailable} lets all ${replicas} replicas go down at once`, 'Lower maxUnavailable below the replica count');
      }
      new ApiObject(workload, 'DisruptionBudget', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { namespace: workload.metadata.namespace },
        spec: Lazy.any({ produce: () => ({ maxUnavailable, selector: this.selector() }) }),
      });
    }
    const antiAffinity = availability.podAntiAffinity ?? PodAntiAffinity.NONE;
    if (antiAffinity !== PodAntiAffinity.NONE) {
      workload.scheduling.spread({
        topology: kplus.Topology.HOSTNAME,
        weight: antiAffinity === PodAntiAffinity.PREFERRED ? 100 : undefined,
      });
    }
  }
}

/** Fills the unset container controls; `drop: [ALL]` always, added capabilities spelled without `CAP_`. */
function hardenContainer(container: JsonObject): void {
  const sc = (container.securityContext = asObject(container.securityContext));
  sc.runAsNonRoot ??= true;
  sc.privileged ??= false;
  sc.allowPrivilegeEscalation ??= false;
  sc.readOnlyRootFilesystem ??= true;
  const capabilities = asObject(sc.capabilities);
  // cdk8s-plus-27 spells capabilities `CAP_X`; Kubernetes and the Pod Security Standards spell them `X`.
  const add = asArray(capabilities.add).map((c) => (typeof c === 'string' ? c.replace(/^CAP_/, '') : c));
  // The user's own drop list is kept; ALL is added in front when it is missing.
  const userDrop = asArray(capabilities.drop).map((c) => (typeof c === 'string' ? c.replace(/^CAP_/, '') : c));
  const drop = userDrop.includes('ALL') ? userDrop : ['ALL', ...userDrop];
  sc.capabilities = add.length > 0 ? { add, drop } : { drop };
}

/** A Size as a Kubernetes quantity (`10Gi`, `64Mi`). */
export function quantity(size: Size): string {
  const mebibytes = size.toMebibytes();
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

function withoutUndefined(value: Record<string, unknown>): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** Ids of the rules a workload can judge alone (pod and object rules; set rules need the whole app). */
function ruleIdsForSelfCheck(): string[] {
  selfCheckRuleIds ??= ALL_RULES.filter((r) => r.scope !== 'set').map((r) => r.id);
  return selfCheckRuleIds;
}
