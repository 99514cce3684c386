/**
 * Synth-time enforcement: `Hardening.enforce(scope)` judges every ApiObject under a scope with the whole
 * catalog (hardened constructs, plain cdk8s-plus, Include, raw ApiObject) and fails synth with a table.
 */
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { registerDefaultResources } from './default-resources';
import { applyPolicyExemptions, EnforceOptions, engineOptions, nearestEnforceOptions, enforcedOptions, policyOf, registerEnforcedScope, underPath } from './enforce-options';
import { addObjectWaiver, apiObjectOf, findObject, hardenScope, HardenOptions, objectWaivers } from './harden';
import { PodHardening } from './pod-hardening';
import { yamlMismatch, yamlMismatchError } from './synth-yaml';
import { imageInventory } from '../analysis/images/image-inventory';
import type { ImageInventoryEntry } from '../analysis/images/image-inventory-types';
import { parseImagePolicy } from '../analysis/images/image-policy';
import type { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import { isObject } from '../core/json';
import { expandList } from '../core/lists';
import type { CheckInput, CheckResult, Finding, InputProblem, K8sObject, Waiver } from '../core/types';
import { severityRank } from '../core/types';
import { appliedSet } from '../engine/applied';
import { HardenedConfig, PolicyGrant } from '../engine/config';
import { checkObjects, restrictedOnlyRuleIds, selectRules, unusedWaiverText } from '../engine/engine';
import { NOT_JUDGED_ANNOTATION, Relaxation, relaxationsOf } from '../engine/relaxations';
import { typeProblems } from '../engine/shape';

/** The annotation that records the team grants covering an object (JSON, sorted by grant name). */
export const POLICY_GRANT_ANNOTATION = 'hardened.cdk8s.io/policy-grant';

/** The optional fields of a waiver given to `Hardening.addWaiver` (see the `Waiver` struct). */
export interface WaiverDetails {
  /** The last day the waiver holds (`YYYY-MM-DD`). @default - it never expires */
  readonly expires?: string;
  /** Who answers for it. @default - none */
  readonly owner?: string;
  /** The ticket that tracks removing it. @default - none */
  readonly ticket?: string;
}

/** Entry point of synth-time enforcement. */
export class Hardening {
  /**
   * Validates every ApiObject under `scope` when the app synthesizes (`app.synth()`, `app.synthYaml()`, `cdk8s synth`)
   * and fails synth with a table of findings (rule, object, path, fix), listing the waived ones too.
   * Hardened workloads below the scope judge themselves with the same options.
   */
  public static enforce(scope: IConstruct, options: EnforceOptions = {}): void {
    if (enforcedOptions(scope)) {
      throw new Error(`Hardening.enforce was already called on ${scope.node.path || 'the app'}: call it once per scope`);
    }
    // Validate the rule ids and the image policy now, so a typo fails where it was written.
    try {
      selectRules(engineOptions(options));
    } catch (e) {
      throw new Error(`${scope.node.path || 'the app'}: Hardening.enforce: ${(e as Error).message}`);
    }
    checkNested(scope, options);
    if (options.defaultResources) registerDefaultResources(scope as Construct, options.defaultResources, 'EnforceOptions.defaultResources');
    registerEnforcedScope(scope, options);
    scope.node.addValidation({ validate: () => enforceScope(scope, options) });
  }

  /** The options of the nearest enclosing `enforce()` scope, or undefined when none encloses `construct`. */
  public static optionsFor(construct: IConstruct): EnforceOptions | undefined {
    return nearestEnforceOptions(construct);
  }

  /**
   * Hardens every workload ApiObject under `scope` that the library did not create (Include, HardenedInclude, Helm,
   * plain cdk8s-plus constructs, raw ApiObjects) with the core the hardened constructs use, as JSON patches: every
   * unset control is filled exactly as HardenedDeployment fills it; explicit values are never changed and are judged
   * (a finding, or a synth failure under `enforce`, unless waived). Call it once the scope holds its objects
   * (objects added later are not hardened). Companions: see HardenOptions.
   */
  public static harden(scope: IConstruct, options: HardenOptions = {}): void {
    hardenScope(scope, options);
  }

  /**
   * Records a waiver after construction, with the checks of the `waivers` prop (a catalog rule, a reason, a kind the
   * rule may be waived on): on a hardened workload, or on any other ApiObject (an included object, a raw ApiObject,
   * a plain cdk8s-plus construct), where it is written on the object and on its pod template.
   * @param ruleId the rule, e.g. `RuleId.POD_READ_ONLY_ROOT_FILESYSTEM`
   * @param details who answers for the waiver and until when. @default - none
   */
  public static addWaiver(workload: IConstruct, ruleId: string, reason: string, details?: WaiverDetails): void {
    addObjectWaiver(workload, ruleId, reason, details);
  }

  /**
   * Records a waiver on the object of `kind` named `name` under `scope` (an Include, HardenedInclude or Helm chart,
   * whose objects have no construct handle of their own), with the checks of `addWaiver`.
   */
  public static addWaiverTo(scope: IConstruct, kind: string, name: string, ruleId: string, reason: string, details?: WaiverDetails): void {
    addObjectWaiver(findObject(scope, kind, name), ruleId, reason, details);
  }

  /**
   * The waivers recorded on a hardened workload (its props, `addWaiver` and the library's batch waivers), or on an
   * ApiObject through `addWaiver` (with those its manifest carried), sorted by rule id.
   */
  public static waiversOf(workload: IConstruct): Waiver[] {
    const core = PodHardening.of(workload);
    if (core) return core.waivers;
    const apiObject = apiObjectOf(workload);
    if (apiObject) return objectWaivers(apiObject);
    return hardeningOf(workload).waivers;
  }

  /**
   * The inventory of the images the ApiObjects under `scope` run (containers, init and ephemeral containers,
   * image volumes, of every workload kind), the same as `cdk8s-hardened images` prints for the synth output,
   * one entry per image, sorted by its fully qualified reference. Call it after the app is built (e.g. next to
   * `app.synth()`) to write a bill of materials at synth.
   *
   * @param scope the app or chart to list
   * @param imagePolicy the policy the `allowed` verdict uses. @default - the image policy of the nearest `Hardening.enforce` scope, else digests required and any registry
   */
  public static imagesOf(scope: IConstruct, imagePolicy?: ImagePolicySettings): ImageInventoryEntry[] {
    const where = scope.node.path || 'the app';
    let policy: ImagePolicySettings | undefined;
    try {
      policy = parseImagePolicy(imagePolicy ?? nearestEnforceOptions(scope)?.imagePolicy);
    } catch (e) {
      throw new Error(`${where}: Hardening.imagesOf: ${(e as Error).message}`);
    }
    const { inputs, problems } = apiObjectInputs(scope);
    const applied = appliedSet(inputs).inputs;
    const inventory = imageInventory(applied, { imagePolicy: policy });
    // A wrong type in a pod spec (containers that are not a list) would drop images silently: refused, as `images` does.
    const all = [...problems, ...typeProblems(applied), ...inventory.problems];
    if (all.length > 0) {
      // An inventory that leaves an image out would read as complete: refuse it.
      throw new Error(`${where}: Hardening.imagesOf cannot list every image:\n${all.map((p) => `  ${p.file ? `${p.file}: ` : ''}${p.message}`).join('\n')}`);
    }
    return inventory.images;
  }

  private constructor() {}
}

function hardeningOf(workload: IConstruct): PodHardening {
  const core = PodHardening.of(workload);
  if (!core) throw new Error(`${workload.node.path} is not a hardened workload (HardenedDeployment, HardenedStatefulSet, ...)`);
  return core;
}

/** The JSON of every ApiObject under `scope`, lists expanded, each with its construct path as source. */
function apiObjectInputs(scope: IConstruct): { inputs: CheckInput[]; problems: InputProblem[] } {
  const inputs: CheckInput[] = [];
  const problems: InputProblem[] = [];
  for (const o of scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c))) {
    let json: unknown;
    try {
      json = o.toJson();
    } catch (e) {
      problems.push({ message: (e as Error).message, file: o.node.path });
      continue;
    }
    const expanded = expandList(json);
    for (const message of expanded.problems) problems.push({ message, file: o.node.path, kind: expanded.listKind });
    for (const { value } of expanded.objects) inputs.push({ object: value as K8sObject, source: { file: o.node.path } });
  }
  return { inputs, problems };
}

