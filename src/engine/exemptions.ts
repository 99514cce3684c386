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
  /** Waiver governance fields, as the policy file gives them (judged by the waiver checks). */
  readonly expires?: string;
  readonly owner?: string;
  readonly ticket?: string;
  readonly allowBlanket?: boolean;
  /** The team grant this exemption was compiled from (not reported as unused: a grant covers a namespace). */
  readonly grant?: string;
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
    const namespace = exemptionNamespace(f.kind, f.namespace, f.name);
    const m = locked.has(f.ruleId)
      ? undefined
      : matchers.find((x) => x.exemption.ruleId === f.ruleId && x.kind(f.kind) && x.namespace(namespace) && x.name(f.name));
    if (m) {
      m.used = true;
      waived.push({ ...f, waiver: { ruleId: f.ruleId, reason: m.exemption.reason } });
    } else {
      findings.push(f);
    }
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
