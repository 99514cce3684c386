import * as fs from 'fs';
import * as path from 'path';
import { renderCatalog, RULES_DOC_COMMAND } from '../../src/report/catalog';
import { ALL_RULES } from '../../src/rules';

const DOC = path.join(__dirname, '../../docs/rules.md');

test('docs/rules.md is generated from the catalog and up to date', () => {
  const expected = renderCatalog(ALL_RULES, 'markdown');
  const actual = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';
  if (actual !== expected) {
    throw new Error(`docs/rules.md is stale (the rule catalog changed). Regenerate it with:\n\n  ${RULES_DOC_COMMAND}\n`);
  }
});

test('every rule has a section whose anchor is its id (SARIF help links point there)', () => {
  const doc = renderCatalog(ALL_RULES, 'markdown');
  for (const rule of ALL_RULES) {
    // GitHub derives the anchor of "### <id>" from the heading text: a kebab-case id is its own anchor.
    expect(doc).toContain(`\n### ${rule.id}\n`);
    expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  }
});
