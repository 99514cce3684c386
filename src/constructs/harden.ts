/**
 * `Hardening.harden(scope)`: the pod-hardening core of the hardened constructs (src/engine/hardening/pod-defaults.ts,
 * the same code) applied as JSON patches to every workload ApiObject in a scope that the library did not create:
 * Include / HardenedInclude, Helm, plain cdk8s-plus constructs, raw ApiObjects. It fills unset controls only; an
 * explicit weak value stays and is judged like anywhere else (a finding, or a synth failure under enforce, unless
 * waived). Companions the constructs emit are added on request: a ServiceAccount per workload that ran as
 * `default`, a PodDisruptionBudget per replicated workload, a default-deny NetworkPolicy per namespace.
 */
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { DefaultResources, nearestDefaultResources, registerDefaultResources, resourcesJson } from './default-resources';
import { TopologySpread } from './placement';
import { checkedMaxUnavailable, disruptionBudget, spreadConstraints, workloadServiceAccount } from './pod-companions';
import { PodHardening } from './pod-hardening';
import { waiverRefusal } from './pod-self-check';
import { recordWaivers, validateWaivers } from './waivers';
import { asArray, asObject, asString, asStringMap, isObject } from '../core/json';
import { selectorMatches } from '../core/label-selector';
import type { K8sObject, Waiver } from '../core/types';
import { viewObject, viewPod } from '../core/views';
import { formatWaivers, parseWaivers, WAIVERS_ANNOTATION } from '../core/waivers';
import type { HardeningChange } from '../engine/hardening/change';
import { applyChanges, PodDefaultsOptions, podHardeningChanges } from '../engine/hardening/pod-defaults';
import { findRule } from '../rules';

/** Options of `Hardening.harden`. */
export interface HardenOptions {
  /**
   * Give every workload that runs as the `default` ServiceAccount (no `serviceAccountName`) its own
   * AuditedServiceAccount without a token or permissions, as the hardened constructs do.
   * @default true
   */
  readonly serviceAccounts?: boolean;
  /**
   * Team or person accountable for the ServiceAccounts created for the workloads (annotation `hardened.cdk8s.io/owner`).
   * @default - the owner label (`hardened.cdk8s.io/owner`) of the workload's chart; without one, harden fails naming the workload
   */
  readonly owner?: string;
  /**
   * Add a PodDisruptionBudget (maxUnavailable 1) for every Deployment or StatefulSet with more than one replica that no
   * PodDisruptionBudget in the scope selects.
   * @default true
   */
  readonly disruptionBudgets?: boolean;
  /**
   * Add a default-deny NetworkPolicy (every pod, ingress and egress) to each namespace of the hardened workloads
   * that has no such policy in the scope. Opt-in: it changes traffic, so allow the flows the workloads need.
   * @default false
   */
  readonly defaultDenyNetworkPolicies?: boolean;
  /**
   * Requests and limits written on every container under the scope that declares no `resources` (included YAML
   * and raw ApiObjects), and used by the hardened constructs under it (a nearer LockedNamespace's wins).
   * @default - none: containers without `resources` keep none and the resource rules report them
   */
  readonly defaultResources?: DefaultResources;
}

const HARDENED = new WeakSet<ApiObject>();
const HARDENED_SCOPES = new WeakSet<IConstruct>();
/** Waivers recorded through Hardening.addWaiver on ApiObjects the library did not create. */
const OBJECT_WAIVERS = new WeakMap<ApiObject, Waiver[]>();

