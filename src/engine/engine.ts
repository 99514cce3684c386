/**
 * The rule engine: plain JSON objects in, findings out. Pure functions with no cdk8s dependency, shared by
 * synth-time enforcement, the CLI, the cdk8s validation plugin and the tests.
 */
import { PeerWaiver, peerWaivers } from './peers';
import { shapeProblems } from './shape';
import { isConfigFileApiVersion } from '../core/config-files';
import { isObject } from '../core/json';
import { ObjectIndex } from '../core/object-index';
import { CheckInput, CheckResult, Finding, InputProblem, K8sObject, Level, RefusedWaiver, Severity, severityRank, UnusedWaiver, Waiver } from '../core/types';
import { ObjectView, PodView, viewObject } from '../core/views';
import type { WaiverGovernance } from '../core/waiver-governance';
import { todayUtc, waiverGovernanceErrors, waiverRefusal } from '../core/waiver-judgement';
import { WaiverPolicy, waiverPermitted, waiverPolicyErrors, waiverScopeOf } from '../core/waiver-policy';
import { misplacedWaiverLabels, parseWaivers, WAIVER_LABEL_PREFIX, WAIVERS_ANNOTATION, waiverLabelErrors } from '../core/waivers';
import { ALL_RULES, findRule } from '../rules';
import type { ObjectRule, PodRule, Rule, RuleContext, RuleSettings, SetRule, Violation } from '../rules/rule';

/** What to run and how to judge. */
export interface EngineOptions {
  /** Pod Security Standards level to judge at. @default 'restricted' */
  readonly level?: Level;
  /** Report only findings at or above this severity. @default Severity.LOW */
  readonly minSeverity?: Severity;
  /** Run only these rule ids (after level selection). */
  readonly rules?: readonly string[];
  /** Skip these rule ids. */
  readonly skip?: readonly string[];
  /** Rules whose waivers are not honoured: an organisation's non-negotiable controls. */
  readonly lockedRules?: readonly string[];
  /** Settings that tune rules (image policy, ...). */
  readonly settings?: RuleSettings;
  /**
   * Where waivers are permitted (the cluster's admission params). A waiver outside it is not honoured.
   * @default - every waiver annotation entry is honoured
   */
  readonly waiverPolicy?: WaiverPolicy;
  /** What waivers must carry and how long they may live; an unused waiver is a warning or an error. @default - no demands, unused waivers warn */
  readonly waiverGovernance?: WaiverGovernance;
  /** Read kube-linter, Polaris and kube-score exemption annotations as waivers (src/engine/peers.ts). @default false */
  readonly peerExemptions?: boolean;
  /** The day expiry is judged on (`YYYY-MM-DD`, UTC). @default - $CDK8S_HARDENED_TODAY, else today */
  readonly today?: string;
  /** The catalog to run. @default ALL_RULES */
  readonly catalog?: readonly Rule[];
  /**
   * Namespaces managed elsewhere (`*` for every namespace): rules that judge a namespace's own setup
   * (`namespaceLevel`) report nothing about them, and a note says which were not judged.
   */
  readonly externalNamespaces?: readonly string[];
  /**
   * The objects are part of what runs in the cluster: findings of rules that judge absence (`judgesAbsence`) are
   * warnings about the scanned input, never findings.
   */
  readonly partial?: boolean;
}

/** The sentence that says a waiver is unused, shared by every judge. */
export function unusedWaiverText(u: UnusedWaiver): string {
  return `unused waiver: ${u.waiver.ruleId} on ${u.kind} ${u.namespace ? `${u.namespace}/` : ''}${u.name} finds nothing there: remove the waiver`;
}

/** What the engine looks up in a catalog on every call, computed once per catalog array. */
interface CatalogFacts {
  /** Length of the catalog when the facts were computed (a catalog array grown later is read again). */
  readonly size: number;
  readonly byId: ReadonlyMap<string, Rule>;
  /** Rules that run at each level (before overrides are applied), in catalog order. */
  readonly atLevel: ReadonlyMap<Level, readonly Rule[]>;
}

