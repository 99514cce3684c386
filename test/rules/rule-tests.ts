/**
 * Which rules have their own tests: a `describe` titled with the rule id (directly, through a constant, or
 * as a row of a `describe.each` table titled '%s'), or a fixture folder test/fixtures/rules/<id>/ with
 * fail.yaml and pass.yaml (run by rule-fixtures.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';

/** Per-rule fixture folders. */
export const RULE_FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');

/** The rule ids that have a fixture folder. */
export function ruleFixtureIds(): string[] {
  return fs.readdirSync(RULE_FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

const TEST_ROOT = path.join(__dirname, '..');

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' || e.name === '__snapshots__' ? [] : testFiles(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  }).sort();
}

/** Rule ids that some test file gives a `describe` of their own, with the file (repository-relative). */
export function describedRuleIds(): Map<string, string> {
  const described = new Map<string, string>();
  for (const file of testFiles(TEST_ROOT)) {
    const text = fs.readFileSync(file, 'utf8');
    const rel = path.relative(path.join(TEST_ROOT, '..'), file);
    const constants = new Map<string, string>();
    for (const m of text.matchAll(/const (\w+) = '([a-z0-9-]+)';/g)) constants.set(m[1], m[2]);
    // describe('rule-id', ...), describe('rule-id (note)', ...), describe(ID, ...)
    for (const m of text.matchAll(/\bdescribe\(\s*(?:(['"`])([a-z0-9-]+)(?:\s+\([^)]*\))?\1|([A-Za-z_]\w*)\s*,)/g)) {
      const id = m[2] ?? constants.get(m[3]);
      if (id && !described.has(id)) described.set(id, rel);
    }
    // describe.each([['rule-id', ...], ...])('%s', ...): the first element of each row is the title.
    for (const m of text.matchAll(/\bdescribe\.each\(\[([\s\S]*?)\]\s*(?:as const)?\)\(\s*'%s/g)) {
      for (const row of m[1].matchAll(/\[\s*'([a-z0-9-]+)'/g)) if (!described.has(row[1])) described.set(row[1], rel);
    }
  }
  return described;
}
