/**
 * The pod-hardening core shared by every hardened workload kind (no per-kind copies). It ties three units together:
 * - filling defaults: src/engine/hardening/pod-defaults.ts, the same code `Hardening.harden` and `fix` use. The
 *   pod-level security context goes through the cdk8s-plus props before its constructor runs; the rest is applied
 *   when the workload is serialized (synth, `Testing.synth`, `chart.toJson`, a direct `toJson`), to the final JSON,
 *   so containers and volumes added at any time, through any cdk8s-plus method, are hardened alike. Working on the
 *   JSON also covers what cdk8s-plus-27 cannot express (seccomp, AppArmor, SELinux, `capabilities.drop: [ALL]`,
 *   runtimeClassName, nodeSelector, topology spread, claim templates): its Kubernetes 1.27 types would drop later
 *   fields (`appArmorProfile`) even from JSON patches.
 * - companions (pod-companions.ts): the workload's ServiceAccount, disruption budget, spread and tolerations.
 * - the self-check (pod-self-check.ts): the hardened JSON is judged with the rule engine, honouring the workload's
 *   waivers and the nearest `Hardening.enforce` options; any gap or explicit weakening throws naming the construct
 *   path, rule, JSON path and fix. No path can serialize a gap, and synth serializes each workload once (cdk8s 2.70
 *   runs `node.validate()` twice per synth, so judging there would triple the cost).
 */
import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { AuditedServiceAccount } from './audited-service-account';
import { nearestDefaultResources, resourcesJson } from './default-resources';
import { addAvailability, podSelector, spreadConstraints, spreads, tolerateDedicatedNodes, withoutUndefined, workloadServiceAccount } from './pod-companions';
import { selfCheck, waiverRefusal } from './pod-self-check';
import { AppArmorMode, AppArmorProfile, SeccompProfile } from './security-profiles';
import { guardSerialization } from './synth-yaml';
import { recordWaivers, validateWaivers } from './waivers';
import type { WorkloadAvailabilityProps, WorkloadHardeningProps } from './workload-props';
import { asObject } from '../core/json';
import { K8sObject, Waiver } from '../core/types';
import { API_ACCESS_ANNOTATION, canonicalWaiver, formatWaivers } from '../core/waivers';
import { AddedMount, applyChanges, DEFAULT_RUN_AS_ID, PodDefaultsOptions, podHardeningChanges, TMP_MOUNT_PATH, TMP_VOLUME_NAME } from '../engine/hardening/pod-defaults';
import { ALL_RULES } from '../rules';

const DEFAULT_TMP_SIZE = Size.mebibytes(64);

/** What differs between workload kinds; everything else is shared. */
export interface WorkloadTraits {
  /** Construct name used in messages (`HardenedDeployment`). */
  readonly construct: string;
  /** Kubernetes kind of the workload object. */
  readonly kind: string;
  /** Path of the pod template in the workload object. */
  readonly templatePath: readonly string[];
  /** Batch kinds run to completion: the rules that do not apply to them (`appliesToBatch: false`) are waived. */
  readonly batch: boolean;
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


type HardenableProps = WorkloadHardeningProps & kplus.AbstractPodProps;

const CORES = new WeakMap<IConstruct, PodHardening>();

export class PodHardening {
  /** The core of a hardened workload, or undefined for any other construct. */
  public static of(workload: IConstruct): PodHardening | undefined {
    return CORES.get(workload);
  }

  public readonly path: string;
  private readonly waiverList: Waiver[] = [];
  private readonly serviceAccount: kplus.IServiceAccount;
  /** Containers without `resources` in their props, with the prop that lacks them. */
  private readonly unsized = new Map<kplus.Container, string>();
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
    if (traits.batch) this.addBatchWaivers();
    // One identity per workload, never `default`: an AuditedServiceAccount with no token and no permissions
    // until the workload's owner grants some (`workload.serviceAccount.allow(...)` when it is the default one).
    this.serviceAccount = props.serviceAccount ?? workloadServiceAccount(scope, `${id}ServiceAccount`, {
      owner: props.owner,
      purpose: props.purpose ?? `Identity of ${traits.construct} ${this.path}`,
      namespace: props.metadata?.namespace,
      path: this.path,
      construct: traits.construct,
    });
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
    this.trackSizes(workload);
    this.writeWaivers();
    if (this.props.dedicatedNodes) tolerateDedicatedNodes(workload, this.props.dedicatedNodes);
    if (options.availability) {
      addAvailability(workload, this.traits.construct, this.path, options.replicas ?? 1, options.availability, this.waiverList);
    }