// Hardened workloads judge themselves one object at a time: a linear lookup per id per call was a large
// share of their serialization. Catalogs are frozen arrays in practice; the cache is keyed by identity.
const catalogFacts = new WeakMap<readonly Rule[], CatalogFacts>();

/**
 * A Pod Security Standards control of the restricted profile: the only rules `level: baseline` leaves out.
 * RBAC, network, namespace, image and workload rules are not part of the standards, so the level never drops them.
 */
function isRestrictedPssControl(rule: Rule): boolean {
  return rule.level === 'restricted' && rule.references.pss !== undefined;
}

/** The rules `level: baseline` leaves out (the restricted profile's own controls), in catalog order. */
export function restrictedOnlyRuleIds(catalog: readonly Rule[] = ALL_RULES): string[] {
  return catalog.filter(isRestrictedPssControl).map((r) => r.id);
}

function factsOf(catalog: readonly Rule[]): CatalogFacts {
  let facts = catalogFacts.get(catalog);
  if (!facts || facts.size !== catalog.length) {
    const byId = new Map<string, Rule>();
    for (const rule of catalog) if (!byId.has(rule.id)) byId.set(rule.id, rule);
    const atLevel = new Map<Level, readonly Rule[]>();
    atLevel.set('restricted', [...catalog]);
    atLevel.set('baseline', catalog.filter((r) => !isRestrictedPssControl(r)));
    facts = { size: catalog.length, byId, atLevel };
    catalogFacts.set(catalog, facts);
  }
  return facts;
}

/** The arguments and result of the last selection: a hardened workload's self-check repeats the same one. */
let lastSelection:
  | { catalog: readonly Rule[]; size: number; level: Level; minRank: number; ids: (readonly string[])[]; rules: readonly Rule[] }
  | undefined;

function sameIds(a: readonly string[], b: readonly string[] | undefined): boolean {
  const other = b ?? [];
  if (a.length !== other.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== other[i]) return false;
  return true;
}

/**
 * Chooses the rules of a run: level, include and skip lists, then overrides. Unknown ids are an error.
 *
 * A stricter rule that overrides a weaker one (pod-restricted-volumes over pod-host-path-volumes) replaces it
 * only when the stricter rule itself runs: selecting the weaker rule alone, skipping the stricter one or
 * filtering it out by severity keeps the weaker check. Overriding only avoids reporting one problem twice.
 */
export function selectRules(options: EngineOptions = {}): Rule[] {
  const catalog = options.catalog ?? ALL_RULES;
  const level: Level = (options.level ?? 'restricted') === 'restricted' ? 'restricted' : 'baseline';
  const minRank = severityRank(options.minSeverity ?? Severity.LOW);
  const idLists = [options.rules, options.skip, options.lockedRules];
  const last = lastSelection;
  const repeated = last !== undefined && last.catalog === catalog && last.size === catalog.length && last.level === level && last.minRank === minRank;
  if (repeated && last.ids.every((ids, i) => sameIds(ids, idLists[i]))) {
    return [...last.rules];
  }
  const facts = factsOf(catalog);
  for (const ids of idLists) {
    for (const id of ids ?? []) {
      if (!facts.byId.has(id)) throw new Error(`unknown rule id "${id}" (list the rules with \`cdk8s-hardened rules\`)`);
    }
  }
  const atLevel = facts.atLevel.get(level)!;
  const include = options.rules && options.rules.length > 0 ? new Set(options.rules) : undefined;
  const skip = options.skip && options.skip.length > 0 ? new Set(options.skip) : undefined;
  const chosen = atLevel.filter((r) => (!include || include.has(r.id)) && (!skip || !skip.has(r.id)));
  const overridden = new Set(chosen.filter((r) => severityRank(r.severity) >= minRank).flatMap((r) => r.overrides ?? []));
  const rules = chosen.filter((r) => !overridden.has(r.id));
  lastSelection = { catalog, size: catalog.length, level, minRank, ids: idLists.map((ids) => [...(ids ?? [])]), rules };
  return [...rules];
}

