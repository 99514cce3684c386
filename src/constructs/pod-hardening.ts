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
import { ApiObject, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { engineOptions, nearestEnforceOptions } from './enforce-options';
import { DedicatedNodes, PodAntiAffinity, TopologySpread } from './placement';
import { AppArmorMode, AppArmorProfile, SeccompProfile } from './security-profiles';
import type { WorkloadAvailabilityProps, WorkloadHardeningProps } from './workload-props';
import { checkObjects } from '../check/engine';
import { asArray, asObject, isObject, JsonObject } from '../check/json';
import type { K8sObject, Waiver } from '../check/types';
import { formatWaivers, WAIVERS_ANNOTATION, waiverError } from '../check/waivers';
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
    this.waiverList.push(...(props.waivers ?? []).map((w) => ({ ruleId: w.ruleId, reason: w.reason.trim() })));
    if (traits.batch) this.addBatchProbeWaivers();
    // One ServiceAccount per workload, never `default`, token not mounted. (The RBAC area may swap in its
    // AuditedServiceAccount here.)
    this.serviceAccount = props.serviceAccount
      ?? new kplus.ServiceAccount(scope, `${id}ServiceAccount`, { automountToken: false, metadata: { namespace: props.metadata?.namespace } });
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
  }

  /** Adds a waiver after construction (same checks as the `waivers` prop). */
  public addWaiver(waiver: Waiver): void {
    this.checkWaiver(waiver);
    this.waiverList.push({ ruleId: waiver.ruleId, reason: waiver.reason.trim() });
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
    if (nodes) spec.nodeSelector = { ...asObject(spec.nodeSelector), [nodes.label.key]: nodes.label.value };
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
    for (const claim of this.options.claimMounts ?? []) {
      for (const container of containers) asArray(container.volumeMounts).push({ mountPath: claim.mountPath, name: claim.name });
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
    const options = engineOptions(nearestEnforceOptions(this.workload!));
    const result = checkObjects([{ object }], {
      ...options,
      rules: ruleIdsForSelfCheck(),
      settings: { ...options.settings, completeSet: false },
    });
    const prefix = `[${this.workload!.node.path}] ${this.traits.construct}`;
    const errors = [
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
    const error = waiverError(waiver, (id) => findRule(id) !== undefined);
    if (error) {
      throw new Error(`${this.path}: ${error}. Fix: name a rule of the catalog and say why it is weakened, `
        + "e.g. waivers: [{ ruleId: 'pod-privileged', reason: 'node agent needs raw device access' }].");
    }
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

  private writeWaivers(): void {
    if (this.waiverList.length === 0 || !this.workload) return;
    const value = formatWaivers(this.waiverList);
    this.workload.metadata.addAnnotation(WAIVERS_ANNOTATION, value);
    this.workload.podMetadata.addAnnotation(WAIVERS_ANNOTATION, value);
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
    if (budget.enabled ?? replicas > 1) {
      const maxUnavailable = budget.maxUnavailable ?? 1;
      if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1) {
        throw new Error(`${this.path}: disruptionBudget.maxUnavailable must be a positive integer, got ${maxUnavailable}`);
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
  const add = asArray(capabilities.add).map((c) => (typeof c === 'string' ? c.replace(/^CAP_/, '') : c));
  sc.capabilities = add.length > 0 ? { add, drop: ['ALL'] } : { drop: ['ALL'] };
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