/** Warnings already written per enforced scope. */
const WARNED = new WeakMap<IConstruct, Set<string>>();

function enforceScope(scope: IConstruct, options: EnforceOptions): string[] {
  const apiObjects = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const pathOf = new Map<string, string>();
  const inputs: CheckInput[] = [];
  const listProblems: InputProblem[] = [];
  // Hardened workloads judge themselves when serialized and throw on findings: those messages are reported as is.
  const refused: string[] = [];
  const jsonOf = new Map<ApiObject, unknown>();
  for (const o of apiObjects) {
    let json: unknown;
    try {
      json = o.toJson();
      jsonOf.set(o, json);
      // The cluster gets the YAML cdk8s writes: refuse objects whose YAML kubectl would read differently.
      const mismatch = yamlMismatch(json);
      if (mismatch) refused.push(yamlMismatchError(o.node.path, json as K8sObject, mismatch));
    } catch (e) {
      refused.push((e as Error).message);
      continue;
    }
    // A raw ApiObject or an Included file may be a list (any object with `items`): judge what kubectl applies.
    const expanded = expandList(json);
    for (const message of expanded.problems) listProblems.push({ message: `${o.node.path}: ${message}`, kind: expanded.listKind });
    for (const { value } of expanded.objects) {
      const object = value as K8sObject;
      const metadata = isObject(object.metadata) ? object.metadata : {};
      pathOf.set(objectKey(object.kind, metadata.namespace, metadata.name), o.node.path);
      inputs.push({ object, source: { file: o.node.path } });
    }
  }
  // What kubectl applies: of two ApiObjects that are one object in the cluster, only the last.
  const applied = appliedSet(inputs);
  const engine = engineOptions(options);
  const policy = policyOf(options);
  const checked = checkObjects(applied.inputs, engine);
  // Exemptions are judged like waivers, with the same governance and day as the CLI judges them.
  const judgement = { governance: engine.waiverGovernance, today: engine.today };
  const judged = applyPolicyExemptions(checked, policy, (f) => pathOf.get(objectKey(f.kind, f.namespace, f.name)), judgement);
  recordRelaxations(scope, jsonOf, options, engine, policy);
  const result: CheckResult = { ...judged, problems: [...listProblems, ...applied.problems, ...judged.problems] };
  const failed = result.findings.length > 0 || result.problems.length > 0;
  // A validation can only fail synth; an unused waiver under `unused: warn` must still reach a human, so it goes to stderr.
  if (!failed) {
    // cdk8s may validate a scope more than once per synth: say each warning once.
    const said = WARNED.get(scope) ?? new Set<string>();
    WARNED.set(scope, said);
    for (const u of result.unusedWaivers ?? []) {
      const line = `cdk8s-hardened: warning: ${unusedWaiverText(u)} (${pathOf.get(objectKey(u.kind, u.namespace, u.name)) ?? u.name})\n`;
      if (!said.has(line)) process.stderr.write(line);
      said.add(line);
    }
  }
  return [...(failed ? [formatReport(result, (f) => pathOf.get(objectKey(f.kind, f.namespace, f.name)))] : []), ...refused];
}

