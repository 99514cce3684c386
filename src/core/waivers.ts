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
 *   annotation := "[" [ entry ( "," entry )* ] "]"           no whitespace anywhere outside the texts
 *   entry      := '{"ruleId":"' id '"' [ ',"expires":"' date '"' ] [ ',"owner":"' text '"' ]
 *                 ',"reason":"' reason '"' [ ',"ticket":"' text '"' ] '}'
 *   reason     := visible ( invisible* visible ){9,}         10 or more visible characters, JSON-encoded
 *   text       := visible ( invisible* visible )*            one or more visible characters
 *   date       := YYYY-MM-DD                                 a calendar date (the last day the waiver holds)
 *
 * `ruleId` comes first (it names the entry; admission finds the entry by that prefix), the other keys follow in
 * alphabetical order: exactly what JSON.stringify writes for an object built in that order. Invisible characters
 * are Unicode White_Space, format characters (Cf: zero-width spaces, joiners, bidi controls, BOM) and the other
 * default-ignorable fillers; they count for nothing, and no text starts or ends with one. Escapes other than \"
 * and \\ cannot occur (control characters are refused), so every encoded character is one character of the
 * text and the count is made by the regex. Every judge honours an entry only when the whole annotation is in this
 * form and names its rule once.
 */

/** A rule id as it may appear in an entry (catalog ids are lower-case kebab-case). */
const ID_SOURCE = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
/** Unicode White_Space that is not a control character. */
const WHITE_SPACE_CODE_POINTS = [0x20, 0xa0, 0x1680, ...range(0x2000, 0x200a), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];
/** Default-ignorable fillers outside Cf (combining grapheme joiner, Hangul fillers, variation selectors, braille blank). */
const FILLER_RANGES: Array<[number, number]> = [
  [0x34f, 0x34f], [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180b, 0x180f], [0x2800, 0x2800], [0x3164, 0x3164],
  [0xfe00, 0xfe0f], [0xffa0, 0xffa0], [0xe0100, 0xe01ef],
];
/** Control characters (C0, DEL, C1): a text is one line of printable characters. */
const CONTROL_RANGES: Array<[number, number]> = [[0x00, 0x1f], [0x7f, 0x9f]];
/** Line and paragraph separators: YAML 1.1 readers break lines at them, so a text must not carry them. */
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

/** Class members of the invisible characters (both dialects know `\p{Cf}`). */
function invisibleMembers(dialect: RegexDialect): string[] {
  return [
    ...WHITE_SPACE_CODE_POINTS.filter((cp) => !SEPARATOR_CODE_POINTS.includes(cp)).map((cp) => codePoint(cp, dialect)),
    ...FILLER_RANGES.map(([a, b]) => (a === b ? codePoint(a, dialect) : `${codePoint(a, dialect)}-${codePoint(b, dialect)}`)),
    '\\p{Cf}',
  ];
}

/** Characters no text may hold unescaped: quote, backslash, control characters, line separators (and lone surrogates). */
function refusedMembers(dialect: RegexDialect): string[] {
  const parts = [
    '"',
    '\\\\',
    ...CONTROL_RANGES.map(([a, b]) => `${codePoint(a, dialect)}-${codePoint(b, dialect)}`),
    ...SEPARATOR_CODE_POINTS.map((cp) => codePoint(cp, dialect)),
  ];
  // Lone surrogates cannot reach the API server (Go strings are UTF-8); JavaScript strings can hold them.
  if (dialect === 'js') parts.push('\\u{d800}-\\u{dfff}');
  return parts;
}

/** One encoded visible character (an escaped quote or backslash is visible) and one invisible character. */
function textParts(dialect: RegexDialect): { visible: string; invisible: string } {
  const escape = '\\\\["\\\\]';
  return {
    visible: `(?:[^${[...refusedMembers(dialect), ...invisibleMembers(dialect)].join('')}]|${escape})`,
    invisible: `[${invisibleMembers(dialect).join('')}]`,
  };
}

/** A JSON-encoded text of at least `min` visible characters that starts and ends with a visible one. */
function textSource(dialect: RegexDialect, min: number): string {
  const { visible, invisible } = textParts(dialect);
  return `${visible}(?:${invisible}*${visible}){${min - 1},}`;
}

