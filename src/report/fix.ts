/**
 * What `cdk8s-hardened fix` prints: every change with the rules it satisfies (or a unified diff), then what is left
 * for a person, each with the change to make or the exact waiver entry to add, and the verdict of `check` on the output.
 */
import { CheckReport, locationLabel, objectLabel, plural, problemText, reportNotes, summaryLine } from './model';
import { groupBy } from '../core/group-by';
import { isObject } from '../core/json';
import { Finding } from '../core/types';
import { viewObject, viewPod } from '../core/views';
import { MIN_WAIVER_REASON_LENGTH, WAIVERS_ANNOTATION } from '../core/waivers';
import { FixResult, formatPath } from '../engine/fix/fix';
import { unifiedDiff } from '../engine/fix/unified-diff';
import type { Rule } from '../rules/rule';

export interface FixTextOptions {
  /** Print unified diffs instead of the change table. */
  readonly diff?: boolean;
  /** What was written (`wrote out/app.yaml`), one line each. @default - a dry run */
  readonly written?: readonly string[];
}

export function renderFix(fix: FixResult, report: CheckReport, options: FixTextOptions = {}): string {
  const out: string[] = [];
  const changed = fix.files.filter((f) => f.changes.length > 0);
  const total = changed.reduce((n, f) => n + f.changes.length, 0);
  if (fix.problems.length > 0) {
    out.push(`Input problems (${fix.problems.length}): nothing was fixed or written`);
    for (const p of fix.problems) out.push(`  ${problemText(p)}`);
    out.push('');
  } else if (options.diff) {
    for (const f of changed) out.push(unifiedDiff(f.original, f.fixed, `a/${f.file}`, `b/${f.file}`).trimEnd());
    if (changed.length > 0) out.push('');
  } else if (total > 0) {
    out.push(`Changes (${total} in ${plural(changed.length, 'file')})`);
    for (const f of changed) {
      out.push(f.file);
      for (const group of groupBy(f.changes, (c) => `${c.line ?? ''}\u0000${c.kind}\u0000${c.namespace ?? ''}\u0000${c.name}`).values()) {
        const first = group[0];
        out.push(`  ${objectLabel(first)}${first.line ? ` (line ${first.line})` : ''}: ${plural(group.length, 'change')}`);
        for (const c of group) {
          const rules = c.ruleIds.length > 0 ? c.ruleIds.join(', ') : 'no rule: completes the hardened pod';
          out.push(`    ${formatPath(c.path)}: ${JSON.stringify(c.value)}  [${rules}]`);
        }
      }
    }
    out.push('');
  }
  for (const line of options.written ?? []) out.push(line);
  if ((options.written ?? []).length > 0) out.push('');

  const { findings } = report.result;
  if (fix.problems.length === 0 && findings.length > 0) {
    out.push(`Remaining findings (${findings.length}): fix cannot change these; each needs the change named, or a waiver with a reason`);
    for (const f of findings) out.push(...remaining(f, report));
    out.push('');
  }
  if (fix.problems.length === 0 && report.result.problems.length > 0) {
    out.push(`Input problems in the output (${report.result.problems.length}): check would refuse it, so nothing was written`);
    for (const p of report.result.problems) out.push(`  ${problemText(p)}`);
    out.push('');
  }
  for (const note of [...fix.notes, ...reportNotes(report)]) out.push(note);
  const verdict = fix.problems.length > 0 ? 'not fixed' : `${plural(total, 'change')} in ${plural(changed.length, 'file')}`;
  out.push(`fix: ${verdict}; check on the output: ${summaryLine(report)}`);
  return `${out.join('\n')}\n`;
}

/** A remaining finding: what is wrong, the change to make, and the waiver entry that would accept it instead. */
function remaining(f: Finding, report: CheckReport): string[] {
  const rule = report.rules.find((r) => r.id === f.ruleId);
  const lines = [
    `  ${f.severity.toUpperCase().padEnd(8)} ${f.ruleId} on ${objectLabel(f)} (${locationLabel(f)}) at ${f.path}: ${f.message}`,
    `             change: ${f.remediation}`,
  ];
  lines.push(`             or waive: ${waiverHint(f, rule, report)}`);
  return lines;
}

function waiverHint(f: Finding, rule: Rule | undefined, report: CheckReport): string {
  if (rule?.waivableOn && !rule.waivableOn.includes(f.kind)) {
    return `${f.ruleId} is waived only on ${rule.waivableOn.join(', ')} (node agents): a ${f.kind} needs the change, or a different design`;
  }
  const entry = JSON.stringify({ ruleId: f.ruleId, reason: `<why, at least ${MIN_WAIVER_REASON_LENGTH} characters>` });
  return `add ${entry} to the ${WAIVERS_ANNOTATION} annotation at ${annotationsPath(f, rule, report)} (a JSON list, entries sorted by ruleId)`;
}

/** Where the engine reads the finding's waivers: a workload's pod template for pod rules, else the object itself. */
function annotationsPath(f: Finding, rule: Rule | undefined, report: CheckReport): string {
  if (rule?.scope !== 'pod') return 'metadata.annotations';
  const input = report.inputs.find((i) => {
    if (!isObject(i.object)) return false;
    const view = viewObject(i.object, i.source);
    return view.kind === f.kind && view.name === f.name && view.namespace === f.namespace && i.source?.file === f.file;
  });
  const pod = input ? viewPod(viewObject(input.object, input.source)) : undefined;
  return `${pod?.metadataPath ?? 'metadata'}.annotations`;
}