/** Runs the selected rules over the objects. Never throws on bad input: problems are reported. */
export function checkObjects(inputs: readonly CheckInput[], options: EngineOptions = {}): CheckResult {
  const rules = selectRules(options);
  const minRank = severityRank(options.minSeverity ?? Severity.LOW);
  const locked = new Set(options.lockedRules ?? []);
  const settings: RuleSettings = { completeSet: true, ...options.settings };
  const catalog = options.catalog ?? ALL_RULES;
  const byId = factsOf(catalog).byId;
  const known = (id: string) => byId.has(id) || findRule(id) !== undefined;
  const isPodRule = (id: string) => (byId.get(id) ?? findRule(id))?.scope === 'pod';

  const problems: InputProblem[] = [];
  const views: ObjectView[] = [];
  for (const input of inputs) {
    const identity = identityProblem(input.object);
    if (identity) {
      problems.push({ message: identity.message, file: input.source?.file, line: input.source?.line, kind: identity.kind });
      // An object without apiVersion, metadata or name still has a kind: its pod spec is judged all the same.
      if (!identity.judged) continue;
    }
    // Wrong types in the fields rules read, before any rule runs and for every judge. The object is judged all the
    // same: its other fields may hold real findings, and the problem alone already fails the run.
    for (const problem of shapeProblems(input)) problems.push(problem);
    views.push(viewObject(input.object, input.source));
  }

  const index = new ObjectIndex(views);
  const context: RuleContext = { index, settings };
  const sourceOf = new Map<K8sObject, ObjectView>(views.map((v) => [v.object, v]));

  const policyErrors = options.waiverPolicy ? waiverPolicyErrors(options.waiverPolicy, known) : [];
  if (policyErrors.length > 0) throw new Error(policyErrors.join('; '));
  const governance = options.waiverGovernance ?? {};
  const governanceErrors = waiverGovernanceErrors(governance, known);
  if (governanceErrors.length > 0) throw new Error(governanceErrors.join('; '));
  const today = todayUtc(options.today);

  // Waivers are read once per object. Pod rules read them where admission does: from the pod itself, or from a
  // workload's pod template (the pods it creates inherit only the template's annotations). Other rules read the
  // object's own annotations.
  const waiverCache = new Map<ObjectView, ObjectWaivers>();
  const waiversOf = (view: ObjectView): ObjectWaivers => {
    let cached = waiverCache.get(view);
    if (!cached) {
      const pod = index.podOf(view);
      // Most objects carry no waiver annotation and no exemption label: nothing to parse and nothing to report.
      if (!options.peerExemptions && !mayCarryWaivers(view) && (pod === undefined || !mayCarryWaivers(pod))) {
        waiverCache.set(view, NO_WAIVERS);
        return NO_WAIVERS;
      }
      const own = parseWaivers(view.annotations, known);
      const hasTemplate = pod !== undefined && pod.metadataPath !== 'metadata';
      const template = hasTemplate ? parseWaivers(pod.annotations, known) : own;
      for (const message of [...own.errors, ...(hasTemplate ? template.errors : [])]) problems.push(problemAt(view, message));
      const all = [...own.waivers, ...(hasTemplate ? template.waivers : [])];
      // Admission exemption labels must each be backed by a waiver annotation (the one record of the reason).
      const labelSets = hasTemplate ? [view.labels, pod.labels] : [view.labels];
      for (const labels of labelSets) for (const message of waiverLabelErrors(labels, all, known)) problems.push(problemAt(view, message));
      if (hasTemplate) {
        for (const message of misplacedWaiverLabels(view.labels, pod.labels, isPodRule)) problems.push(problemAt(view, message));
        for (const w of own.waivers) {
          if (isPodRule(w.ruleId) && !template.waivers.some((t) => t.ruleId === w.ruleId)) {
            problems.push(problemAt(view, `the waiver for ${w.ruleId} is in the workload's own annotation but not in its pod template's, so neither the workload nor its pods are exempt: add it to the pod template annotations`));
          }
        }
      }
      cached = { own: own.waivers, pod: template.waivers, peers: options.peerExemptions ? peerWaivers(view.annotations, catalog) : [] };
      waiverCache.set(view, cached);
    }
    return cached;
  };
  views.forEach((v) => waiversOf(v));

  const findings: Finding[] = [];
  const waived: Finding[] = [];
  const warnings: Finding[] = [];
  const external = externalNamespaceTest(options.externalNamespaces);
  // Rule id -> the external namespaces it was not judged on (for the note).
  const skippedExternal = new Map<string, Set<string>>();
  // Rules that found something on each object: a waiver for a rule that ran and found nothing is unused.
  const found = new Map<ObjectView, Set<string>>();
  const record = (rule: Rule, view: ObjectView, violation: Violation) => {
    // Only an object with waivers can have an unused one.
    if (waiversOf(view) !== NO_WAIVERS) {
      let seen = found.get(view);
      if (!seen) found.set(view, (seen = new Set()));
      seen.add(rule.id);
    }
    if (rule.namespaceLevel) {
      const namespace = view.kind === 'Namespace' ? view.name : view.namespace ?? 'default';
      if (external(namespace)) {
        const skipped = skippedExternal.get(rule.id) ?? new Set<string>();
        skippedExternal.set(rule.id, skipped.add(namespace));
        return;
      }
    }
    const waivers = rule.scope === 'pod' ? waiversOf(view).pod : waiversOf(view).own;
    const permitted = !options.waiverPolicy || waiverPermitted(options.waiverPolicy, rule.id, waiverScopeOf(view.kind, view.namespace, view.name));
    let candidate = locked.has(rule.id) || !permitted ? undefined : waivers.find((w) => w.ruleId === rule.id);
    // A peer tool's exemption counts only where the object records no waiver of its own for the rule.
    const peer = candidate || locked.has(rule.id) || !permitted ? undefined : waiversOf(view).peers.find((w) => w.waiver.ruleId === rule.id);
    if (peer) candidate = peer.waiver;
    // An expired waiver, or one short of the governance, is a finding again, and the finding says why.
    const why = candidate ? peer?.problem ?? waiverRefusal(candidate, today, governance) : undefined;
    const waiver = why ? undefined : candidate;
    const refusedWaiver: RefusedWaiver | undefined = candidate && why ? { waiver: candidate, why } : undefined;
    const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
      ruleId: rule.id,
      severity: rule.severity,
      kind: view.kind,
      namespace: view.namespace,
      name: view.name,
      path: violation.path,
      message: refusedWaiver ? `${violation.message} (waiver not honoured: ${refusedWaiver.why})` : violation.message,
      remediation: violation.remediation ?? rule.remediation,
      file: view.source?.file,
      line: view.source?.line,
      waiver,
    };
    if (refusedWaiver) finding.refusedWaiver = refusedWaiver;
    (waiver ? waived : options.partial && rule.judgesAbsence ? warnings : findings).push(finding);
  };
  // One small function per rule scope, each called once per rule: V8 optimizes these loops on their own instead
  // of recompiling all of checkObjects on stack replacement, and no closure is made per (rule, object).
  const failed = (rule: Rule, view: ObjectView | undefined, e: unknown) => problems.push(evaluationProblem(rule, view, e));
  // The pods each pod rule judges, in input order, filtered once per kinds list (most rules share one list).
  const podsByKinds = new Map<readonly string[], readonly PodView[]>();
  const podsOfKinds = (kinds: readonly string[]): readonly PodView[] => {
    let pods = podsByKinds.get(kinds);
    if (!pods) podsByKinds.set(kinds, (pods = index.pods().filter((pod) => kinds.includes(pod.judgedAs))));
    return pods;
  };
  for (const rule of rules) {
    if (severityRank(rule.severity) < minRank) continue;
    if (rule.scope === 'pod') runPodRule(rule, podsOfKinds(rule.kinds), context, record, failed);
    else if (rule.scope === 'object') runObjectRule(rule, index, context, record, failed);
    else runSetRule(rule, context, (object) => sourceOf.get(object) ?? viewObject(object), record, failed);
  }

  const notes: string[] = [];
  if (skippedExternal.size > 0) {
    const namespaces = [...new Set([...skippedExternal.values()].flatMap((s) => [...s]))].sort();
    const ids = [...skippedExternal.keys()].sort();
    notes.push(`Namespaces managed elsewhere (external namespaces) were not judged by the namespace-level rules: ${namespaces.map((ns) => `"${ns}"`).join(', ')} (${ids.join(', ')})`);
  }
  const ran = new Set(rules.filter((r) => severityRank(r.severity) >= minRank).map((r) => r.id));
  const unusedWaivers: UnusedWaiver[] = [];
  for (const view of views) {
    const waivers = waiversOf(view);
    if (waivers === NO_WAIVERS) continue;
    const { own, pod, peers } = waivers;
    const all = [...pod, ...own, ...peers.map((p) => p.waiver)];
    const ids = [...new Set(all.map((w) => w.ruleId))].sort();
    for (const ruleId of ids) {
      if (!ran.has(ruleId) || found.get(view)?.has(ruleId)) continue;
      const waiver = all.find((w) => w.ruleId === ruleId)!;
      unusedWaivers.push({ waiver, kind: view.kind, namespace: view.namespace, name: view.name, file: view.source?.file, line: view.source?.line });
    }
  }
  const unusedTexts = unusedWaivers.map(unusedWaiverText);
  if (governance.unused === 'error') {
    unusedWaivers.forEach((u, i) => problems.push({ message: `${unusedTexts[i]} (the waiver governance makes unused waivers errors)`, file: u.file, line: u.line, kind: u.kind, name: u.name }));
  }

  if (governance.unused !== 'error') notes.push(...unusedTexts);
  return {
    findings: findings.sort(compareFindings),
    waived: waived.sort(compareFindings),
    problems,
    objectCount: views.length,
    rulesRun: rules.map((r) => r.id),
    ...(options.partial ? { warnings: warnings.sort(compareFindings) } : {}),
    ...(unusedWaivers.length > 0 ? { unusedWaivers } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/** The waivers of one object: its own annotation's, its pod template's (pod rules) and peer tools' exemptions. */
interface ObjectWaivers { readonly own: Waiver[]; readonly pod: Waiver[]; readonly peers: PeerWaiver[] }

const NONE: never[] = Object.freeze([]) as unknown as never[];
const NO_WAIVERS: ObjectWaivers = { own: NONE, pod: NONE, peers: NONE };

/** False when the metadata holds neither the waivers annotation nor an exemption label (the only waiver inputs). */
function mayCarryWaivers(meta: { readonly annotations: Record<string, string>; readonly labels: Record<string, string> }): boolean {
  if (meta.annotations[WAIVERS_ANNOTATION] !== undefined) return true;
  const keys = Object.keys(meta.labels);
  for (let i = 0; i < keys.length; i++) if (keys[i].startsWith(WAIVER_LABEL_PREFIX)) return true;
  return false;
}

/** Which namespaces are external: a list of names, or `*` for every namespace. */
function externalNamespaceTest(names: readonly string[] | undefined): (namespace: string) => boolean {
  if (!names || names.length === 0) return () => false;
  if (names.includes('*')) return () => true;
  const set = new Set(names);
  return (namespace) => set.has(namespace);
}

type RecordFinding = (rule: Rule, view: ObjectView, violation: Violation) => void;
type RecordFailure = (rule: Rule, view: ObjectView | undefined, e: unknown) => void;

function runPodRule(rule: PodRule, pods: readonly PodView[], context: RuleContext, record: RecordFinding, failed: RecordFailure): void {
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i];
    try {
      const violations = rule.check(pod, context);
      for (let v = 0; v < violations.length; v++) record(rule, pod.owner, violations[v]);
    } catch (e) {
      failed(rule, pod.owner, e);
    }
  }
}