/** The namespace a grant judges an object by: its own, a Namespace object its name. */
function namespaceOf(json: unknown): string | undefined {
  if (!isObject(json) || !isObject(json.metadata)) return undefined;
  const name = json.metadata.name;
  const namespace = json.kind === 'Namespace' ? name : json.metadata.namespace;
  return typeof namespace === 'string' ? namespace : undefined;
}

/**
 * Writes what this enforcement does not judge on every object it covers (`hardened.cdk8s.io/not-judged`), and the
 * team grants covering an object (`hardened.cdk8s.io/policy-grant`), so the YAML says what was relaxed and why.
 */
function recordRelaxations(
  scope: IConstruct,
  jsonOf: ReadonlyMap<ApiObject, unknown>,
  options: EnforceOptions,
  engine: ReturnType<typeof engineOptions>,
  policy: HardenedConfig,
) {
  const origin = `Hardening.enforce(${scope.node.path || 'the app'})${options.policy ? ` with policy ${options.policy.source}` : ''}`;
  const reasons = new Map((policy.overrides ?? []).filter((o) => o.disable).map((o) => [o.ruleId, o.reason]));
  const relaxations = relaxationsOf(engine, origin, reasons);
  const grants = policy.grants ?? [];
  // Objects that failed to serialize are reported by the judgement already.
  if (relaxations.length === 0 && grants.length === 0) return;
  for (const [o, json] of jsonOf) {
    if (relaxations.length > 0) recordNotJudged(o, relaxations);
    const namespace = namespaceOf(json);
    const covering = grants.filter((g) => g.namespace === namespace && (g.path === undefined || underPath(o.node.path, g.path)));
    if (covering.length > 0) o.metadata.addAnnotation(POLICY_GRANT_ANNOTATION, grantAnnotation(covering, policy));
  }
}

/** Adds `relaxations` to the object's not-judged annotation (nested enforcements each add theirs), sorted. */
function recordNotJudged(o: ApiObject, relaxations: readonly Relaxation[]) {
  const previous = (o.metadata.toJson().annotations ?? {})[NOT_JUDGED_ANNOTATION] as string | undefined;
  const entries: Relaxation[] = [...(previous ? (JSON.parse(previous) as Relaxation[]) : []), ...relaxations];
  const unique = [...new Map(entries.map((e) => [JSON.stringify(e), e])).values()]
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  o.metadata.addAnnotation(NOT_JUDGED_ANNOTATION, JSON.stringify(unique));
}

