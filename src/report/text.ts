/** Human-readable text: findings grouped by file and object, coloured only when asked (a TTY). */
import { CheckReport, groupBy, locationLabel, objectLabel, problemText, reportNotes, summaryLine, waiverText } from './model';
import { Finding, Severity } from '../core/types';

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

  const byFile = groupBy(findings, (f) => f.file ?? '(no file)');
  for (const [file, inFile] of byFile) {
    out.push(paint(BOLD, file));
    for (const group of groupBy(inFile, objectKey).values()) {
      const first = group[0];
      out.push(`  ${objectLabel(first)}${first.line ? paint(DIM, ` (line ${first.line})`) : ''}`);
      for (const f of group) {
        out.push(`    ${paint(SEVERITY_COLOR[f.severity], f.severity.toUpperCase().padEnd(8))} ${f.ruleId}: ${f.message}`);
        out.push(paint(DIM, `             at ${f.path}`));
        out.push(paint(DIM, `             fix: ${f.remediation}`));
      }
    }
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

function objectKey(f: Finding): string {
  return `${f.line ?? ''}\u0000${f.kind}\u0000${f.namespace ?? ''}\u0000${f.name}`;
}
