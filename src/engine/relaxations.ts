/**
 * Recorded relaxations: every option that turns a control off (a skipped or disabled rule, a lower level, a
 * higher minimum severity) is listed with where it came from and why, so no judge drops a control silently.
 * The CLI prints them as notes; synth writes them to the objects (`hardened.cdk8s.io/not-judged`).
 */
import { EngineOptions, restrictedOnlyRuleIds } from './engine';
import { severityRank, Severity } from '../core/types';
import { ALL_RULES } from '../rules';

/** The annotation synth writes on the objects a relaxation covers (JSON, sorted). */
export const NOT_JUDGED_ANNOTATION = 'hardened.cdk8s.io/not-judged';

/** Rules a run does not judge, why, and which setting said so. */
export interface Relaxation {
  /** The setting: `level baseline`, `skip`, `minSeverity high`, `overrides`, with where it was set. */
  readonly source: string;
  /** The rule ids not judged, in catalog order. */
  readonly rules: string[];
  readonly reason: string;
}

/**
 * What `options` leaves unjudged compared with the full restricted run of the rules it selects. `reasons`
 * gives a rule's own reason (a disable in the policy's overrides); `origin` names where the options came from.
 */
export function relaxationsOf(options: EngineOptions, origin: string, reasons: ReadonlyMap<string, string> = new Map()): Relaxation[] {
  const catalog = options.catalog ?? ALL_RULES;
  const include = options.rules && options.rules.length > 0 ? new Set(options.rules) : undefined;
  const selected = catalog.filter((r) => !include || include.has(r.id));
  const out: Relaxation[] = [];
  const taken = new Set<string>();
  const take = (ids: string[]) => ids.filter((id) => !taken.has(id) && (taken.add(id), true));
  const skip = new Set(options.skip ?? []);
  const skipped = take(selected.filter((r) => skip.has(r.id)).map((r) => r.id));
  // Skips with their own reason (the policy's disables) are listed one by one; the rest together.
  const plain = skipped.filter((id) => !reasons.has(id));
  if (plain.length > 0) out.push({ source: `skip (${origin})`, rules: plain, reason: 'skipped without a recorded reason' });
  for (const id of skipped.filter((x) => reasons.has(x))) out.push({ source: `overrides disable (${origin})`, rules: [id], reason: reasons.get(id)! });
  if ((options.level ?? 'restricted') === 'baseline') {
    const restricted = new Set(restrictedOnlyRuleIds(catalog));
    const ids = take(selected.filter((r) => restricted.has(r.id)).map((r) => r.id));
    if (ids.length > 0) out.push({ source: `level baseline (${origin})`, rules: ids, reason: 'the restricted Pod Security Standards controls are not judged at baseline' });
  }
  const min = options.minSeverity ?? Severity.LOW;
  if (severityRank(min) > severityRank(Severity.LOW)) {
    const ids = take(selected.filter((r) => severityRank(r.severity) < severityRank(min)).map((r) => r.id));
    if (ids.length > 0) out.push({ source: `minSeverity ${min} (${origin})`, rules: ids, reason: `findings below ${min} are not reported` });
  }
  return out;
}

/** One line per relaxation, for notes. */
export function relaxationText(r: Relaxation): string {
  return `not judged: ${r.rules.join(', ')} (${r.source}: ${r.reason})`;
}
