/**
 * The pod-hardening core shared by every hardened workload kind (no per-kind copies).
 *
 * How it works:
 * - Before the cdk8s-plus constructor runs, `prepare()` validates the waivers, chooses the ServiceAccount and
 *   fills the pod security context defaults. cdk8s-plus adds the containers of the props from inside its own
 *   constructor, before the subclass exists: the hardened kinds reach this core through `PodHardening.of()`,
 *   which finds it on a small stack of workloads under construction.
 * - Every container (from props or added later, regular or init, built from props or attached ready-made)
 *   goes through `containerProps()` / `attach()`: unset controls are filled, explicit values are kept.
 * - Fields cdk8s-plus-27 cannot express (seccomp, AppArmor, SELinux, runtimeClassName, nodeSelector, topology
 *   spread, `capabilities.drop: [ALL]` on attached containers) are JSON patches on the workload's ApiObject.
 * - Whenever the workload is serialized (synth, `Testing.synth`, `chart.toJson`, a direct `toJson`), it judges its
 *   own final object with the rule engine, honouring its waivers and the options of the nearest
 *   `Hardening.enforce` scope: an explicit value that weakens a control, or any gap, throws naming the
 *   construct path, rule, JSON path and fix. (Judging at serialization instead of in `node.validate()` keeps
 *   synth to one serialization per workload: cdk8s 2.70 runs validation twice per synth.)
 */
import { ApiObject, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { engineOptions, Hardening } from './hardening';
import { DedicatedNodes, PodAntiAffinity, TopologySpread } from './placement';
import { AppArmorMode, AppArmorProfile, SeccompProfile } from './security-profiles';
import type { WorkloadAvailabilityProps, WorkloadHardeningProps } from './workload-props';
import { checkObjects } from '../check/engine';
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
  /** JSON pointer of the pod spec in the workload object. */
  readonly podSpecPointer: string;
  /** Batch kinds run to completion: liveness/readiness probe rules are waived for them (when the catalog has such rules). */
  readonly batch: boolean;
  /** Only node agents (DaemonSet) may waive host-access rules. */
  readonly hostAccessWaivable: boolean;
}

/** Probe rules that do not apply to pods that run to completion. */
const BATCH_PROBE_RULES = ['pod-liveness-probe', 'pod-readiness-probe'];
/** Rules about access to the node itself: only a DaemonSet (node agent) may waive them. */
export function isHostAccessRule(ruleId: string): boolean {
  return ruleId === 'pod-privileged' || ruleId.startsWith('pod-host-');
}

type HardenableProps = WorkloadHardeningProps & kplus.AbstractPodProps;

/** What `finish()` needs to know about the constructed workload. */
export interface FinishOptions {
  /** Desired replicas, for the disruption budget and spreading (undefined for kinds without replicas). */
  readonly replicas?: number;
  readonly availability?: WorkloadAvailabilityProps;
}

const CORES = new WeakMap<IConstruct, PodHardening>();
const UNDER_CONSTRUCTION: PodHardening[] = [];
let selfCheckRuleIds: string[] | undefined;

export class PodHardening {
  /** Prepares the core of a workload about to be constructed (call before `super()`). */
  public static prepare(scope: Construct, id: string, traits: WorkloadTraits, props: HardenableProps): PodHardening {
    const core = new PodHardening(scope, id, traits, props);
    UNDER_CONSTRUCTION.push(core);
    return core;
  }

  /** The core of a hardened workload, also while cdk8s-plus is still inside its constructor. */
  public static of(workload: kplus.AbstractPod): PodHardening {
    const bound = CORES.get(workload);
    if (bound) return bound;
    for (let i = UNDER_CONSTRUCTION.length - 1; i >= 0; i--) {
      const core = UNDER_CONSTRUCTION[i];
      if (core.scope === workload.node.scope && core.id === workload.node.id) {
        core.workload = workload;
        CORES.set(workload, core);
        return core;
      }
    }
    throw new Error(`${workload.node.path}: no hardening core; hardened workloads must be created with their constructor`);
  }