    const apiObject = ApiObject.of(workload);
    const serialize = apiObject.toJson.bind(apiObject);
    // cdk8s has no hook on the final JSON (a JSON patch or a Lazy cannot see containers added later), so the
    // serializer is wrapped; test/constructs/serialization-hook.test.ts pins that every synth path calls it.
    apiObject.toJson = () => selfCheck(this.harden(serialize()), {
      workload, construct: this.traits.construct, kind: this.traits.kind, templatePath: this.traits.templatePath, waivers: this.waiverList,
    });
    // The objects the workload brings along (disruption budget, ...) are written safely too.
    for (const child of workload.node.findAll()) if (ApiObject.isApiObject(child) && child !== apiObject) guardSerialization(child);
  }

  /**
   * Remembers the containers that state no `resources` (cdk8s-plus then writes its own 1 CPU / 512Mi requests), from
   * the props and from later addContainer/addInitContainer calls, so serialization can size them or refuse them.
   */
  private trackSizes(workload: kplus.Workload): void {
    const fromProps = (containers: kplus.Container[], props: readonly kplus.ContainerProps[] | undefined, prop: string) => {
      containers.forEach((container, i) => {
        if (props?.[i] !== undefined && props[i].resources === undefined) this.unsized.set(container, `${prop}[${i}].resources`);
      });
    };
    fromProps(workload.containers, this.props.containers, 'containers');
    fromProps(workload.initContainers, this.props.initContainers, 'initContainers');
    const addContainer = workload.addContainer.bind(workload);
    workload.addContainer = (props: kplus.ContainerProps) => {
      const container = addContainer(props);
      if (props.resources === undefined) this.unsized.set(container, `addContainer({ name: '${props.name ?? container.name}' }).resources`);
      return container;
    };
    const addInitContainer = workload.addInitContainer.bind(workload);
    workload.addInitContainer = (props: kplus.ContainerProps) => {
      const container = addInitContainer(props);
      if (props.resources === undefined) this.unsized.set(container, `addInitContainer({ name: '${props.name ?? container.name}' }).resources`);
      return container;
    };
  }

  /** Sizes the containers that state no resources with the scope's defaultResources, or throws naming each prop. */
  private sizeContainers(object: K8sObject, subject: string): void {
    let template: Record<string, unknown> = object;
    for (const key of this.traits.templatePath) template = asObject(template[key]);
    const spec = asObject(template.spec);
    const defaults = nearestDefaultResources(this.workload!);
    const missing: string[] = [];
    for (const [type, containers] of [['containers', this.workload!.containers], ['initContainers', this.workload!.initContainers]] as const) {
      const json = Array.isArray(spec[type]) ? spec[type] as unknown[] : [];
      containers.forEach((container, i) => {
        const prop = this.unsized.get(container);
        if (prop === undefined) return;
        if (defaults) asObject(json[i]).resources = resourcesJson(defaults);
        else missing.push(`container "${container.name}" states no resources (${prop})`);
      });
    }
    if (missing.length > 0) {
      throw new Error(`${subject}: ${missing.join('; ')}, and the library never invents a size (cdk8s-plus would request 1 CPU and 512Mi per container). `
        + 'Fix: set resources on each container, or set defaultResources on the enclosing LockedNamespace, Hardening.enforce or Hardening.harden.');
    }
  }

  /** Adds a waiver after construction (same checks as the `waivers` prop). */
  public addWaiver(waiver: Waiver): void {
    this.checkWaiver(waiver);
    this.waiverList.push(canonicalWaiver(waiver));
    this.writeWaivers();
  }