function grantAnnotation(grants: readonly PolicyGrant[], policy: HardenedConfig): string {
  const locked = new Set(policy.lockedRules ?? []);
  return JSON.stringify([...grants].sort((a, b) => (a.name < b.name ? -1 : 1)).map((g) => ({
    name: g.name,
    ...(g.level ? { level: g.level } : {}),
    ...(g.disable ? { disable: g.disable.filter((id) => !locked.has(id)) } : {}),
    reason: g.reason,
  })));
}

/**
 * A nested `enforce` that asks for less than the scope around it (a lower level, skipped rules, a higher
 * minimum severity) relaxes nothing, because the outer judgement still applies: refuse it unless the outer
 * policy grants the scope exactly that, and say how.
 */
function checkNested(scope: IConstruct, options: EnforceOptions): void {
  const parentScope = scope.node.scope;
  const parent = parentScope ? nearestEnforceOptions(parentScope) : undefined;
  if (!parent) return;
  const where = scope.node.path || 'the app';
  const outer = engineOptions(parent);
  const inner = engineOptions(options);
  const grants = (policyOf(parent).grants ?? []).filter((g) => g.path !== undefined && underPath(where, g.path));
  const granted = new Set(grants.flatMap((g) => [...(g.level === 'baseline' ? restrictedOnlyRuleIds() : []), ...(g.disable ?? [])]));
  const problems: string[] = [];
  if (inner.level === 'baseline' && outer.level === 'restricted' && !grants.some((g) => g.level === 'baseline')) {
    problems.push('level BASELINE under a RESTRICTED scope');
  }
  const outerSkip = new Set(outer.skip ?? []);
  const skipped = (inner.skip ?? []).filter((id) => !outerSkip.has(id) && !granted.has(id));
  if (skipped.length > 0) problems.push(`skip ${skipped.join(', ')}`);
  if (severityRank(inner.minSeverity!) > severityRank(outer.minSeverity!)) {
    problems.push(`minSeverity ${String(inner.minSeverity)} above the enclosing ${String(outer.minSeverity)} (a grant cannot raise a threshold: disable the rules instead)`);
  }
  if (problems.length > 0) {
    throw new Error(`${where}: Hardening.enforce asks for less than the enclosing enforced scope (${problems.join('; ')}), which still judges these objects, `
      + `so the relaxation would hold nowhere. Fix: add a grant to the enclosing policy, e.g. grants: [{ name: '<team>', namespace: '<namespace>', path: '${where}', `
      + "level: 'baseline' or disable: ['<rule-id>'], reason: '<why>' }], and keep the nested options within it");
  }
}

function objectKey(kind: unknown, namespace: unknown, name: unknown): string {
  return `${String(kind)}/${namespace === undefined ? '' : String(namespace)}/${String(name)}`;
}

/** Renders findings as an aligned table (rule, severity, object, path), each followed by its fix. */
export function formatReport(result: CheckResult, constructPath: (f: Finding) => string | undefined): string {
  const lines: string[] = [];
  const total = result.findings.length;
  lines.push(`cdk8s-hardened: ${total} finding${total === 1 ? '' : 's'}, ${result.waived.length} waived, ${result.problems.length} input problem${result.problems.length === 1 ? '' : 's'}`);
  const table = (findings: Finding[], withFix: boolean) => {
    const rows = findings.map((f) => [
      f.ruleId,
      f.severity,
      `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}${constructPath(f) ? ` (${constructPath(f)})` : ''}`,
      f.path,
    ]);
    const header = ['RULE', 'SEVERITY', 'OBJECT', 'PATH'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const render = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
    lines.push(`  ${render(header)}`);
    rows.forEach((row, i) => {
      lines.push(`  ${render(row)}`);
      const f = findings[i];
      lines.push(withFix ? `      ${f.message}. Fix: ${f.remediation}` : `      waived: ${f.waiver?.reason}`);
    });
  };
  if (total > 0) table(result.findings, true);
  if (result.waived.length > 0) {
    lines.push('Waived (reported, not failing):');
    table(result.waived, false);
  }
  for (const problem of result.problems) lines.push(`  input problem: ${problem.message}`);
  for (const f of result.warnings ?? []) lines.push(`  warning (partial, not failing): ${f.ruleId} on ${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}: ${f.message}`);
  for (const note of result.notes ?? []) lines.push(note.startsWith('unused waiver:') ? `  warning: ${note}` : `  note: ${note}`);
  return lines.join('\n');
}