  public readonly path: string;
  private readonly waiverList: Waiver[] = [];
  private readonly seccomp: SeccompProfile;
  private readonly appArmor: AppArmorProfile;
  private readonly appArmorMode: AppArmorMode;
  private readonly ownServiceAccount?: kplus.ServiceAccount;
  private readonly serviceAccount: kplus.IServiceAccount;
  private workload?: kplus.AbstractPod;
  private apiObject?: ApiObject;
  private tmpVolume?: kplus.Volume;
  private readonly pendingPatches: JsonPatch[] = [];
  private readonly latePatches: JsonPatch[] = [];
  private readonly containerMountPatches: Array<(index: number) => JsonPatch> = [];
  private regularContainers = 0;

  private constructor(
    private readonly scope: Construct,
    private readonly id: string,
    private readonly traits: WorkloadTraits,
    private readonly props: HardenableProps,
  ) {
    this.path = scope.node.path === '' ? id : `${scope.node.path}/${id}`;
    for (const waiver of props.waivers ?? []) this.checkWaiver(waiver);
    this.waiverList.push(...(props.waivers ?? []).map((w) => ({ ruleId: w.ruleId, reason: w.reason.trim() })));
    if (traits.batch) this.addBatchProbeWaivers();
    this.seccomp = props.seccompProfile ?? SeccompProfile.RUNTIME_DEFAULT;
    this.appArmor = props.appArmorProfile ?? AppArmorProfile.RUNTIME_DEFAULT;
    this.appArmorMode = props.appArmorMode ?? AppArmorMode.FIELD;
    if (props.serviceAccount) {
      this.serviceAccount = props.serviceAccount;
    } else {
      // One ServiceAccount per workload, never `default`, token not mounted. (The RBAC area may swap in its
      // AuditedServiceAccount here.)
      this.ownServiceAccount = new kplus.ServiceAccount(scope, `${id}ServiceAccount`, {
        automountToken: false,
        metadata: { namespace: props.metadata?.namespace },
      });
      this.serviceAccount = this.ownServiceAccount;
    }
  }

  /** The waivers recorded on the workload, sorted by rule id. */
  public get waivers(): Waiver[] {
    return JSON.parse(formatWaivers(this.waiverList));
  }

  /** The cdk8s-plus props with the pod-level defaults filled (explicit values win and are judged at synth). */
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

  /** Container props with every unset container control filled. */
  public containerProps(workload: kplus.AbstractPod, cont: kplus.ContainerProps): kplus.ContainerProps {
    const sc = cont.securityContext ?? {};
    const mounts = cont.volumeMounts ?? [];
    return {
      ...cont,
      securityContext: {
        ...sc,
        ensureNonRoot: sc.ensureNonRoot ?? true,
        privileged: sc.privileged ?? false,
        readOnlyRootFilesystem: sc.readOnlyRootFilesystem ?? true,
        allowPrivilegeEscalation: sc.allowPrivilegeEscalation ?? false,
        capabilities: hardenedCapabilities(sc.capabilities),
      },
      volumeMounts: mounts.some((m) => m.path === TMP_MOUNT_PATH)
        ? mounts
        : [...mounts, { path: TMP_MOUNT_PATH, volume: this.scratchVolume(workload) }],
    };
  }

  /** Called for every regular container before cdk8s-plus attaches it (also ready-made `Container`s). */
  public attach(workload: kplus.AbstractPod, cont: kplus.Container): void {
    const index = workload.containers.length;
    this.hardenBuiltContainer(workload, cont, `containers/${index}`);
    for (const mount of this.containerMountPatches) this.patch(mount(index));
    this.regularContainers = index + 1;
    this.annotateAppArmor(cont.name);
  }

  /** Called with every init container once cdk8s-plus created it. */
  public initContainerAdded(workload: kplus.AbstractPod, cont: kplus.Container): kplus.Container {
    this.hardenBuiltContainer(workload, cont, `initContainers/${workload.initContainers.length - 1}`);
    this.annotateAppArmor(cont.name);
    return cont;
  }

  /** Adds a waiver after construction (same checks as the `waivers` prop). */
  public addWaiver(waiver: Waiver): void {
    this.checkWaiver(waiver);
    this.waiverList.push({ ruleId: waiver.ruleId, reason: waiver.reason.trim() });
    if (this.apiObject) this.writeWaivers();
  }