function runObjectRule(rule: ObjectRule, index: ObjectIndex, context: RuleContext, record: RecordFinding, failed: RecordFailure): void {
  for (const kind of rule.kinds) {
    const views = index.ofKind(kind);
    for (let i = 0; i < views.length; i++) {
      const view = views[i];
      try {
        const violations = rule.check(view, context);
        for (let v = 0; v < violations.length; v++) record(rule, view, violations[v]);
      } catch (e) {
        failed(rule, view, e);
      }
    }
  }
}

type ViewOf = (object: K8sObject) => ObjectView;

function runSetRule(rule: SetRule, context: RuleContext, viewOf: ViewOf, record: RecordFinding, failed: RecordFailure): void {
  try {
    const violations = rule.check(context);
    for (let v = 0; v < violations.length; v++) record(rule, viewOf(violations[v].object), violations[v]);
  } catch (e) {
    failed(rule, undefined, e);
  }
}

/** A rule that cannot evaluate its input is a bug or a malformed object: say so, never pass silently. */
function evaluationProblem(rule: Rule, view: ObjectView | undefined, e: unknown): InputProblem {
  return {
    message: `rule ${rule.id} could not evaluate ${view ? `${view.kind}/${view.name}` : 'the object set'}: ${(e as Error).message}`,
    file: view?.source?.file,
    line: view?.source?.line,
    kind: view?.kind,
    name: view?.name,
  };
}