/** Years divisible by 4, except centuries not divisible by 400 (the Gregorian leap years). */
const LEAP_YEAR_SOURCE = '(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
/** A calendar date: every judge refuses 2027-02-30 and 2027-02-29 alike. */
const DATE_SOURCE = `(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|${LEAP_YEAR_SOURCE}-02-29)`;

function entrySource(id: string, dialect: RegexDialect): string {
  return `\\{"ruleId":"${id}"(?:,"expires":"${DATE_SOURCE}")?(?:,"owner":"${textSource(dialect, 1)}")?`
    + `,"reason":"${textSource(dialect, MIN_WAIVER_REASON_LENGTH)}"(?:,"ticket":"${textSource(dialect, 1)}")?\\}`;
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

/** The text that starts the entry of `ruleId`; it cannot occur inside a text (a quote there is always escaped). */
export function waiverEntryPrefix(ruleId: string): string {
  return `{"ruleId":"${ruleId}",`;
}

/** The text that starts the entry of `ruleId` when it has an expiry date; the date is the 10 characters after it. */
export function waiverExpiryPrefix(ruleId: string): string {
  return `{"ruleId":"${ruleId}","expires":"`;
}

const CANONICAL = new RegExp(canonicalWaiversSource('js'), 'u');
const INVISIBLE = new RegExp(`^[${invisibleMembers('js').join('')}]$`, 'u');

/** The number of characters of `text` that are not invisible (white space, format characters, fillers). */
export function visibleLength(text: string): number {
  let n = 0;
  for (const ch of text) if (!INVISIBLE.test(ch)) n++;
  return n;
}

/** Why a text field (reason, owner, ticket) is not acceptable, or undefined. `min` visible characters are needed. */
function textError(text: string, min: number): string | undefined {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (CONTROL_RANGES.some(([a, b]) => cp >= a && cp <= b) || SEPARATOR_CODE_POINTS.includes(cp)) {
      return `it contains the control or line-separator character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (one line of text)`;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) return 'it contains a lone UTF-16 surrogate';
  }
  const chars = [...text];
  if (chars.length > 0 && (INVISIBLE.test(chars[0]) || INVISIBLE.test(chars[chars.length - 1]))) {
    return 'it starts or ends with white space or an invisible character';
  }
  const visible = visibleLength(text);
  if (visible < min) return `it has ${visible} visible character${visible === 1 ? '' : 's'} (white space, zero-width and format characters do not count)`;
  return undefined;
}

/** Why a reason is not acceptable (as written by a construct or read from an annotation), or undefined. */
export function reasonError(reason: string): string | undefined {
  return textError(reason, MIN_WAIVER_REASON_LENGTH);
}