  /** Mounts a volume-claim template (StatefulSet) into every regular container, present and future. */
  public mountInEveryContainer(volumeName: string, mountPath: string): void {
    const mount = (index: number) => JsonPatch.add(`${this.traits.podSpecPointer}/containers/${index}/volumeMounts/-`, { name: volumeName, mountPath });
    this.containerMountPatches.push(mount);
    for (let i = 0; i < this.regularContainers; i++) this.patch(mount(i));
  }

  /** Completes the workload once cdk8s-plus constructed it: pod-level patches, availability, self-check. */
  public finish(workload: kplus.Workload, options: FinishOptions = {}): void {
    const index = UNDER_CONSTRUCTION.lastIndexOf(this);
    if (index >= 0) UNDER_CONSTRUCTION.splice(index, 1);
    if (!CORES.has(workload)) {
      this.workload = workload;
      CORES.set(workload, this);
    }
    this.apiObject = ApiObject.of(workload);
    this.pendingPatches.splice(0).forEach((p) => this.apiObject!.addJsonPatch(p));
    // Every serialization of the workload (synth, Testing.synth, chart.toJson, a direct toJson) is judged: a gap
    // or an unwaived weakening can never leave the construct.
    const serialize = this.apiObject.toJson.bind(this.apiObject);
    this.apiObject.toJson = () => this.judge(JsonPatch.apply(serialize(), ...this.latePatches));
    this.writeWaivers();

    const pod = this.traits.podSpecPointer;
    this.patch(JsonPatch.add(`${pod}/securityContext/seccompProfile`, this.seccomp.toJson()));
    if (this.appArmorMode !== AppArmorMode.ANNOTATION) {
      this.patchAfterConversion(JsonPatch.add(`${pod}/securityContext/appArmorProfile`, this.appArmor.toJson()));
    }
    for (const cont of [...workload.containers, ...workload.initContainers]) this.annotateAppArmor(cont.name);
    const seLinux = this.props.seLinuxOptions;
    if (seLinux) {
      this.patch(JsonPatch.add(`${pod}/securityContext/seLinuxOptions`, { level: seLinux.level, role: seLinux.role, type: seLinux.type, user: seLinux.user }));
    }
    if (this.props.runtimeClass) {
      this.patch(JsonPatch.add(`${pod}/runtimeClassName`, this.props.runtimeClass.runtimeClassName));
    }
    if (this.props.dedicatedNodes) this.dedicate(workload, this.props.dedicatedNodes);
    if (options.availability) this.addAvailability(workload, options.replicas ?? 1, options.availability);
  }

  /**
   * Judges the serialized workload with the object and pod rules of the catalog (set rules need the whole app:
   * `Hardening.enforce`), honouring its waivers and the options of the nearest `Hardening.enforce` scope.
   * Throws on any finding, naming the construct path, rule, JSON path and fix.
   */
  private judge(object: K8sObject): K8sObject {
    const options = engineOptions(Hardening.optionsFor(this.workload!));
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
      throw new Error(`${this.path}: ${error}. Fix: name a rule of the catalog and say why it is weakened, e.g. waivers: [{ ruleId: 'pod-privileged', reason: 'node agent needs raw device access' }].`);
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
    if (this.waiverList.length === 0) return;
    const value = formatWaivers(this.waiverList);
    this.apiObject!.metadata.addAnnotation(WAIVERS_ANNOTATION, value);
    (this.workload as kplus.Workload).podMetadata.addAnnotation(WAIVERS_ANNOTATION, value);
  }

  private scratchVolume(workload: kplus.AbstractPod): kplus.Volume {
    if (!this.tmpVolume) {
      this.tmpVolume = kplus.Volume.fromEmptyDir(workload, 'TmpVolume', TMP_VOLUME_NAME, { sizeLimit: this.props.tmpSizeLimit ?? DEFAULT_TMP_SIZE });
    }
    return this.tmpVolume;
  }

  /** Fills what a ready-made container lacks: the /tmp mount and `drop: [ALL]` (a patch: the object is immutable). */
  private hardenBuiltContainer(workload: kplus.AbstractPod, cont: kplus.Container, pointer: string): void {
    if (!cont.mounts.some((m) => m.path === TMP_MOUNT_PATH)) cont.mount(TMP_MOUNT_PATH, this.scratchVolume(workload));
    const capabilities = cont.securityContext.capabilities;
    if (!(capabilities?.drop ?? []).map(String).includes('ALL')) {
      this.patch(JsonPatch.add(`${this.traits.podSpecPointer}/${pointer}/securityContext/capabilities`, hardenedCapabilities(capabilities)));
    }
  }

