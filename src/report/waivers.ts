/** `cdk8s-hardened waivers`: the waiver listing as text, JSON or Markdown. */
import { cell } from './markdown';
import type { WaiverListing, WaiverRow } from '../engine/waiver-list';

export const WAIVER_FORMATS = ['text', 'json', 'markdown'] as const;
export type WaiverFormat = (typeof WAIVER_FORMATS)[number];

function objectOf(r: WaiverRow): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function sourceOf(r: WaiverRow): string {
  return r.tool ? `peer (${r.tool})` : r.source;
}

function statusOf(r: WaiverRow): string {
  return r.why ? `${r.status}: ${r.why}` : r.status;
}

export function renderWaivers(listing: WaiverListing, format: WaiverFormat): string {
  const rows = listing.rows;
  if (format === 'json') {
    const out = rows.map((r) => ({
      ruleId: r.waiver.ruleId,
      object: { kind: r.kind, ...(r.namespace !== undefined ? { namespace: r.namespace } : {}), name: r.name },
      ...(r.file !== undefined ? { file: r.file } : {}),
      ...(r.line !== undefined ? { line: r.line } : {}),
      reason: r.waiver.reason,
      ...(r.waiver.owner !== undefined ? { owner: r.waiver.owner } : {}),
      ...(r.waiver.ticket !== undefined ? { ticket: r.waiver.ticket } : {}),
      ...(r.waiver.expires !== undefined ? { expires: r.waiver.expires } : {}),
      expired: r.expired,
      source: r.source,
      ...(r.tool ? { tool: r.tool } : {}),
      status: r.status,
      ...(r.why ? { why: r.why } : {}),
    }));
    return `${JSON.stringify({ today: listing.today, waivers: out, problems: listing.problems.map((p) => ({ ...p })) }, null, 2)}\n`;
  }
  if (format === 'markdown') {
    const lines = [
      `## Waivers (${rows.length}, judged on ${listing.today})`,
      '',
      '| Rule | Object | Reason | Owner | Ticket | Expires | Source | Status |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.waiver.ruleId} | ${cell(objectOf(r))} | ${cell(r.waiver.reason)} | ${cell(r.waiver.owner ?? '')} | ${cell(r.waiver.ticket ?? '')} | ${r.waiver.expires ?? ''}${r.expired ? ' (expired)' : ''} | ${sourceOf(r)} | ${cell(statusOf(r))} |`),
      ...listing.problems.map((p) => `- input problem: ${cell(p.message)}`),
    ];
    return `${lines.join('\n')}\n`;
  }
  const lines = [`${rows.length} waiver${rows.length === 1 ? '' : 's'} (judged on ${listing.today})`];
  for (const r of rows) {
    lines.push(`${r.waiver.ruleId}  ${objectOf(r)}${r.file ? `  (${r.file}${r.line ? `:${r.line}` : ''})` : ''}`);
    lines.push(`    reason: ${r.waiver.reason}`);
    const meta = [`owner: ${r.waiver.owner ?? '-'}`, `ticket: ${r.waiver.ticket ?? '-'}`, `expires: ${r.waiver.expires ?? 'never'}${r.expired ? ' (expired)' : ''}`, `source: ${sourceOf(r)}`];
    lines.push(`    ${meta.join('  ')}`);
    lines.push(`    status: ${statusOf(r)}`);
  }
  return `${lines.join('\n')}\n`;
}