/** Why an expiry date is not acceptable (`YYYY-MM-DD`, a real calendar day), or undefined. */
export function expiryError(expires: unknown): string | undefined {
  if (typeof expires !== 'string' || !new RegExp(`^${DATE_SOURCE}$`).test(expires)) return `expires must be a date YYYY-MM-DD (got ${JSON.stringify(expires)})`;
  const date = new Date(`${expires}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== expires) return `expires ${expires} is not a calendar day`;
  return undefined;
}

/** Why a waiver is not acceptable, or undefined when it is. `knownRule` tells whether the id exists. */
export function waiverError(
  waiver: { ruleId?: unknown; reason?: unknown; expires?: unknown; owner?: unknown; ticket?: unknown },
  knownRule: (id: string) => boolean,
): string | undefined {
  if (typeof waiver.ruleId !== 'string' || waiver.ruleId.trim() === '') {
    return 'a waiver needs a ruleId naming a catalog rule';
  }
  if (!knownRule(waiver.ruleId)) {
    return `waiver names unknown rule "${waiver.ruleId}" (list the rules with \`cdk8s-hardened rules\`)`;
  }
  const reason = typeof waiver.reason === 'string' ? waiver.reason.trim() : undefined;
  const problem = reason === undefined ? 'it is missing' : reasonError(reason);
  if (problem) {
    return `waiver for "${waiver.ruleId}" needs a reason of at least ${MIN_WAIVER_REASON_LENGTH} visible characters on one line saying why the control is weakened (${problem})`;
  }
  if (waiver.expires !== undefined) {
    const error = expiryError(waiver.expires);
    if (error) return `waiver for "${waiver.ruleId}": ${error}`;
  }
  for (const key of ['owner', 'ticket'] as const) {
    const value = waiver[key];
    if (value === undefined) continue;
    const error = typeof value === 'string' ? textError(value, 1) : 'it is not a string';
    if (error) return `waiver for "${waiver.ruleId}": ${key} must be one line of text (${error})`;
  }
  return undefined;
}

/** A waiver with only its own fields, in canonical key order (ruleId, then alphabetical), texts trimmed. */
export function canonicalWaiver(w: Waiver): Waiver {
  return {
    ruleId: w.ruleId,
    ...(w.expires !== undefined ? { expires: w.expires } : {}),
    ...(w.owner !== undefined ? { owner: w.owner.trim() } : {}),
    reason: w.reason.trim(),
    ...(w.ticket !== undefined ? { ticket: w.ticket.trim() } : {}),
  };
}

/**
 * Reads the waivers annotation. Only the canonical form is honoured: anything else is reported and honours
 * nothing, because an admission policy could not read it the same way. Inside a canonical annotation an entry
 * for an unknown rule, a rule named twice, or an expiry that is not a calendar day is reported and not honoured;
 * the other entries are.
 */
export function parseWaivers(annotations: Record<string, string>, knownRule: (id: string) => boolean): ParsedWaivers {
  const raw = annotations[WAIVERS_ANNOTATION];
  if (raw === undefined) return { waivers: [], errors: [] };
  if (typeof raw !== 'string' || !CANONICAL.test(raw)) {
    return { waivers: [], errors: [nonCanonicalMessage(raw, knownRule)] };
  }
  const entries = JSON.parse(raw) as Waiver[];
  const count = new Map<string, number>();
  for (const e of entries) count.set(e.ruleId, (count.get(e.ruleId) ?? 0) + 1);
  const waivers: Waiver[] = [];
  const errors: string[] = [];
  for (const [ruleId, n] of count) {
    const entry = entries.find((e) => e.ruleId === ruleId)!;
    const expiry = entry.expires !== undefined ? expiryError(entry.expires) : undefined;
    if (!knownRule(ruleId)) errors.push(`annotation ${WAIVERS_ANNOTATION}: waiver names unknown rule "${ruleId}" (list the rules with \`cdk8s-hardened rules\`)`);
    else if (n > 1) errors.push(`annotation ${WAIVERS_ANNOTATION} names ${ruleId} ${n} times: keep one entry (none of them is honoured)`);
    else if (expiry) errors.push(`annotation ${WAIVERS_ANNOTATION}: the waiver for ${ruleId} is not honoured: ${expiry}`);
    else waivers.push(entry);
  }
  return { waivers, errors };
}

/** Says what keeps an annotation from the canonical form, and shows the form it should have. */
function nonCanonicalMessage(raw: unknown, knownRule: (id: string) => boolean): string {
  const head = `annotation ${WAIVERS_ANNOTATION} is not in the canonical form every judge reads alike, so none of its waivers is honoured`;
  const example = 'e.g. [{"ruleId":"pod-run-as-user","expires":"2026-09-30","reason":"legacy image runs as root until Q3"}] '
    + '(JSON.stringify of entries with ruleId first, then expires, owner, reason, ticket in that order: no spaces)';
  if (typeof raw !== 'string') return `${head}: it must be a string holding a JSON array, ${example}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return `${head}: it is not valid JSON (${(e as Error).message}); write ${example}`;
  }
  if (!Array.isArray(parsed)) return `${head}: it must be a JSON array, ${example}`;
  for (const entry of parsed) {
    const candidate = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const unknownKey = Object.keys(candidate).find((k) => !WAIVER_KEYS.includes(k));
    if (unknownKey) return `${head}: an entry has the unknown key "${unknownKey}" (allowed: ${WAIVER_KEYS.join(', ')})`;
    const error = waiverError(candidate, knownRule);
    if (error) return `${head}: ${error}`;
  }
  const canonical = JSON.stringify(parsed.map((e: any) => canonicalWaiver(e)));
  return `${head}: write it exactly as ${canonical}`;
}

/** The keys a waiver entry may have, in canonical order. */
export const WAIVER_KEYS: readonly string[] = ['ruleId', 'expires', 'owner', 'reason', 'ticket'];

/** Serializes waivers for the annotation: sorted by rule id, one entry per rule, stable JSON (the canonical form). */
export function formatWaivers(waivers: readonly Waiver[]): string {
  const byRule = new Map<string, Waiver>();
  for (const w of waivers) byRule.set(w.ruleId, canonicalWaiver(w));
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