/**
 * What is missing from an input's identity, or undefined when it is whole. `judged` is false only when the input
 * is not an object or has no kind (nothing says which rules apply); otherwise the object is judged as well.
 */
function identityProblem(object: unknown): { message: string; judged: boolean; kind?: string } | undefined {
  if (!isObject(object)) {
    return { message: `expected a Kubernetes object, got ${Array.isArray(object) ? 'an array' : object === null ? 'null' : typeof object}`, judged: false };
  }
  if (typeof object.kind !== 'string' || object.kind === '') return { message: 'object has no kind', judged: false };
  const kind = object.kind;
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '') {
    return { message: `${kind} has no apiVersion (kubectl refuses it; judged anyway)`, judged: true, kind };
  }
  if (isConfigFileApiVersion(object.apiVersion)) return undefined; // config files carry no ObjectMeta
  // Metadata or a name of the wrong type is the shape check's to report (once, naming the type), not missing.
  if (object.metadata === undefined || object.metadata === null) {
    return { message: `${kind} has no metadata (kubectl refuses it without metadata.name; judged anyway)`, judged: true, kind };
  }
  if (!isObject(object.metadata)) return undefined;
  const name = object.metadata.name ?? object.metadata.generateName;
  if (name !== undefined && name !== null && typeof name !== 'string') return undefined;
  if (typeof name !== 'string' || name === '') {
    return { message: `${kind} has no metadata.name (kubectl refuses it; judged anyway)`, judged: true, kind };
  }
  return undefined;
}

function problemAt(view: ObjectView, message: string): InputProblem {
  return { message: `${view.kind}/${view.name}: ${message}`, file: view.source?.file, line: view.source?.line, kind: view.kind, name: view.name };
}

function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Stable order: file, line, kind, namespace, name, rule, path. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareText(a.kind, b.kind) ||
    compareText(a.namespace, b.namespace) ||
    compareText(a.name, b.name) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.path, b.path)
  );
}
