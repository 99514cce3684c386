/**
 * Waivers: the only way to weaken a control. A waiver names a rule and carries a reason; it is written to
 * the object as the annotation `hardened.cdk8s.io/waivers` (a JSON array sorted by rule id) so that every
 * consumer (synth-time enforcement, the CLI, the cdk8s plugin, admission) honours and reports the same thing.
 */
import type { Waiver } from './types';

/** Annotation that carries an object's waivers. */
export const WAIVERS_ANNOTATION = 'hardened.cdk8s.io/waivers';

/**
 * Annotation recording why a workload's service account token is mounted (AuditedServiceAccount `apiAccess` writes it
 * on the account and on the pod template of every workload that mounts the projected token).
 */
export const API_ACCESS_ANNOTATION = 'hardened.cdk8s.io/api-access';

/** Shortest accepted reason: long enough to say why, short enough not to force filler. */
export const MIN_WAIVER_REASON_LENGTH = 10;

/** Result of reading the waivers annotation of an object. */
export interface ParsedWaivers {
  readonly waivers: Waiver[];
  /** What was wrong with the annotation (each entry is reported as an input problem). */
  readonly errors: string[];
}

/*
 * The canonical form. A ValidatingAdmissionPolicy has no JSON parser, so the annotation is a small regular
 * language that CEL's RE2 `matches` and the engine's RegExp recognise alike:
 *
 *   annotation := "[" [ entry ( "," entry )* ] "]"          no whitespace anywhere outside reasons
 *   entry      := '{"ruleId":"' id '","reason":"' reason '"}'
 *   reason     := edge char{8,} edge                        10 or more characters, JSON-encoded
 *
 * which is exactly what JSON.stringify writes for a reason that is one line of printable text without
 * leading or trailing whitespace. Escapes other than \" and \\ cannot occur (control characters are refused),
 * so every encoded character is one character of the reason and the length can be counted by the regex.
 * Every judge honours an entry only when the whole annotation is in this form and names its rule once.
 */

