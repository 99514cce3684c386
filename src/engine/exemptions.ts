/**
 * Exemptions: waivers an organisation's security team keeps in the scanner's config file instead of on
 * the objects (like kube-linter and Polaris config exemptions). Applied after the engine run: a matching
 * finding moves to `waived` with the exemption's reason, unless its rule is locked.
 */
import { compareFindings } from './engine';
import type { CheckResult, Finding, Waiver } from '../core/types';
import type { WaiverGovernance } from '../core/waiver-governance';
import { todayUtc, waiverRefusal } from '../core/waiver-judgement';

/**
 * A config exemption: one rule, a reason (and optionally expires, owner, ticket, as a waiver), and which objects it
 * covers (`*` matches any run of characters). One that covers every object needs `allowBlanket: true`.
 */
export interface Exemption {
  readonly ruleId: string;
  readonly reason: string;
  readonly expires?: string;
  readonly owner?: string;
  readonly ticket?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Selects every object: allowed only when said explicitly (a blanket exemption hides every future finding). */
  readonly allowBlanket?: boolean;
  /** The team grant this exemption was compiled from (not reported as unused: a grant covers a namespace). */
  readonly grant?: string;
}

/** How exemptions are judged: the governance and the day. */
export interface ExemptionJudgement {
  readonly governance?: WaiverGovernance;
  /** @default - $CDK8S_HARDENED_TODAY, else today */
  readonly today?: string;
}

/** The waiver an exemption records on the findings it covers. */
export function exemptionWaiver(e: Exemption): Waiver {
  return {
    ruleId: e.ruleId,
    ...(e.expires !== undefined ? { expires: e.expires } : {}),
    ...(e.owner !== undefined ? { owner: e.owner } : {}),
    reason: e.reason,
    ...(e.ticket !== undefined ? { ticket: e.ticket } : {}),
  };
}

export interface ExemptionOutcome {
  readonly result: CheckResult;
  /** Exemptions that matched no finding: stale entries worth deleting. */
  readonly unused: Exemption[];
}

/**
 * Moves findings covered by an exemption to `waived`; findings of locked rules stay findings, and so do findings
 * whose exemption expired or falls short of the governance (their message says why).
 */
export function applyExemptions(
  result: CheckResult,
  exemptions: readonly Exemption[],
  lockedRules: readonly string[] = [],
  judgement: ExemptionJudgement = {},
): ExemptionOutcome {
  if (exemptions.length === 0) return { result, unused: [] };
  const today = todayUtc(judgement.today);
  const locked = new Set(lockedRules);
  const matchers = exemptions.map((e) => ({ exemption: e, kind: glob(e.kind), namespace: glob(e.namespace), name: glob(e.name), used: false }));
  const findings: Finding[] = [];
  const waived = [...result.waived];
  for (const f of result.findings) {
    const namespace = exemptionNamespace(f.kind, f.namespace, f.name);
    const m = locked.has(f.ruleId)
      ? undefined
      : matchers.find((x) => x.exemption.ruleId === f.ruleId && x.kind(f.kind) && x.namespace(namespace) && x.name(f.name));
    if (!m) {
      findings.push(f);
      continue;
    }
    m.used = true;
    const waiver = exemptionWaiver(m.exemption);
    const why = waiverRefusal(waiver, today, judgement.governance);
    if (why) findings.push(f.refusedWaiver ? f : { ...f, message: `${f.message} (config exemption not honoured: ${why})`, refusedWaiver: { waiver, why } });
    else waived.push({ ...f, waiver });
  }
  return {
    result: { ...result, findings, waived: waived.sort(compareFindings) },
    // A grant covers a namespace, not objects that must exist: only written exemptions can be stale.
    unused: matchers.filter((m) => !m.used && m.exemption.grant === undefined).map((m) => m.exemption),
  };
}

/**
 * The namespace an exemption selects an object by: its own, and for a Namespace object its name (it belongs to
 * the namespace it creates, as waiver policies read it); cluster-scoped objects have none ('').
 */
export function exemptionNamespace(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'Namespace' ? name : namespace ?? '';
}

/**
 * The exemption as one RE2 pattern over `kind/namespace/name`, the form the admission params carry
 * (`exempt.<rule-id>`, comma-separated): the cluster matches the same objects as `applyExemptions`.
 * The policy schema limits the globs to letters, digits, `.`, `-` and `*`, so no pattern holds a comma.
 */
export function exemptionPattern(e: Exemption): string {
  const part = (pattern: string | undefined) => (pattern === undefined ? '.*' : pattern.split('*').map((p) => p.replace(/[.]/g, '\\.')).join('.*'));
  return `^${part(e.kind)}/${part(e.namespace)}/${part(e.name)}$`;
}

/** A matcher for an optional glob: undefined matches everything. */
function glob(pattern: string | undefined): (value: string) => boolean {
  if (pattern === undefined) return () => true;
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const re = new RegExp(`^${source}$`);
  return (value) => re.test(value);
}
