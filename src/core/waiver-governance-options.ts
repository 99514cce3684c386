/**
 * The jsii face of the waiver governance (src/core/waiver-governance.ts): the same fields, with an enum where the
 * shared interface has a string union, for `Hardening.enforce` and the cdk8s plugin's typed properties.
 */
import type { WaiverGovernance } from './waiver-governance';
import { waiverGovernanceErrors } from './waiver-judgement';

/** What an unused waiver (its rule finds nothing on its object) is. */
export enum UnusedWaivers {
  /** Reported as a note; synth passes. */
  WARN = 'warn',
  /** Fails synth like a finding. */
  ERROR = 'error',
}

/** What an organisation demands of waivers (the same as `waivers:` in the CLI's config file). */
export interface WaiverGovernanceOptions {
  /** Every waiver needs an `expires` date. @default false */
  readonly requireExpiry?: boolean;
  /** Every waiver needs an `owner`. @default false */
  readonly requireOwner?: boolean;
  /** Every waiver needs a `ticket`. @default false */
  readonly requireTicket?: boolean;
  /** Longest lifetime in days from today to `expires` (implies an expiry date). @default - no cap */
  readonly maxLifetimeDays?: number;
  /** Rules whose waivers need expires, owner and ticket even when the global switches are off (`RuleId` values). @default - none */
  readonly strictRules?: string[];
  /** What an unused waiver is. @default UnusedWaivers.WARN */
  readonly unused?: UnusedWaivers;
}

/** The engine's governance for the construct options, validated (an error names the option). */
export function waiverGovernanceOf(
  options: WaiverGovernanceOptions | undefined,
  where: string,
  knownRule: (id: string) => boolean,
): WaiverGovernance | undefined {
  if (!options) return undefined;
  const governance: WaiverGovernance = { ...options, ...(options.unused !== undefined ? { unused: options.unused === UnusedWaivers.ERROR ? 'error' : 'warn' } : {}) };
  const errors = waiverGovernanceErrors({ ...options } as WaiverGovernance, knownRule);
  if (errors.length > 0) throw new Error(`${where}: ${errors.join('; ')}`);
  return governance;
}
