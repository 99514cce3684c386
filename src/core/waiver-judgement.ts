/**
 * What the waiver governance (src/core/waiver-governance.ts) means for one waiver: whether it is honoured today,
 * and if not, why. Shared by every judge (the engine for annotations, the scan for config exemptions), so an
 * expired or ungoverned waiver is a finding again everywhere, with the same sentence.
 */
import type { Waiver } from './types';
import type { WaiverGovernance } from './waiver-governance';

/** An ISO calendar date `YYYY-MM-DD`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Environment variable that fixes the judges' clock (`YYYY-MM-DD`) when no `today` option is given: for tests and replays. */
export const TODAY_ENV = 'CDK8S_HARDENED_TODAY';

/** Today in UTC as `YYYY-MM-DD`: `explicit` if given, else $CDK8S_HARDENED_TODAY, else the system clock. A bad date throws. */
export function todayUtc(explicit?: string): string {
  const fixed = explicit ?? process.env[TODAY_ENV];
  if (fixed === undefined || fixed === '') return new Date().toISOString().slice(0, 10);
  const error = clockError(fixed);
  if (error) throw new Error(`${explicit !== undefined ? 'today' : `$${TODAY_ENV}`}: ${error}`);
  return fixed;
}

/** Why `today` is not a usable clock (`YYYY-MM-DD`, a real day), or undefined. */
export function clockError(today: string): string | undefined {
  const date = new Date(`${today}T00:00:00Z`);
  if (!ISO_DATE.test(today) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== today) {
    return `"${today}" is not a date YYYY-MM-DD`;
  }
  return undefined;
}

/** `date` plus `days` days, as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whether a waiver has expired: it holds through its `expires` day (UTC) and not after. */
export function isExpired(waiver: Waiver, today: string): boolean {
  return waiver.expires !== undefined && waiver.expires < today;
}

/** The fields the governance demands of a waiver of `ruleId` that it lacks, in a fixed order. */
export function missingFields(waiver: Waiver, governance: WaiverGovernance): string[] {
  const strict = (governance.strictRules ?? []).includes(waiver.ruleId);
  const needsExpiry = strict || governance.requireExpiry === true || governance.maxLifetimeDays !== undefined;
  const missing: string[] = [];
  if (needsExpiry && waiver.expires === undefined) missing.push('expires');
  if ((strict || governance.requireOwner === true) && waiver.owner === undefined) missing.push('owner');
  if ((strict || governance.requireTicket === true) && waiver.ticket === undefined) missing.push('ticket');
  return missing;
}

/**
 * Why a waiver is not honoured today, or undefined when it is: it expired, it lacks a field the governance
 * requires (for every waiver, or for its rule through strictRules), or it expires later than the lifetime cap.
 * A cap on the lifetime implies an expiry date (a waiver without one would live for ever).
 */
export function waiverRefusal(waiver: Waiver, today: string, governance: WaiverGovernance = {}): string | undefined {
  if (isExpired(waiver, today)) return `the waiver expired on ${waiver.expires}`;
  const missing = missingFields(waiver, governance);
  if (missing.length > 0) {
    const why = (governance.strictRules ?? []).includes(waiver.ruleId) ? `${waiver.ruleId} is a strict rule of the waiver governance` : 'the waiver governance requires it';
    return `the waiver has no ${missing.join(', ')} (${why})`;
  }
  if (governance.maxLifetimeDays !== undefined && waiver.expires !== undefined) {
    const latest = addDays(today, governance.maxLifetimeDays);
    if (waiver.expires > latest) return `the waiver expires on ${waiver.expires}, beyond the governance's ${governance.maxLifetimeDays}-day cap (latest ${latest})`;
  }
  return undefined;
}

/** What is wrong with a governance (bad numbers, unknown strict rules, an unknown `unused` mode); empty when valid. */
export function waiverGovernanceErrors(governance: WaiverGovernance, knownRule: (id: string) => boolean): string[] {
  const errors: string[] = [];
  for (const key of ['requireExpiry', 'requireOwner', 'requireTicket'] as const) {
    const value = governance[key] as unknown;
    if (value !== undefined && typeof value !== 'boolean') errors.push(`waivers.${key} must be true or false`);
  }
  const days = governance.maxLifetimeDays as unknown;
  if (days !== undefined && (typeof days !== 'number' || !Number.isInteger(days) || days < 1)) errors.push('waivers.maxLifetimeDays must be a whole number of days, at least 1');
  const strict = governance.strictRules as unknown;
  if (strict !== undefined && (!Array.isArray(strict) || !strict.every((x) => typeof x === 'string'))) {
    errors.push('waivers.strictRules must be a list of rule ids');
  } else {
    for (const id of governance.strictRules ?? []) if (!knownRule(id)) errors.push(`waivers.strictRules names unknown rule "${id}" (list the rules with \`cdk8s-hardened rules\`)`);
  }
  const unused = governance.unused as unknown;
  if (unused !== undefined && unused !== 'warn' && unused !== 'error') errors.push(`waivers.unused must be "warn" or "error" (got ${JSON.stringify(unused)})`);
  return errors;
}
