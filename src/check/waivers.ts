/**
 * Waivers: the only way to weaken a control. A waiver names a rule and carries a reason; it is written to
 * the object as the annotation `hardened.cdk8s.io/waivers` (a JSON array sorted by rule id) so that every
 * consumer (synth-time enforcement, the CLI, the cdk8s plugin, admission) honours and reports the same thing.
 */
import type { Waiver } from './types';

/** Annotation that carries an object's waivers. */
export const WAIVERS_ANNOTATION = 'hardened.cdk8s.io/waivers';

/** Shortest accepted reason: long enough to say why, short enough not to force filler. */
export const MIN_WAIVER_REASON_LENGTH = 10;

/** Result of reading the waivers annotation of an object. */
export interface ParsedWaivers {
  readonly waivers: Waiver[];
  /** What was wrong with the annotation (each entry is reported as an input problem). */
  readonly errors: string[];
}

/** Why a waiver is not acceptable, or undefined when it is. `knownRule` tells whether the id exists. */
export function waiverError(waiver: { ruleId?: unknown; reason?: unknown }, knownRule: (id: string) => boolean): string | undefined {
  if (typeof waiver.ruleId !== 'string' || waiver.ruleId.trim() === '') {
    return 'a waiver needs a ruleId naming a catalog rule';
  }
  if (!knownRule(waiver.ruleId)) {
    return `waiver names unknown rule "${waiver.ruleId}" (list the rules with \`cdk8s-hardened rules\`)`;
  }
  if (typeof waiver.reason !== 'string' || waiver.reason.trim().length < MIN_WAIVER_REASON_LENGTH) {
    return `waiver for "${waiver.ruleId}" needs a reason of at least ${MIN_WAIVER_REASON_LENGTH} characters saying why the control is weakened`;
  }
  return undefined;
}

/** Reads the waivers annotation; malformed entries are returned as errors, never silently applied. */
export function parseWaivers(annotations: Record<string, string>, knownRule: (id: string) => boolean): ParsedWaivers {
  const raw = annotations[WAIVERS_ANNOTATION];
  if (raw === undefined) return { waivers: [], errors: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return { waivers: [], errors: [`annotation ${WAIVERS_ANNOTATION} is not valid JSON: ${(e as Error).message}`] };
  }
  if (!Array.isArray(parsed)) {
    return { waivers: [], errors: [`annotation ${WAIVERS_ANNOTATION} must be a JSON array of {"ruleId","reason"}`] };
  }
  const waivers: Waiver[] = [];
  const errors: string[] = [];
  for (const entry of parsed) {
    const candidate = typeof entry === 'object' && entry !== null ? (entry as { ruleId?: unknown; reason?: unknown }) : {};
    const error = waiverError(candidate, knownRule);
    if (error) errors.push(`annotation ${WAIVERS_ANNOTATION}: ${error}`);
    else waivers.push({ ruleId: candidate.ruleId as string, reason: (candidate.reason as string).trim() });
  }
  return { waivers, errors };
}

/** Serializes waivers for the annotation: sorted by rule id, one entry per rule, stable JSON. */
export function formatWaivers(waivers: readonly Waiver[]): string {
  const byRule = new Map<string, Waiver>();
  for (const w of waivers) byRule.set(w.ruleId, { ruleId: w.ruleId, reason: w.reason });
  const sorted = [...byRule.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return JSON.stringify(sorted);
}
