/**
 * Exemptions: waivers an organisation's security team keeps in the scanner's config file instead of on
 * the objects (like kube-linter and Polaris config exemptions). Applied after the engine run: a matching
 * finding moves to `waived` with the exemption's reason, unless its rule is locked.
 */
import { compareFindings } from './engine';
import type { CheckResult, Finding } from '../core/types';

/** A config exemption: one rule, a reason, and which objects it covers (`*` matches any run of characters). */
export interface Exemption {
  readonly ruleId: string;
  readonly reason: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface ExemptionOutcome {
  readonly result: CheckResult;
  /** Exemptions that matched no finding: stale entries worth deleting. */
  readonly unused: Exemption[];
}

/** Moves findings covered by an exemption to `waived`; findings of locked rules stay findings. */
export function applyExemptions(result: CheckResult, exemptions: readonly Exemption[], lockedRules: readonly string[] = []): ExemptionOutcome {
  if (exemptions.length === 0) return { result, unused: [] };
  const locked = new Set(lockedRules);
  const matchers = exemptions.map((e) => ({ exemption: e, kind: glob(e.kind), namespace: glob(e.namespace), name: glob(e.name), used: false }));
  const findings: Finding[] = [];
  const waived = [...result.waived];
  for (const f of result.findings) {
    const m = locked.has(f.ruleId)
      ? undefined
      : matchers.find((x) => x.exemption.ruleId === f.ruleId && x.kind(f.kind) && x.namespace(f.namespace ?? '') && x.name(f.name));
    if (m) {
      m.used = true;
      waived.push({ ...f, waiver: { ruleId: f.ruleId, reason: m.exemption.reason } });
    } else {
      findings.push(f);
    }
  }
  return {
    result: { ...result, findings, waived: waived.sort(compareFindings) },
    unused: matchers.filter((m) => !m.used).map((m) => m.exemption),
  };
}

/** A matcher for an optional glob: undefined matches everything. */
function glob(pattern: string | undefined): (value: string) => boolean {
  if (pattern === undefined) return () => true;
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const re = new RegExp(`^${source}$`);
  return (value) => re.test(value);
}
