/**
 * Every waiver in a set of manifests, with where it was written and what the judges made of it: the data of
 * `cdk8s-hardened waivers`. It reads through the same scan as `check` (same loader, same engine, same config),
 * so a waiver listed as honoured is one `check` honours.
 */
import { exemptionWaiver } from './exemptions';
import { peerWaivers, PeerTool } from './peers';
import { scan, Scan, ScanOptions } from './scan';
import { ObjectIndex } from '../core/object-index';
import type { Finding, InputProblem, Waiver, WaiverSource } from '../core/types';
import { viewObject, ObjectView } from '../core/views';
import { isExpired, todayUtc } from '../core/waiver-judgement';
import { parseWaivers, WAIVER_LABEL_PREFIX, WAIVER_LABEL_VALUE } from '../core/waivers';
import { ALL_RULES, findRule } from '../rules';

/** What the judges made of a waiver. */
export type WaiverStatus = 'honoured' | 'expired' | 'refused' | 'unused' | 'not-judged';

export interface WaiverRow {
  readonly waiver: Waiver;
  readonly source: WaiverSource;
  /** The peer tool, for source `peer`. */
  readonly tool?: PeerTool;
  /** The object (for a config exemption: its selector, `*` where it names nothing). */
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly status: WaiverStatus;
  /** Why it is not honoured (status expired, refused, not-judged). */
  readonly why?: string;
  /** Whether it has expired as of the run's day (an unused waiver can be expired too). */
  readonly expired: boolean;
}

export interface WaiverListing {
  readonly rows: WaiverRow[];
  readonly problems: InputProblem[];
  readonly today: string;
}

export interface WaiverListOptions extends ScanOptions {
  /** Only waivers that have expired. */
  readonly expired?: boolean;
  /** Only waivers whose rule finds nothing on their object (and config exemptions that match nothing). */
  readonly unused?: boolean;
}

type ObjectRef = { readonly kind: string; readonly namespace?: string; readonly name: string };
const sameObject = (f: ObjectRef, v: ObjectRef) => f.kind === v.kind && f.namespace === v.namespace && f.name === v.name;

export async function listWaivers(paths: readonly string[], options: WaiverListOptions = {}): Promise<WaiverListing> {
  const outcome = await scan(paths, options);
  const today = todayUtc(options.flags?.today);
  const peersOn = options.flags?.peerExemptions ?? options.config?.peerExemptions ?? false;
  const rows = [...objectRows(outcome, today, peersOn), ...configRows(outcome, options, today)]
    .filter((r) => (!options.expired || r.expired) && (!options.unused || r.status === 'unused'));
  return { rows, problems: outcome.report.result.problems, today };
}

/** Annotation entries (construct or hand-written) and peer exemptions of every object. */
function objectRows(outcome: Scan, today: string, peersOn: boolean): WaiverRow[] {
  const { result, inputs } = outcome.report;
  const known = (id: string) => findRule(id) !== undefined;
  const views = inputs.filter((i) => typeof i.object === 'object' && i.object !== null && !Array.isArray(i.object)).map((i) => viewObject(i.object, i.source));
  const index = new ObjectIndex(views);
  const ran = new Set(result.rulesRun);
  const rows: WaiverRow[] = [];
  for (const view of views) {
    const pod = index.podOf(view);
    type Block = { annotations: Record<string, string>; labels: Record<string, string> };
    const blocks: Block[] = [{ annotations: view.annotations, labels: view.labels }];
    if (pod && pod.metadataPath !== 'metadata') blocks.push({ annotations: pod.annotations, labels: pod.labels });
    const seen = new Set<string>();
    for (const block of blocks) {
      for (const waiver of parseWaivers(block.annotations, known).waivers) {
        if (seen.has(waiver.ruleId)) continue;
        seen.add(waiver.ruleId);
        // The construct API writes an exemption label beside each entry; an entry without one was written by hand.
        const source: WaiverSource = block.labels[`${WAIVER_LABEL_PREFIX}${waiver.ruleId}`] === WAIVER_LABEL_VALUE ? 'construct' : 'annotation';
        const verdict = judged(result.findings, result.waived, result.unusedWaivers ?? [], view, waiver, ran);
        rows.push(row(waiver, source, view, verdict, today));
      }
    }
    if (!peersOn) continue;
    for (const peer of peerWaivers(view.annotations, ALL_RULES)) {
      if (seen.has(peer.waiver.ruleId)) continue;
      const verdict = peer.problem
        ? { status: 'refused' as const, why: peer.problem }
        : judged(result.findings, result.waived, result.unusedWaivers ?? [], view, peer.waiver, ran);
      rows.push({ ...row(peer.waiver, 'peer', view, verdict, today), tool: peer.tool });
    }
  }
  return rows;
}

