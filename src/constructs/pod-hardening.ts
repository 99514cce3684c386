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
import { asObject, JsonObject } from '../core/json';
import { K8sObject, Severity, Waiver } from '../core/types';
import { API_ACCESS_ANNOTATION, formatWaivers } from '../core/waivers';
import { checkObjects } from '../engine/engine';
import { AddedMount, applyChanges, DEFAULT_RUN_AS_ID, PodDefaultsOptions, podHardeningChanges, TMP_MOUNT_PATH, TMP_VOLUME_NAME } from '../engine/hardening/pod-defaults';
import { ALL_RULES, findRule } from '../rules';
import { waivableOnKind } from '../rules/rule';

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
    if (traits.batch) this.addBatchWaivers();
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

  /** Adds a waiver after construction (same checks as the `waivers` prop). */
  public addWaiver(waiver: Waiver): void {
    this.checkWaiver(waiver);
    this.waiverList.push({ ruleId: waiver.ruleId, reason: waiver.reason.trim() });
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
      topologySpreadConstraints: this.spreads() ? this.spreadConstraints() : undefined,
      tmpSizeLimit: quantity(this.props.tmpSizeLimit ?? DEFAULT_TMP_SIZE),
      // The pod carries the reason itself: the token rule (and admission) judge the pod without its ServiceAccount.
      podAnnotations: token ? [{ key: API_ACCESS_ANNOTATION, value: token.reason, setBy: 'the apiAccess of its AuditedServiceAccount' }] : [],
      addedMounts,
      respellCapabilities: true,
    };
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
      ...result.findings.map((f) => {
        // Never suggest a waiver the construct would refuse.
        const refusal = waiverRefusal(f.ruleId, this.traits.kind);
        const deliberate = refusal
          ? `A ${this.traits.construct} cannot waive it (${refusal.reason}): ${refusal.fix}`
          : `Or, if it is deliberate, add waivers: [{ ruleId: '${f.ruleId}', reason: '<why>' }].`;
        return `${prefix} violates ${f.ruleId} (${f.severity}) at ${f.kind}/${f.name} ${f.path}: ${f.message}. Fix: ${f.remediation} ${deliberate}`;
      }),
      ...result.problems.map((p) => `${prefix}: ${p.message}`),
    ];
    if (errors.length > 0) throw new Error(errors.join('\n'));
    return object;
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

/**
 * Why a hardened construct of `kind` refuses a waiver of `ruleId` (the rule's `waivableOn`), with the fix; undefined
 * when it accepts one. Shared by the waiver checks and the self-check's hint.
 */
export function waiverRefusal(ruleId: string, kind: string): { reason: string; fix: string } | undefined {
  const rule = findRule(ruleId);
  if (!rule || waivableOnKind(rule, kind)) return undefined;
  const constructs = (rule.waivableOn ?? []).map((k) => `Hardened${k}`).join(' or ');
  return {
    reason: `${ruleId} may only be waived on a ${constructs} (the catalog's waivableOn: ${(rule.waivableOn ?? []).join(', ')})`,
    fix: `remove what the rule flags, run the workload as a ${constructs} if that is what it is (a node agent), or change the design so that the pod does not need it.`,
  };
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
