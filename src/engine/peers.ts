/**
 * Peer exemptions: the per-object exemption annotations of kube-linter, Polaris and kube-score, read as waivers
 * when asked (`--peer-exemptions`, config `peerExemptions: true`; off by default). A peer check maps to catalog
 * rules through the rules' references; a rule that references several checks of one tool is waived only when
 * every one of them is exempt (exempting half of what the rule judges does not waive all of it).
 *
 * Reasons: kube-linter's annotation value is its justification. Polaris and kube-score carry none, so the reason
 * is read from `hardened.cdk8s.io/peer-exemption-reason` on the same object. A peer exemption without a reason of
 * 10 visible characters is listed but never honoured: its finding stays and says why (secure and loud).
 * Admission never reads peer annotations; they are a migration aid for CI and synth, not an exemption the cluster grants.
 */
import type { Waiver } from '../core/types';
import { reasonError } from '../core/waivers';
import type { Rule } from '../rules/rule';

/** Annotation holding the reason for an object's Polaris and kube-score exemptions (and a fallback for kube-linter's). */
export const PEER_REASON_ANNOTATION = 'hardened.cdk8s.io/peer-exemption-reason';

export type PeerTool = 'kube-linter' | 'polaris' | 'kube-score';

/** A peer exemption mapped to a catalog rule. `problem` says why it is not honoured, when it is not. */
export interface PeerWaiver {
  readonly waiver: Waiver;
  readonly tool: PeerTool;
  /** The annotation keys that exempt the rule. */
  readonly annotations: readonly string[];
  readonly problem?: string;
}

const KUBE_LINTER_PREFIX = 'ignore-check.kube-linter.io/';
const POLARIS_PREFIX = 'polaris.fairwinds.com/';
const POLARIS_SUFFIX = '-exempt';
const KUBE_SCORE_KEY = 'kube-score/ignore';

/** The checks of `tool` a rule references (references are comma-separated lists). */
function peerChecks(rule: Rule, tool: PeerTool): string[] {
  const ref = tool === 'kube-linter' ? rule.references.kubeLinter : tool === 'polaris' ? rule.references.polaris : rule.references.kubeScore;
  return (ref ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Exempt checks of each tool on one metadata block, with the reason each gives (kube-linter only). */
function exemptChecks(annotations: Record<string, string>): Map<PeerTool, Map<string, { key: string; reason?: string }>> {
  const out = new Map<PeerTool, Map<string, { key: string; reason?: string }>>([['kube-linter', new Map()], ['polaris', new Map()], ['kube-score', new Map()]]);
  for (const [key, value] of Object.entries(annotations)) {
    if (typeof value !== 'string') continue;
    if (key.startsWith(KUBE_LINTER_PREFIX)) {out.get('kube-linter')!.set(key.slice(KUBE_LINTER_PREFIX.length), { key, reason: value.trim() === '' ? undefined : value.trim() });} else if (key.startsWith(POLARIS_PREFIX) && key.endsWith(POLARIS_SUFFIX) && value.trim().toLowerCase() === 'true') {
      out.get('polaris')!.set(key.slice(POLARIS_PREFIX.length, -POLARIS_SUFFIX.length), { key });
    } else if (key === KUBE_SCORE_KEY) {
      for (const check of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) out.get('kube-score')!.set(check, { key });
    }
  }
  return out;
}

/** The peer waivers of one object's annotations, one per rule (the first tool that exempts it all), sorted by rule id. */
export function peerWaivers(annotations: Record<string, string>, catalog: readonly Rule[]): PeerWaiver[] {
  const exempt = exemptChecks(annotations);
  if ([...exempt.values()].every((m) => m.size === 0)) return [];
  const shared = annotations[PEER_REASON_ANNOTATION];
  const out: PeerWaiver[] = [];
  for (const rule of catalog) {
    for (const tool of ['kube-linter', 'polaris', 'kube-score'] as const) {
      const checks = peerChecks(rule, tool);
      const marks = checks.map((c) => exempt.get(tool)!.get(c));
      if (checks.length === 0 || marks.some((m) => m === undefined)) continue;
      const own = [...new Set(marks.map((m) => m!.reason).filter((r): r is string => r !== undefined))];
      const reason = (own.length === 1 ? own[0] : undefined) ?? (typeof shared === 'string' ? shared.trim() : undefined);
      const error = reason === undefined ? 'it is missing' : reasonError(reason);
      const problem = error
        ? `the ${tool} exemption has no usable reason (${error}): write one of at least 10 visible characters in annotation ${PEER_REASON_ANNOTATION}`
        : undefined;
      out.push({ waiver: { ruleId: rule.id, reason: reason ?? '' }, tool, annotations: [...new Set(marks.map((m) => m!.key))].sort(), ...(problem ? { problem } : {}) });
      break;
    }
  }
  return out.sort((a, b) => (a.waiver.ruleId < b.waiver.ruleId ? -1 : a.waiver.ruleId > b.waiver.ruleId ? 1 : 0));
}