/** A rule id as it may appear in an entry (catalog ids are lower-case kebab-case). */
const ID_SOURCE = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
/** Characters JavaScript's trim() removes that are not control characters (Unicode Zs, line separators, BOM). */
const TRIMMED_CODE_POINTS = [0x20, 0xa0, 0x1680, ...range(0x2000, 0x200a), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
/** Control characters (C0, DEL, C1): a reason is one line of printable text. */
const CONTROL_RANGES: Array<[number, number]> = [[0x00, 0x1f], [0x7f, 0x9f]];
/** Line and paragraph separators: YAML 1.1 readers break lines at them, so a reason must not carry them. */
const SEPARATOR_CODE_POINTS = [0x2028, 0x2029];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The regex dialect: RE2 (CEL `matches` on the API server) or a JavaScript RegExp with the `u` flag. */
export type RegexDialect = 're2' | 'js';

function codePoint(cp: number, dialect: RegexDialect): string {
  const hex = cp.toString(16);
  return dialect === 're2' ? `\\x{${hex}}` : `\\u{${hex}}`;
}

/** Any character but a quote, a backslash (both only escaped), control characters, line separators and `extra`. */
function negatedClass(dialect: RegexDialect, extra: readonly number[]): string {
  const parts = [
    '"',
    '\\\\',
    ...CONTROL_RANGES.map(([a, b]) => `${codePoint(a, dialect)}-${codePoint(b, dialect)}`),
    ...SEPARATOR_CODE_POINTS.map((cp) => codePoint(cp, dialect)),
    ...extra.map((cp) => codePoint(cp, dialect)),
  ];
  // Lone surrogates cannot reach the API server (Go strings are UTF-8); JavaScript strings can hold them.
  if (dialect === 'js') parts.push('\\u{d800}-\\u{dfff}');
  return `[^${parts.join('')}]`;
}

/** One encoded reason character, and one that may stand at either end (not whitespace). */
function reasonSource(dialect: RegexDialect): string {
  const escape = '\\\\["\\\\]';
  const any = `(?:${negatedClass(dialect, [])}|${escape})`;
  const edge = `(?:${negatedClass(dialect, TRIMMED_CODE_POINTS)}|${escape})`;
  return `${edge}${any}{${MIN_WAIVER_REASON_LENGTH - 2},}${edge}`;
}

function entrySource(id: string, dialect: RegexDialect): string {
  return `\\{"ruleId":"${id}","reason":"${reasonSource(dialect)}"\\}`;
}

/** The canonical annotation, any rule ids (the engine's test of the whole annotation). */
export function canonicalWaiversSource(dialect: RegexDialect): string {
  const entry = entrySource(ID_SOURCE, dialect);
  return `^\\[(?:${entry}(?:,${entry})*)?\\]$`;
}

/** The canonical annotation with an entry for `ruleId` (the admission policies' test, one per rule). */
export function canonicalWaiverSourceFor(ruleId: string, dialect: RegexDialect): string {
  if (!new RegExp(`^${ID_SOURCE}$`).test(ruleId)) throw new Error(`rule id "${ruleId}" cannot appear in a waiver entry (lower-case letters, digits and "-")`);
  const entry = entrySource(ID_SOURCE, dialect);
  return `^\\[(?:${entry},)*${entrySource(ruleId, dialect)}(?:,${entry})*\\]$`;
}

/** The text that starts the entry of `ruleId`; it cannot occur inside a reason (a quote there is always escaped). */
export function waiverEntryPrefix(ruleId: string): string {
  return `{"ruleId":"${ruleId}",`;
}

const CANONICAL = new RegExp(canonicalWaiversSource('js'), 'u');

/** Why a reason is not acceptable (as written by a construct or read from an annotation), or undefined. */
export function reasonError(reason: string): string | undefined {
  if (reason !== reason.trim()) return 'it has leading or trailing whitespace';
  for (const ch of reason) {
    const cp = ch.codePointAt(0)!;
    if (CONTROL_RANGES.some(([a, b]) => cp >= a && cp <= b) || SEPARATOR_CODE_POINTS.includes(cp)) {
      return `it contains the control or line-separator character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (a reason is one line of text)`;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) return 'it contains a lone UTF-16 surrogate';
  }
  if ([...reason].length < MIN_WAIVER_REASON_LENGTH) return `it is shorter than ${MIN_WAIVER_REASON_LENGTH} characters`;
  return undefined;
}

/** Why a waiver is not acceptable, or undefined when it is. `knownRule` tells whether the id exists. */
export function waiverError(waiver: { ruleId?: unknown; reason?: unknown }, knownRule: (id: string) => boolean): string | undefined {
  if (typeof waiver.ruleId !== 'string' || waiver.ruleId.trim() === '') {
    return 'a waiver needs a ruleId naming a catalog rule';
  }
  if (!knownRule(waiver.ruleId)) {
    return `waiver names unknown rule "${waiver.ruleId}" (list the rules with \`cdk8s-hardened rules\`)`;
  }
  const reason = typeof waiver.reason === 'string' ? waiver.reason.trim() : undefined;
  const problem = reason === undefined ? 'it is missing' : reasonError(reason);
  if (problem) {
    return `waiver for "${waiver.ruleId}" needs a reason of at least ${MIN_WAIVER_REASON_LENGTH} characters on one line saying why the control is weakened (${problem})`;
  }
  return undefined;
}

/**
 * Reads the waivers annotation. Only the canonical form is honoured: anything else is reported and honours
 * nothing, because an admission policy could not read it the same way. Inside a canonical annotation an entry
 * for an unknown rule, or a rule named twice, is reported and not honoured; the other entries are.
 */
export function parseWaivers(annotations: Record<string, string>, knownRule: (id: string) => boolean): ParsedWaivers {
  const raw = annotations[WAIVERS_ANNOTATION];
  if (raw === undefined) return { waivers: [], errors: [] };
  if (typeof raw !== 'string' || !CANONICAL.test(raw)) {
    return { waivers: [], errors: [nonCanonicalMessage(raw, knownRule)] };
  }
  const entries = JSON.parse(raw) as Array<{ ruleId: string; reason: string }>;
  const count = new Map<string, number>();
  for (const e of entries) count.set(e.ruleId, (count.get(e.ruleId) ?? 0) + 1);
  const waivers: Waiver[] = [];
  const errors: string[] = [];
  for (const [ruleId, n] of count) {
    if (!knownRule(ruleId)) errors.push(`annotation ${WAIVERS_ANNOTATION}: waiver names unknown rule "${ruleId}" (list the rules with \`cdk8s-hardened rules\`)`);
    else if (n > 1) errors.push(`annotation ${WAIVERS_ANNOTATION} names ${ruleId} ${n} times: keep one entry (none of them is honoured)`);
    else waivers.push({ ruleId, reason: entries.find((e) => e.ruleId === ruleId)!.reason });
  }
  return { waivers, errors };
}

/** Says what keeps an annotation from the canonical form, and shows the form it should have. */
function nonCanonicalMessage(raw: unknown, knownRule: (id: string) => boolean): string {
  const head = `annotation ${WAIVERS_ANNOTATION} is not in the canonical form every judge reads alike, so none of its waivers is honoured`;
  const example = 'e.g. [{"ruleId":"pod-run-as-user","reason":"legacy image runs as root until Q3"}] (JSON.stringify of {ruleId, reason} entries: no spaces, keys in this order)';
  if (typeof raw !== 'string') return `${head}: it must be a string holding a JSON array, ${example}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return `${head}: it is not valid JSON (${(e as Error).message}); write ${example}`;
  }
  if (!Array.isArray(parsed)) return `${head}: it must be a JSON array, ${example}`;
  for (const entry of parsed) {
    const candidate = typeof entry === 'object' && entry !== null ? (entry as { ruleId?: unknown; reason?: unknown }) : {};
    const error = waiverError(candidate, knownRule);
    if (error) return `${head}: ${error}`;
  }
  const canonical = JSON.stringify(parsed.map((e: any) => ({ ruleId: e.ruleId, reason: typeof e.reason === 'string' ? e.reason.trim() : e.reason })));
  return `${head}: write it exactly as ${canonical}`;
}

/** Serializes waivers for the annotation: sorted by rule id, one entry per rule, stable JSON (the canonical form). */
export function formatWaivers(waivers: readonly Waiver[]): string {
  const byRule = new Map<string, Waiver>();
  for (const w of waivers) byRule.set(w.ruleId, { ruleId: w.ruleId, reason: w.reason });
  const sorted = [...byRule.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return JSON.stringify(sorted);
}

/**
 * Waiver labels. Beside the annotation, each recorded waiver writes the label `waive.hardened.cdk8s.io/<rule-id>:
 * "true"`, so waived objects can be selected (`kubectl get -l`). A label never exempts anything (anyone who can
 * write an object can write its labels): every judge reads the annotation. The engine reports a label without a
 * matching, valid annotation entry. Pods inherit the labels of their template, so on workloads it goes there.
 */
export const WAIVER_LABEL_PREFIX = 'waive.hardened.cdk8s.io/';

/** The only value an exemption label may have. */
export const WAIVER_LABEL_VALUE = 'true';

/** The name part of a label key: at most 63 characters, alphanumeric at both ends, `-`, `_`, `.` inside. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** The exemption label key of a rule; throws when the rule id cannot be a label name. */
export function waiverLabel(ruleId: string): string {
  if (!LABEL_NAME.test(ruleId)) {
    throw new Error(`rule id "${ruleId}" cannot be the name part of a label (at most 63 alphanumeric, "-", "_" or "." characters)`);
  }
  return `${WAIVER_LABEL_PREFIX}${ruleId}`;
}

/** The exemption labels for waivers, keys sorted: write them beside the annotation (on the pod template for workloads). */
export function waiverLabels(waivers: readonly Waiver[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const ruleId of [...new Set(waivers.map((w) => w.ruleId))].sort()) labels[waiverLabel(ruleId)] = WAIVER_LABEL_VALUE;
  return labels;
}

/**
 * What is wrong with the exemption labels of one metadata block, given the valid waivers recorded for the
 * object: a label for an unknown rule, with a value other than "true", or without a waiver annotation entry.
 */
export function waiverLabelErrors(labels: Record<string, string>, waivers: readonly Waiver[], knownRule: (id: string) => boolean): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (!key.startsWith(WAIVER_LABEL_PREFIX)) continue;
    const ruleId = key.slice(WAIVER_LABEL_PREFIX.length);
    if (!knownRule(ruleId)) {
      errors.push(`label ${key} names unknown rule "${ruleId}" (list the rules with \`cdk8s-hardened rules\`)`);
    } else if (value !== WAIVER_LABEL_VALUE) {
      errors.push(`label ${key} must be "${WAIVER_LABEL_VALUE}" (got ${JSON.stringify(value)})`);
    } else if (!waivers.some((w) => w.ruleId === ruleId)) {
      errors.push(
        `label ${key} marks the object as waived for ${ruleId}, but annotation ${WAIVERS_ANNOTATION} records no waiver for it (a label never exempts): add {"ruleId":"${ruleId}","reason":"..."} or remove the label`,
      );
    }
  }
  return errors;
}

/**
 * Exemption labels of pod rules on a workload's own metadata but not on its pod template. Admission reads them
 * from the pod (template), because the pods a workload creates inherit only the template's labels.
 */
export function misplacedWaiverLabels(
  ownLabels: Record<string, string>,
  templateLabels: Record<string, string>,
  isPodRule: (id: string) => boolean,
): string[] {
  return Object.keys(ownLabels)
    .filter((key) => key.startsWith(WAIVER_LABEL_PREFIX) && isPodRule(key.slice(WAIVER_LABEL_PREFIX.length)) && !(key in templateLabels))
    .map((key) => `label ${key} is on the workload but not on its pod template, where its pods' waivers are: add it to the pod template labels`);
}
