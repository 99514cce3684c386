/**
 * Waiver handling shared by LockedNamespace and WorkloadFlows: validation against the catalog at construction
 * time (an unknown rule or a missing reason fails synth, naming the construct path) and lookups.
 */
import type { IConstruct } from 'constructs';
import type { Waiver } from '../check/types';
import { waiverError } from '../check/waivers';
import { findRule } from '../rules';

/** Throws when a waiver names an unknown rule or has no real reason. */
export function validateWaivers(scope: IConstruct, waivers: readonly Waiver[] | undefined): Waiver[] {
  for (const waiver of waivers ?? []) {
    const error = waiverError(waiver, (id) => findRule(id) !== undefined);
    if (error) throw new Error(`${scope.node.path}: ${error}`);
  }
  return [...(waivers ?? [])];
}

/** Throws unless a waiver covers `ruleId`: the error names the path, the rule and both ways to fix it. */
export function requireWaiver(scope: IConstruct, waivers: readonly Waiver[], ruleId: string, what: string, fix: string): void {
  if (waivers.some((w) => w.ruleId === ruleId)) return;
  throw new Error(`${scope.node.path}: ${what} violates ${ruleId}. ${fix}, or add waivers: [{ ruleId: '${ruleId}', reason: '<why>' }]`);
}
