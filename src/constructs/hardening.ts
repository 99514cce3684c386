/**
 * Synth-time enforcement: `Hardening.enforce(scope)` judges every ApiObject under a scope with the whole
 * catalog (hardened constructs, plain cdk8s-plus, Include, raw ApiObject) and fails synth with a table.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { EnforceOptions, engineOptions, nearestEnforceOptions, enforcedOptions, registerEnforcedScope } from './enforce-options';
import { PodHardening } from './pod-hardening';
import { yamlMismatch, yamlMismatchError } from './synth-yaml';
import { imageInventory } from '../analysis/images/image-inventory';
import type { ImageInventoryEntry } from '../analysis/images/image-inventory-types';
import { parseImagePolicy } from '../analysis/images/image-policy';
import type { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import { isObject } from '../core/json';
import { expandList } from '../core/lists';
import type { CheckInput, CheckResult, Finding, InputProblem, K8sObject, Waiver } from '../core/types';
import { appliedSet } from '../engine/applied';
import { checkObjects, selectRules, unusedWaiverText } from '../engine/engine';

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
    registerEnforcedScope(scope, options);
    scope.node.addValidation({ validate: () => enforceScope(scope, options) });
  }

  /** The options of the nearest enclosing `enforce()` scope, or undefined when none encloses `construct`. */
  public static optionsFor(construct: IConstruct): EnforceOptions | undefined {
    return nearestEnforceOptions(construct);
  }

  /**
   * Records a waiver on a hardened workload after construction (same checks as its `waivers` prop).
   * @param ruleId the rule, e.g. `RuleId.POD_READ_ONLY_ROOT_FILESYSTEM`
   * @param details who answers for the waiver and until when. @default - none
   */
  public static addWaiver(workload: IConstruct, ruleId: string, reason: string, details?: WaiverDetails): void {
    const { expires, owner, ticket } = details ?? {};
    hardeningOf(workload).addWaiver({
      ruleId,
      reason,
      ...(expires !== undefined ? { expires } : {}),
      ...(owner !== undefined ? { owner } : {}),
      ...(ticket !== undefined ? { ticket } : {}),
    });
  }

  /** The waivers recorded on a hardened workload (its props, `addWaiver` and the library's batch waivers), sorted. */
  public static waiversOf(workload: IConstruct): Waiver[] {
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
    const inventory = imageInventory(appliedSet(inputs).inputs, { imagePolicy: policy });
    const all = [...problems, ...inventory.problems];
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
  for (const o of apiObjects) {
    let json: unknown;
    try {
      json = o.toJson();
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
  const judged = checkObjects(applied.inputs, engineOptions(options));
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
  for (const note of result.notes ?? []) if (note.startsWith('unused waiver:')) lines.push(`  warning: ${note}`);
  return lines.join('\n');
}
