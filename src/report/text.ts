/**
 * Human-readable text for triage: findings grouped by file and object (worst first within an object), then one
 * block per rule with its summary line, its remediation printed once and the objects it was found on.
 */
import { CheckReport, locationLabel, objectLabel, plural, problemText, reportNotes, summaryLine, waiverText } from './model';
import { groupBy } from '../core/group-by';
import { Finding, Severity, severityRank } from '../core/types';

export interface TextOptions {
  /** Use ANSI colours (the CLI sets this only when the output is a TTY and NO_COLOR is unset). */
  readonly color?: boolean;
}

const SEVERITY_COLOR: Record<Severity, string> = {
  [Severity.CRITICAL]: '\u001b[1;31m',
  [Severity.HIGH]: '\u001b[31m',
  [Severity.MEDIUM]: '\u001b[33m',
  [Severity.LOW]: '\u001b[36m',
};
const BOLD = '\u001b[1m';
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

export function renderText(report: CheckReport, options: TextOptions = {}): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const out: string[] = [];
  const { findings, waived, problems } = report.result;
  const warnings = report.result.warnings ?? [];

  const byFile = groupBy(findings, (f) => f.file ?? '(no file)');
  for (const [file, inFile] of byFile) {
    out.push(paint(BOLD, file));
    for (const group of groupBy(inFile, objectKey).values()) {
      const first = group[0];
      out.push(`  ${objectLabel(first)}${first.line ? paint(DIM, ` (line ${first.line})`) : ''}`);
      // Worst first; the engine's order (rule, path) is kept within a severity.
      const ordered = [...group].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
      for (const f of ordered) {
        out.push(`    ${paint(SEVERITY_COLOR[f.severity], f.severity.toUpperCase().padEnd(8))} ${f.ruleId}: ${f.message}`);
        out.push(paint(DIM, `             at ${f.path}`));
      }
    }
    out.push('');
  }

  if (findings.length > 0) {
    out.push(paint(BOLD, `By rule (${plural(new Set(findings.map((f) => f.ruleId)).size, 'rule')})`));
    out.push(...ruleBlocks(findings, paint));
    out.push('');
  }

  if (warnings.length > 0) {
    out.push(paint(BOLD, `Warnings (${warnings.length}): missing from the scanned input, which is partial (they may exist elsewhere)`));
    for (const f of warnings) out.push(`  ${f.ruleId} on ${objectLabel(f)} at ${locationLabel(f)}: ${f.message}`);
    out.push('');
  }

  if (waived.length > 0) {
    out.push(paint(BOLD, `Waived (${waived.length})`));
    for (const f of waived) {
      out.push(`  ${f.ruleId} on ${objectLabel(f)} at ${locationLabel(f)}: ${waiverText(f.waiver)}`);
    }
    out.push('');
  }

  if (problems.length > 0) {
    out.push(paint(SEVERITY_COLOR[Severity.CRITICAL], `Input problems (${problems.length}): this input could not be fully judged`));
    for (const p of problems) out.push(`  ${problemText(p)}`);
    out.push('');
  }

  for (const note of reportNotes(report)) out.push(paint(DIM, note));
  const clean = findings.length === 0 && problems.length === 0;
  out.push(clean ? paint('\u001b[32m', `OK: ${summaryLine(report)}`) : summaryLine(report));
  return `${out.join('\n')}\n`;
}

/**
 * One block per rule, worst rule first then by id: `SEVERITY rule-id: N findings on M objects`, then each distinct
 * remediation once with the objects (and paths) it applies to.
 */
function ruleBlocks(findings: readonly Finding[], paint: (code: string, text: string) => string): string[] {
  const out: string[] = [];
  const byRule = [...groupBy(findings, (f) => f.ruleId)].sort(
    ([a, [x]], [b, [y]]) => severityRank(y.severity) - severityRank(x.severity) || (a < b ? -1 : a > b ? 1 : 0),
  );
  for (const [ruleId, inRule] of byRule) {
    const severity = inRule[0].severity;
    const objects = new Set(inRule.map(objectKey)).size;
    out.push(`  ${paint(SEVERITY_COLOR[severity], severity.toUpperCase().padEnd(8))} ${ruleId}: ${plural(inRule.length, 'finding')} on ${plural(objects, 'object')}`);
    for (const [remediation, sameFix] of groupBy(inRule, (f) => f.remediation)) {
      out.push(paint(DIM, `             fix: ${remediation}`));
      for (const f of sameFix) out.push(`               ${objectLabel(f)} at ${f.path} (${locationLabel(f)})`);
    }
  }
  return out;
}

function objectKey(f: Finding): string {
  return `${f.file ?? ''}\u0000${f.line ?? ''}\u0000${f.kind}\u0000${f.namespace ?? ''}\u0000${f.name}`;
}