  private annotateAppArmor(containerName: string): void {
    if (this.appArmorMode === AppArmorMode.FIELD || !this.apiObject) return;
    (this.workload as kplus.Workload).podMetadata.addAnnotation(`${LEGACY_APPARMOR_PREFIX}${containerName}`, this.appArmor.toAnnotationValue());
  }

  /**
   * Patches applied after cdk8s-plus-27's typed conversion. Its Kubernetes 1.27 types drop fields added later
   * (`appArmorProfile`, 1.30) even from JSON patches, so those are applied to the converted JSON instead.
   */
  public patchAfterConversion(op: JsonPatch): void {
    this.latePatches.push(op);
  }

  private patch(op: JsonPatch): void {
    if (this.apiObject) this.apiObject.addJsonPatch(op);
    else this.pendingPatches.push(op);
  }

  private dedicate(workload: kplus.Workload, nodes: DedicatedNodes): void {
    this.patch(JsonPatch.add(`${this.traits.podSpecPointer}/nodeSelector`, { [nodes.label.key]: nodes.label.value }));
    const taint = nodes.taint;
    workload.scheduling.tolerate(
      kplus.Node.tainted(
        kplus.NodeTaintQuery.is(taint?.key ?? nodes.label.key, taint?.value ?? nodes.label.value, {
          effect: taint?.effect ?? kplus.TaintEffect.NO_SCHEDULE,
        }),
      ),
    );
  }

  private addAvailability(workload: kplus.Workload, replicas: number, availability: WorkloadAvailabilityProps): void {
    const selector = () => {
      const matchLabels = workload.matchLabels;
      const matchExpressions = workload.matchExpressions;
      if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) {
        throw new Error(`${this.path}: the workload selects no pods (select: false), so its PodDisruptionBudget and spread constraints would match every pod. Fix: keep select enabled or call select().`);
      }
      return {
        ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
        ...(matchExpressions.length > 0
          ? { matchExpressions: matchExpressions.map((e) => ({ key: e.key, operator: e.operator, values: e.values })) }
          : {}),
      };
    };
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
        spec: Lazy.any({ produce: () => ({ maxUnavailable, selector: selector() }) }),
      });
    }
    const spread = availability.topologySpread ?? TopologySpread.PREFERRED;
    if (spread !== TopologySpread.NONE && replicas > 1) {
      const constraints = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: spread,
        labelSelector: lazyJson(selector),
      }));
      this.patch(JsonPatch.add(`${this.traits.podSpecPointer}/topologySpreadConstraints`, constraints));
    }
    const antiAffinity = availability.podAntiAffinity ?? PodAntiAffinity.NONE;
    if (antiAffinity !== PodAntiAffinity.NONE) {
      (workload.scheduling as kplus.WorkloadScheduling).spread({
        topology: kplus.Topology.HOSTNAME,
        weight: antiAffinity === PodAntiAffinity.PREFERRED ? 100 : undefined,
      });
    }
  }
}

/** `drop: [ALL]` plus the capabilities the user adds, spelled as Kubernetes and the standards expect (no CAP_ prefix). */
function hardenedCapabilities(capabilities?: kplus.ContainerSecutiryContextCapabilities): kplus.ContainerSecutiryContextCapabilities {
  const add = (capabilities?.add ?? []).map((c) => String(c).replace(/^CAP_/, '') as kplus.Capability);
  return { drop: ['ALL' as kplus.Capability], ...(add.length > 0 ? { add } : {}) };
}

/** A JSON patch value computed when the object is serialized (patch values are cloned through JSON.stringify). */
function lazyJson(produce: () => unknown): unknown {
  return { toJSON: produce };
}

/** Ids of the rules a workload can judge alone (pod and object rules; set rules need the whole app). */
function ruleIdsForSelfCheck(): string[] {
  selfCheckRuleIds ??= ALL_RULES.filter((r) => r.scope !== 'set').map((r) => r.id);
  return selfCheckRuleIds;
}