/** Applies the core and the companions to the workloads under `scope`; see HardenOptions. */
export function hardenScope(scope: IConstruct, options: HardenOptions = {}): void {
  const where = scope.node.path || 'the app';
  if (HARDENED_SCOPES.has(scope)) throw new Error(`Hardening.harden was already called on ${where}: call it once per scope`);
  HARDENED_SCOPES.add(scope);
  if (options.defaultResources) registerDefaultResources(scope as Construct, options.defaultResources, 'HardenOptions.defaultResources');
  const apiObjects = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const budgets: K8sObject[] = [];
  const policies: K8sObject[] = [];
  const targets: Array<{ apiObject: ApiObject; json: K8sObject }> = [];
  for (const apiObject of apiObjects) {
    // A hardened construct hardens (and judges) itself when serialized: not before it is complete.
    if (insideHardenedConstruct(apiObject)) continue;
    const json = apiObject.toJson() as K8sObject;
    if (json.kind === 'PodDisruptionBudget') budgets.push(json);
    if (json.kind === 'NetworkPolicy') policies.push(json);
    if (HARDENED.has(apiObject)) continue;
    refuseListOfWorkloads(apiObject, json);
    if (!viewPod(viewObject(json))) continue;
    targets.push({ apiObject, json });
  }
  const namespaces = new Map<string, { namespace?: string; chart: Chart }>();
  for (const { apiObject, json } of targets) {
    HARDENED.add(apiObject);
    const subject = `[${apiObject.node.path}] Hardening.harden`;
    const pod = viewPod(viewObject(json))!;
    const specPath = pod.specPath.split('.');
    const defaults: PodDefaultsOptions = {
      subject,
      respellCapabilities: apiObject.node.scope instanceof kplus.AbstractPod,
      // Replicated workloads spread over nodes and zones, as the hardened constructs do.
      topologySpreadConstraints: replicated(json) ? spreadConstraints(asObject(asObject(json.spec).selector), TopologySpread.PREFERRED) : undefined,
    };
    const changes = podHardeningChanges(json, defaults);
    const sizes = nearestDefaultResources(apiObject);
    if (sizes && !(apiObject.node.scope instanceof kplus.AbstractPod)) {
      // cdk8s-plus writes its own sizes into every container; only containers that state none get the default.
      for (const type of ['initContainers', 'containers']) {
        asArray(pod.spec[type]).forEach((container, index) => {
          if (isObject(container) && container.resources == null) {
            changes.push({
              path: [...specPath, type, index, 'resources'],
              value: resourcesJson(sizes),
              ruleIds: ['pod-resource-requests', 'pod-resource-limits'],
              description: `defaultResources on container "${String(container.name)}"`,
            });
          }
        });
      }
    }
    if ((options.serviceAccounts ?? true) && pod.spec.serviceAccountName == null && pod.spec.serviceAccount == null) {
      const account = workloadServiceAccount(companionScope(apiObject), `${apiObject.node.id}ServiceAccount`, {
        owner: options.owner,
        purpose: `Identity of ${String(json.kind)} ${pod.owner.name}`,
        namespace: pod.owner.namespace,
        path: apiObject.node.path,
        construct: `Hardening.harden (for ${String(json.kind)} ${pod.owner.name} running as the default ServiceAccount)`,
      });
      changes.push({ path: [...specPath, 'serviceAccountName'], value: account.name, ruleIds: ['pod-default-service-account'], description: 'its own ServiceAccount instead of default' });
    }
    if ((options.disruptionBudgets ?? true) && needsBudget(json, pod.labels, budgets)) {
      const replicas = asObject(json.spec).replicas as number;
      const maxUnavailable = checkedMaxUnavailable(apiObject, apiObject.node.path, replicas, 1, []);
      const selector = asObject(asObject(json.spec).selector);
      disruptionBudget(companionScope(apiObject), `${apiObject.node.id}DisruptionBudget`, pod.owner.namespace, maxUnavailable, () => selector);
    }
    const namespace = pod.owner.namespace ?? Chart.of(apiObject).namespace;
    if (!namespaces.has(namespace ?? '')) namespaces.set(namespace ?? '', { namespace, chart: Chart.of(apiObject) });
    if (Object.getPrototypeOf(apiObject) === ApiObject.prototype) {
      apiObject.addJsonPatch(...jsonPatches(json, changes));
    } else {
      // A typed ApiObject (cdk8s-plus, imported kinds) re-serializes through its Kubernetes 1.27 types after the
      // patches, dropping later fields (appArmorProfile) and plain quantities (sizeLimit): harden its final JSON
      // instead, as the hardened constructs do (test/constructs/serialization-hook.test.ts pins that hook).
      const identity = changes.filter((c) => c.ruleIds.includes('pod-default-service-account'));
      const serialize = apiObject.toJson.bind(apiObject);
      apiObject.toJson = () => {
        const final = serialize() as K8sObject;
        const fill = identity.filter((c) => pathValue(final, c.path as string[]) == null);
        return applyChanges(final, [...podHardeningChanges(final, { ...defaults, respellCapabilities: true }), ...fill]);
      };
    }
  }
  if (options.defaultDenyNetworkPolicies) {
    for (const key of [...namespaces.keys()].sort()) {
      const { namespace, chart } = namespaces.get(key)!;
      if (policies.some((p) => isDefaultDeny(p) && (asString(asObject(p.metadata).namespace) ?? chart.namespace ?? '') === key)) continue;
      new ApiObject(companionRoot(chart), `DefaultDeny${key === '' ? '' : `-${key}`}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', ...(namespace ? { namespace } : {}) },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }
  }
}

/**
 * Records a waiver on an ApiObject the library did not create (an included object, a raw ApiObject, a plain
 * cdk8s-plus construct), with the checks of construct waivers: a catalog rule, a reason, and only on kinds the rule
 * may be waived on. The waiver goes on the object and on its pod template (so pods carry it to admission).
 */
/** The optional fields of a waiver given after construction. */
type WaiverFields = Pick<Waiver, 'expires' | 'owner' | 'ticket'>;

export function addObjectWaiver(target: IConstruct, ruleId: string, reason: string, details: WaiverFields = {}): void {
  const given: Waiver = {
    ruleId,
    reason,
    ...(details.expires !== undefined ? { expires: details.expires } : {}),
    ...(details.owner !== undefined ? { owner: details.owner } : {}),
    ...(details.ticket !== undefined ? { ticket: details.ticket } : {}),
  };
  const core = PodHardening.of(target);
  if (core) {
    core.addWaiver(given);
    return;
  }
  const apiObject = apiObjectOf(target);
  if (!apiObject) {
    throw new Error(`${target.node.path || 'the app'} is neither a hardened workload nor an ApiObject (or a construct of one, such as a cdk8s-plus Deployment). `
      + 'Fix: pass the workload or its ApiObject, or address an included object with Hardening.addWaiverTo(include, kind, name, ruleId, reason).');
  }
  const json = apiObject.toJson() as K8sObject;
  const [waiver] = validateWaivers(apiObject.node.path, [given]);
  const kind = String(json.kind);
  const refusal = waiverRefusal(ruleId, kind);
  if (refusal) throw new Error(`${apiObject.node.path}: ${kind} ${String(asObject(json.metadata).name)} cannot waive ${ruleId}: ${refusal.reason}. Fix: ${refusal.fix}`);
  let waivers = OBJECT_WAIVERS.get(apiObject);
  if (!waivers) {
    // Waivers already written in the manifest are kept (and must be well-formed: a broken annotation is not merged over).
    const parsed = parseWaivers(asStringMap(asObject(json.metadata).annotations), (id) => findRule(id) !== undefined);
    if (parsed.errors.length > 0) {
      throw new Error(`${apiObject.node.path}: its ${WAIVERS_ANNOTATION} annotation is not valid (${parsed.errors.join('; ')}). Fix: correct it in the manifest before adding waivers.`);
    }
    waivers = parsed.waivers;
    OBJECT_WAIVERS.set(apiObject, waivers);
  }
  waivers.splice(0, waivers.length, ...waivers.filter((w) => w.ruleId !== waiver.ruleId), waiver);
  recordWaivers(apiObject.metadata, waivers);
  const pod = viewPod(viewObject(json));
  if (pod && pod.metadataPath !== 'metadata') {
    const metadataPath = pod.metadataPath.split('.');
    const template = pathValue(json, metadataPath);
    const patches: JsonPatch[] = [];
    if (!isObject(template)) patches.push(JsonPatch.add(pointer(metadataPath), {}));
    const recorded = { annotations: {} as Record<string, string>, labels: {} as Record<string, string> };
    recordWaivers({ addAnnotation: (k, v) => { recorded.annotations[k] = v; }, addLabel: (k, v) => { recorded.labels[k] = v; } }, waivers);
    for (const field of ['annotations', 'labels'] as const) {
      if (!isObject(asObject(template)[field])) patches.push(JsonPatch.add(pointer([...metadataPath, field]), {}));
      for (const [key, value] of Object.entries(recorded[field])) patches.push(JsonPatch.add(pointer([...metadataPath, field, key]), value));
    }
    apiObject.addJsonPatch(...patches);
  }
}

/** The ApiObject of a construct: itself, or the one cdk8s-plus constructs hold (undefined for anything else). */
export function apiObjectOf(target: IConstruct): ApiObject | undefined {
  if (ApiObject.isApiObject(target)) return target;
  try {
    return ApiObject.of(target);
  } catch {
    return undefined;
  }
}

/** The one ApiObject of `kind` named `name` under `scope` (an Include, a Helm chart, a chart). */
export function findObject(scope: IConstruct, kind: string, name: string): ApiObject {
  const found = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === kind && c.name === name);
  if (found.length !== 1) {
    const candidates = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === kind).map((c) => c.name).sort();
    throw new Error(`${scope.node.path || 'the app'}: ${found.length === 0 ? 'no' : `${found.length}`} ${kind} named "${name}" `
      + `(${kind} objects here: ${candidates.length > 0 ? candidates.join(', ') : 'none'}). Fix: name one object by its kind and metadata.name.`);
  }
  return found[0];
}

/** The waivers of an ApiObject the library did not create: its manifest's and those `Hardening.addWaiver` added. */
export function objectWaivers(apiObject: ApiObject): Waiver[] {
  const waivers = OBJECT_WAIVERS.get(apiObject)
    ?? parseWaivers(asStringMap(asObject(asObject(apiObject.toJson()).metadata).annotations), (id) => findRule(id) !== undefined).waivers;
  return JSON.parse(formatWaivers(waivers));
}

/**
 * JSON patches that make `changes` on `json`: each change is one `add`, preceded by the `add` of its first missing
 * parent (a patch cannot add below a missing object).
 */
export function jsonPatches(json: K8sObject, changes: readonly HardeningChange[]): JsonPatch[] {
  const patches: JsonPatch[] = [];
  let working = json;
  for (const change of changes) {
    const path = change.path;
    let node: unknown = working;
    let missing = -1;
    for (let i = 0; i < path.length - 1; i++) {
      node = (node as Record<string | number, unknown>)[path[i]];
      if (node == null) {
        missing = i;
        break;
      }
    }
    if (missing < 0) {
      patches.push(JsonPatch.add(pointer(path), change.value));
    } else {
      let value: unknown = change.value;
      for (let j = path.length - 1; j > missing; j--) value = typeof path[j] === 'number' ? [value] : { [path[j]]: value };
      patches.push(JsonPatch.add(pointer(path.slice(0, missing + 1)), value));
    }
    working = applyChanges(working, [change]);
  }
  return patches;
}

function pointer(path: ReadonlyArray<string | number>): string {
  return path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function pathValue(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = asObject(current)[key];
  return current;
}

/** Objects of a hardened construct (its workload and its companions). */
function insideHardenedConstruct(apiObject: ApiObject): boolean {
  return apiObject.node.scopes.some((s) => PodHardening.of(s) !== undefined);
}

/** A List holding pod specs cannot be patched item by item: refuse it instead of leaving it unhardened. */
function refuseListOfWorkloads(apiObject: ApiObject, json: K8sObject): void {
  if (!Array.isArray(json.items)) return;
  if (json.items.some((item) => isObject(item) && viewPod(viewObject(item as K8sObject)) !== undefined)) {
    throw new Error(`${apiObject.node.path}: Hardening.harden cannot harden the workloads inside a ${String(json.kind)}. `
      + 'Fix: include the file with HardenedInclude, which expands Lists into their items.');
  }
}

/** A Deployment or StatefulSet with more than one replica and a selector (what gets a budget and spread). */
function replicated(json: K8sObject): boolean {
  if (json.kind !== 'Deployment' && json.kind !== 'StatefulSet') return false;
  const replicas = asObject(json.spec).replicas;
  return typeof replicas === 'number' && replicas > 1 && isObject(asObject(json.spec).selector);
}

function needsBudget(json: K8sObject, podLabels: Record<string, string>, budgets: readonly K8sObject[]): boolean {
  if (!replicated(json)) return false;
  const namespace = asString(asObject(json.metadata).namespace);
  return !budgets.some((b) => asString(asObject(b.metadata).namespace) === namespace && selectorMatches('podDisruptionBudget', asObject(b.spec).selector, podLabels));
}

function isDefaultDeny(policy: K8sObject): boolean {
  const spec = asObject(policy.spec);
  const types = asArray(spec.policyTypes);
  return isObject(spec.podSelector) && Object.keys(spec.podSelector).length === 0 && types.includes('Ingress') && types.includes('Egress')
    && asArray(spec.ingress).length === 0 && asArray(spec.egress).length === 0;
}

/** Where the companions of an object go: one construct per chart, so their ids cannot clash with the user's. */
function companionScope(apiObject: ApiObject): Construct {
  return companionRoot(Chart.of(apiObject));
}

function companionRoot(chart: Chart): Construct {
  return (chart.node.tryFindChild('HardeningCompanions') as Construct | undefined) ?? new Construct(chart, 'HardeningCompanions');
}

