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

/**
 * Admission exemption labels. A ValidatingAdmissionPolicy cannot read a JSON annotation cheaply and a label
 * can be matched in its matchConditions, so a waiver travels to the cluster as the label
 * `waive.hardened.cdk8s.io/<rule-id>: "true"` beside the annotation. The annotation stays the one record of
 * the waiver (with its reason): the engine reports a label without a matching, valid annotation waiver.
 * Pods inherit the labels of their template, so on workloads the label belongs on the pod template.
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
        `label ${key} exempts the object from ${ruleId} at admission, but annotation ${WAIVERS_ANNOTATION} records no waiver for it: add {"ruleId":"${ruleId}","reason":"..."} or remove the label`,
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
    .map((key) => `label ${key} is on the workload but not on its pod template, so its pods are not exempt at admission: add it to the pod template labels`);
}