  /**
   * Fills every unset control in the serialized workload with the engine's pod-hardening core (the code
   * `Hardening.harden` and `fix` use), given the props. Explicit values are left for the rules to judge.
   */
  private harden(object: K8sObject): K8sObject {
    const subject = `[${this.workload!.node.path}] ${this.traits.construct}`;
    for (const claim of this.options.claimMounts ?? []) {
      if (claim.name === TMP_VOLUME_NAME || claim.mountPath === TMP_MOUNT_PATH) {
        throw new Error(`${subject}: volume claim template "${claim.name}" at ${claim.mountPath} `
          + `collides with the /tmp scratch emptyDir ("${TMP_VOLUME_NAME}" at ${TMP_MOUNT_PATH}). Fix: name and mount the claim elsewhere.`);
      }
    }
    this.sizeContainers(object, subject);
    const hardened = applyChanges(object, podHardeningChanges(object, this.podDefaults(subject)));
    if (this.options.claimTemplates && this.options.claimTemplates.length > 0) {
      asObject(hardened.spec).volumeClaimTemplates = this.options.claimTemplates;
    }
    return hardened;
  }

  /** The core's options from the props: profiles, placement, the token and claim mounts the workload adds. */
  private podDefaults(subject: string): PodDefaultsOptions {
    const appArmor = this.props.appArmorProfile ?? AppArmorProfile.RUNTIME_DEFAULT;
    const seLinux = this.props.seLinuxOptions;
    const nodes = this.props.dedicatedNodes;
    const token = this.serviceAccount instanceof AuditedServiceAccount ? this.serviceAccount.projectedTokenVolume() : undefined;
    const addedMounts: AddedMount[] = [];
    if (token) addedMounts.push({ volume: token.volume, mount: token.volumeMount, what: 'the projected API token of its AuditedServiceAccount' });
    for (const claim of this.options.claimMounts ?? []) {
      addedMounts.push({ mount: { mountPath: claim.mountPath, name: claim.name }, what: `volume claim template "${claim.name}"`, regularContainersOnly: true });
    }
    return {
      subject,
      seccompProfile: (this.props.seccompProfile ?? SeccompProfile.RUNTIME_DEFAULT).toJson(),
      appArmorProfile: appArmor.toJson(),
      appArmorPlacement: this.props.appArmorMode ?? AppArmorMode.FIELD,
      seLinuxOptions: seLinux ? withoutUndefined({ level: seLinux.level, role: seLinux.role, type: seLinux.type, user: seLinux.user }) : undefined,
      runtimeClassName: this.props.runtimeClass?.runtimeClassName,
      nodeSelector: nodes ? { [nodes.label.key]: nodes.label.value } : undefined,
      topologySpreadConstraints: spreads(this.options.replicas, this.options.availability)
        ? spreadConstraints(podSelector(this.workload!, this.traits.construct), this.options.availability?.topologySpread)
        : undefined,
      tmpSizeLimit: quantity(this.props.tmpSizeLimit ?? DEFAULT_TMP_SIZE),
      // The pod carries the reason itself: the token rule (and admission) judge the pod without its ServiceAccount.
      podAnnotations: token ? [{ key: API_ACCESS_ANNOTATION, value: token.reason, setBy: 'the apiAccess of its AuditedServiceAccount' }] : [],
      addedMounts,
      respellCapabilities: true,
    };
  }

  private checkWaiver(waiver: Waiver): void {
    validateWaivers(this.path, [waiver]);
    const refusal = waiverRefusal(waiver.ruleId, this.traits.kind);
    if (refusal) throw new Error(`${this.path}: ${this.traits.construct} cannot waive ${waiver.ruleId}: ${refusal.reason}. Fix: ${refusal.fix}`);
  }

  /** Waives the rules that do not apply to pods that run to completion (`appliesToBatch: false` in the catalog). */
  private addBatchWaivers(): void {
    for (const rule of ALL_RULES) {
      if (rule.appliesToBatch !== false || !rule.kinds.includes(this.traits.kind) || this.waiverList.some((w) => w.ruleId === rule.id)) continue;
      this.waiverList.push({ ruleId: rule.id, reason: `${this.traits.kind} pods run to completion: ${rule.id} does not apply (waived by ${this.traits.construct})` });
    }
  }

  /** Records the waivers on the workload and on its pod template, so the pods it creates carry them to admission. */
  private writeWaivers(): void {
    if (!this.workload) return;
    recordWaivers(this.workload.metadata, this.waiverList);
    recordWaivers(this.workload.podMetadata, this.waiverList);
  }


}

/** A Size as a Kubernetes quantity (`10Gi`, `64Mi`). */
export function quantity(size: Size): string {
  const mebibytes = size.toMebibytes();
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}


