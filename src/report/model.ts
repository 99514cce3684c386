/**
 * What every reporter renders: the engine's result plus what the reporters need around it (the objects
 * judged, the rules that ran, the tool version). Reporters are pure functions of this value.
 */
import { isObject } from '../core/json';
import { Finding, InputProblem, Severity, SEVERITY_ORDER } from '../core/types';
import { ObjectView, viewObject, viewPod } from '../core/views';
import type { CheckReport } from '../engine/scan';
import type { Rule } from '../rules/rule';

export type { CheckReport } from '../engine/scan';

/** Base of the rule documentation: every rule has an anchor named after its id. */
export const RULES_DOC_URL = 'https://github.com/cdk8s-hardened/cdk8s-hardened/blob/main/docs/rules.md';
export const PROJECT_URL = 'https://github.com/cdk8s-hardened/cdk8s-hardened';

/** Link to a rule's section of docs/rules.md. */
export function ruleHelpUri(ruleId: string): string {
  return `${RULES_DOC_URL}#${ruleId}`;
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function objectLabel(f: { kind: string; namespace?: string; name: string }): string {
  return `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
}

/** `file:line`, `file`, or `(no file)`. */
export function locationLabel(f: { file?: string; line?: number }): string {
  if (!f.file) return '(no file)';
  return f.line ? `${f.file}:${f.line}` : f.file;
}

/** Count of findings per severity, every severity present (zero when none). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** `2 findings (1 critical, 1 high)` style summary. */
export function summaryLine(report: CheckReport): string {
  const { result } = report;
  const counts = countBySeverity(result.findings);
  const bySeverity = SEVERITY_ORDER.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const parts = [
    `${plural(result.objectCount, 'object')} checked against ${plural(result.rulesRun.length, 'rule')}`,
    `${plural(result.findings.length, 'finding')}${bySeverity.length ? ` (${bySeverity.join(', ')})` : ''}`,
    `${result.waived.length} waived`,
    plural(result.problems.length, 'input problem'),
  ];
  return parts.join(', ');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A problem as one line that always starts with where it is (`file:line: message`). */
export function problemText(p: InputProblem): string {
  if (p.file && p.message.startsWith(p.file)) return p.message;
  return p.file ? `${locationLabel(p)}: ${p.message}` : p.message;
}

/** The rules of the run that judge an object: by its kind, and pod rules by the kind its pod template is judged as. */
export function rulesFor(report: CheckReport, view: ObjectView): Rule[] {
  const pod = viewPod(view);
  return report.rules.filter((r) => r.kinds.includes(view.kind) || (r.scope === 'pod' && pod !== undefined && r.kinds.includes(pod.judgedAs)));
}

/** An object in the input that no rule of the run judges. */
export interface UnjudgedObject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly endLine?: number;
}

/**
 * Objects in the input that no rule of the run judges (custom resources without a pod template, kinds outside
 * the catalog), in input order. Every format says so, so that "no findings" is never mistaken for "judged and passed".
 */
export function unjudgedObjects(report: CheckReport): UnjudgedObject[] {
  const out: UnjudgedObject[] = [];
  // Most objects are of a kind some rule lists: only the others are looked at for a pod template.
  const listed = new Set(report.rules.flatMap((r) => r.kinds));
  for (const input of report.inputs) {
    if (!isObject(input.object) || typeof input.object.kind !== 'string' || input.object.kind === '' || listed.has(input.object.kind)) continue;
    const view = viewObject(input.object, input.source);
    if (rulesFor(report, view).length > 0) continue;
    const { file, line, endLine } = input.source ?? {};
    out.push({ kind: view.kind, namespace: view.namespace, name: view.name, file, line, endLine });
  }
  return out;
}

/** Why an object was not judged, in one line. */
export function unjudgedText(o: UnjudgedObject): string {
  return `${objectLabel(o)} was not judged: no selected rule judges kind ${o.kind}`;
}

/** Kinds in the input that no rule of the run judges, with their object counts, sorted by kind. */
export function unjudgedKinds(report: CheckReport): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of unjudgedObjects(report)) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return new Map([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `Not judged by any selected rule: FooBar (1), Certificate (2)`, or undefined when every kind is judged. */
export function unjudgedNote(report: CheckReport): string | undefined {
  const kinds = unjudgedKinds(report);
  if (kinds.size === 0) return undefined;
  return `Not judged by any selected rule: ${[...kinds].map(([kind, n]) => `${kind} (${n})`).join(', ')}`;
}

/** A partial scan's warning in one line: `warning: rule-id on Kind ns/name at path: message`. */
export function warningText(f: Finding): string {
  return `warning: ${f.ruleId} on ${objectLabel(f)} at ${f.path}: ${f.message}`;
}

/** Every note of a run, in order: how the input was read, then what was not judged. */
export function reportNotes(report: CheckReport): string[] {
  const note = unjudgedNote(report);
  return [...(report.result.notes ?? []), ...(note ? [note] : [])];
}

/** A waiver's reason followed by its owner, ticket and expiry when it has them: `reason (owner: a, ticket: T-1, expires: 2027-01-31)`. */
export function waiverText(w: { reason: string; owner?: string; ticket?: string; expires?: string } | undefined): string {
  if (!w) return '';
  const details = [w.owner && `owner: ${w.owner}`, w.ticket && `ticket: ${w.ticket}`, w.expires && `expires: ${w.expires}`].filter(Boolean);
  return details.length > 0 ? `${w.reason} (${details.join(', ')})` : w.reason;
}
