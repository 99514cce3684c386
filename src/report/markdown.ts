/** Markdown: a summary, then tables of findings, waivers and input problems (for PR comments and job summaries). */
import { CheckReport, countBySeverity, locationLabel, objectLabel, problemText, reportNotes, ruleHelpUri, summaryLine, waiverText } from './model';
import { Finding, SEVERITY_ORDER } from '../core/types';

/** Escapes text for a Markdown table cell (pipes, newlines, backticks and HTML brackets). */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${cell(text)}${fence === '``' ? ' ' : ''}${fence}`;
}

export function findingsTable(findings: readonly Finding[]): string[] {
  const rows = ['| Severity | Rule | Object | Location | Path | Message |', '| --- | --- | --- | --- | --- | --- |'];
  for (const f of findings) {
    rows.push(
      `| ${f.severity} | [${f.ruleId}](${ruleHelpUri(f.ruleId)}) | ${cell(objectLabel(f))} | ${cell(locationLabel(f))} | ${code(f.path)} | ${cell(f.message)} |`,
    );
  }
  return rows;
}

export function waiversTable(waived: readonly Finding[]): string[] {
  const rows = ['| Rule | Object | Location | Reason |', '| --- | --- | --- | --- |'];
  for (const f of waived) {
    rows.push(`| [${f.ruleId}](${ruleHelpUri(f.ruleId)}) | ${cell(objectLabel(f))} | ${cell(locationLabel(f))} | ${cell(waiverText(f.waiver))} |`);
  }
  return rows;
}

export function severityTable(findings: readonly Finding[]): string[] {
  const counts = countBySeverity(findings);
  return ['| Severity | Findings |', '| --- | ---: |', ...SEVERITY_ORDER.map((s) => `| ${s} | ${counts[s]} |`)];
}

export function renderMarkdown(report: CheckReport): string {
  const { findings, waived, problems } = report.result;
  const out: string[] = ['# cdk8s-hardened check', ''];
  const verdict = problems.length > 0 ? 'INCOMPLETE' : findings.length > 0 ? 'FAILED' : 'PASSED';
  out.push(`**${verdict}**: ${summaryLine(report)}.`, '');
  for (const note of reportNotes(report)) out.push(`${note}.`, '');
  out.push(...severityTable(findings), '');
  out.push('## Findings', '');
  if (findings.length === 0) out.push('No findings.');
  else out.push(...findingsTable(findings));
  out.push('');
  const warnings = report.result.warnings ?? [];
  if (warnings.length > 0) out.push('## Warnings', '', 'Missing from the scanned input, which is partial: they may exist elsewhere.', '', ...findingsTable(warnings), '');
  if (waived.length > 0) out.push('## Waived', '', ...waiversTable(waived), '');
  if (problems.length > 0) {
    out.push('## Input problems', '', 'This input could not be fully judged:', '');
    for (const p of problems) out.push(`- ${cell(problemText(p))}`);
    out.push('');
  }
  return out.join('\n');
}
