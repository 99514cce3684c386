/**
 * Rewrites the computed blocks of docs/admission.md (the CEL cost table and the policy counts) from the catalog;
 * test/admission/cost.test.ts fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { buildAdmissionPolicies } from '../src/admission/policies';
import { costTable } from './lib/cel-cost';
import { countsTable } from './lib/admission-counts';

/** Every distinct policy the library can emit (restricted, plus the baseline rules restricted replaces). */
export function allPolicies(): any[] {
  const byName = new Map<string, any>();
  for (const level of ['restricted', 'baseline'] as const) for (const p of buildAdmissionPolicies({ level }).policies) byName.set((p.metadata as { name: string }).name, p);
  return [...byName.values()];
}

export const ADMISSION_DOC_BLOCKS: ReadonlyArray<[string, () => string]> = [
  ['cost-table', () => costTable(allPolicies())],
  ['counts', countsTable],
];

export const ADMISSION_DOC_COMMAND = 'npx tsx scripts/admission-doc.ts';

if (require.main === module) {
  const file = path.join(__dirname, '..', 'docs', 'admission.md');
  let doc = readFileSync(file, 'utf8');
  for (const [marker, compute] of ADMISSION_DOC_BLOCKS) {
    const block = new RegExp(`(<!-- ${marker}:start -->\\n)[\\s\\S]*?(\\n<!-- ${marker}:end -->)`);
    if (!block.test(doc)) throw new Error(`docs/admission.md has no ${marker} markers`);
    doc = doc.replace(block, (_m, start: string, end: string) => `${start}${compute()}${end}`);
  }
  writeFileSync(file, doc);
}