/** The verdict on one object's waiver, read from the scan's result. */
interface Verdict { readonly status: WaiverStatus; readonly why?: string }

function judged(
  findings: readonly Finding[],
  waived: readonly Finding[],
  unused: readonly { waiver: Waiver; kind: string; namespace?: string; name: string }[],
  view: ObjectView,
  waiver: Waiver,
  ran: Set<string>,
): Verdict {
  const id = waiver.ruleId;
  if (waived.some((f) => f.ruleId === id && sameObject(f, view) && f.waiver?.reason === waiver.reason)) return { status: 'honoured' };
  const refused = findings.find((f) => f.ruleId === id && sameObject(f, view) && f.refusedWaiver?.waiver.reason === waiver.reason);
  if (refused) return { status: refused.refusedWaiver!.why.startsWith('the waiver expired') ? 'expired' : 'refused', why: refused.refusedWaiver!.why };
  if (unused.some((u) => u.waiver.ruleId === id && sameObject(u, view))) return { status: 'unused' };
  if (findings.some((f) => f.ruleId === id && sameObject(f, view))) return { status: 'refused', why: 'the rule is locked, or the waiver policy does not permit waiving it here' };
  if (waived.some((f) => f.ruleId === id && sameObject(f, view))) return { status: 'not-judged', why: 'a config exemption covers the finding first' };
  return { status: 'not-judged', why: ran.has(id) ? 'the rule did not judge this object' : 'the rule did not run (rule selection, level or minimum severity)' };
}

function row(waiver: Waiver, source: WaiverSource, view: ObjectView, verdict: Verdict, today: string): WaiverRow {
  return {
    waiver,
    source,
    kind: view.kind,
    namespace: view.namespace,
    name: view.name,
    file: view.source?.file,
    line: view.source?.line,
    status: verdict.status,
    ...(verdict.why ? { why: verdict.why } : {}),
    expired: isExpired(waiver, today),
  };
}

/** Config exemptions: one row each, with its selector as the object. */
function configRows(outcome: Scan, options: ScanOptions, today: string): WaiverRow[] {
  const { findings, waived } = outcome.report.result;
  return (options.config?.exemptions ?? []).map((e) => {
    const waiver = exemptionWaiver(e);
    const refused = findings.find((f) => f.refusedWaiver && f.ruleId === e.ruleId && f.refusedWaiver.waiver.reason === e.reason);
    const status: WaiverStatus = outcome.unusedExemptions.includes(e)
      ? 'unused'
      : refused
        ? refused.refusedWaiver!.why.startsWith('the waiver expired') ? 'expired' : 'refused'
        : waived.some((f) => f.ruleId === e.ruleId && f.waiver?.reason === e.reason) ? 'honoured' : 'refused';
    return {
      waiver,
      source: 'config' as const,
      kind: e.kind ?? '*',
      namespace: e.namespace ?? '*',
      name: e.name ?? '*',
      status,
      ...(refused ? { why: refused.refusedWaiver!.why } : status === 'refused' ? { why: 'the rule is locked' } : {}),
      expired: isExpired(waiver, today),
    };
  });
}
