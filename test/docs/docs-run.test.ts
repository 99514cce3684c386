/**
 * Docs that run: every TypeScript block of README.md and docs/*.md is a complete program that compiles
 * against the public API and synthesizes (or fails as its marker says), or a fragment that type-checks in its
 * declared scaffold. Rule ids the docs and examples name exist; the counts and rule lists they quote are the
 * catalog's. Conventions: docs/development.md, "Code in the docs".
 */
import * as fs from 'fs';
import * as path from 'path';
import { allDocBlocks, DocBlock, docFiles, extractBlocks, ROOT, runExample, typeCheck, where } from './doc-blocks';
import {
  areaRuleIds, countValues, evaluateCount, namedRuleIds, NOT_RULE_IDS, quotedCounts, RULE_IDS, ruleLists, unmarkedCounts,
} from './doc-facts';

const BLOCKS = allDocBlocks();
const EXAMPLES = BLOCKS.filter((b) => b.marker?.kind === 'example');
/** docs/rules.md is generated from the catalog (its own test keeps it current); benchmarks.md records past runs. */
const NOT_CHECKED_FOR_FACTS = new Set(['docs/rules.md', 'docs/benchmarks.md']);

function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

function exampleFiles(dir = 'examples'): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'dist' || e.name === 'node_modules' ? [] : exampleFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  }).sort();
}

describe('the extractor and the runner', () => {
  const md = [
    '<!-- example -->', '```ts', "import { App, Chart } from 'cdk8s';", "new Chart(new App(), 'c');", '```', '',
    '<!-- example: throws /needs an owner/ -->', '```ts', "throw new Error('HardenedDeployment needs an owner');", '```',
    '<!-- fragment: chart -->', '', '```ts', 'chart.toJson();', '```',
    '```ts', 'unmarked();', '```',
    '<!-- fragment: nope -->', '```typescript', 'x', '```',
    '```sh', 'npm test', '```',
  ].join('\n');
  const blocks = extractBlocks('t.md', md);

  test('reads markers, lines and languages; a block without a marker or with an unknown scaffold is reported', () => {
    expect(blocks.map((b) => [b.line, b.marker?.kind ?? b.markerError])).toEqual([
      [2, 'example'],
      [8, 'example'],
      [13, 'fragment'],
      [16, 'no marker'],
      [20, expect.stringContaining('unknown scaffold "nope"')],
    ]);
    expect(blocks[1].marker).toEqual({ kind: 'example', throws: /needs an owner/ });
  });

  test('a program that throws fails the run; one that synthesizes passes', () => {
    expect(runExample(blocks[0], require)).toEqual({ ok: true });
    const thrown = runExample(blocks[1], require);
    expect(thrown.ok).toBe(false);
    expect(!thrown.ok && thrown.error.message).toBe('HardenedDeployment needs an owner');
  });

  test('type errors are reported at the Markdown line of the block', () => {
    const bad = extractBlocks('bad.md', ['<!-- example -->', '```ts', "import { HardenedDeployment } from 'cdk8s-hardened';", 'const n: number = HardenedDeployment;', '```'].join('\n'));
    const diagnostics = typeCheck(bad);
    expect(diagnostics.map((d) => d.message.split(':').slice(0, 2).join(':'))).toEqual(['bad.md:4']);
  });

  test('counts, rule ids and rule lists are read as documented', () => {
    expect(quotedCounts('c.md', 'There are <!-- count: policies:restricted -->1,234 policies')).toEqual([
      { file: 'c.md', line: 1, expression: 'policies:restricted', quoted: 1234 },
    ]);
    expect(unmarkedCounts('c.md', 'There are 38 policies and <!-- count: rules -->12 rules, 4 pod rules')).toEqual([
      'c.md:1: "38 policies" quotes a count without a <!-- count: KEY --> marker',
      'c.md:1: "4 pod rules" quotes a count without a <!-- count: KEY --> marker',
    ]);
    expect(evaluateCount('a*b*3', new Map([['a', 2], ['b', 5]]))).toBe(30);
    expect(() => evaluateCount('zzz', new Map())).toThrow(/unknown count key "zzz"/);
    expect(namedRuleIds('e.ts', "// needs requests (rule pod-resources); waive 'pod-privileged' or `rbac-x`, rules ns-a and net-b").map((n) => n.token).sort())
      .toEqual(['net-b', 'ns-a', 'pod-privileged', 'pod-resources', 'rbac-x']);
    expect(ruleLists('l.md', ['<!-- rule-list: rbac -->', '| `rbac-a` | x |', '<!-- /rule-list -->'].join('\n'))[0].named).toEqual(new Set(['rbac-a']));
  });
});

describe('TypeScript blocks in README.md and docs/*.md', () => {
  test('every block is marked as an example or a fragment', () => {
    const unmarked = BLOCKS.filter((b) => !b.marker).map((b) => `${where(b)}: ${b.markerError}: put <!-- example --> (a complete program), ` +
      '<!-- example: throws /message/ --> or <!-- fragment: SCAFFOLD --> (test/docs/scaffolds.ts) on the line before the fence');
    expect(unmarked).toEqual([]);
    expect(BLOCKS.length).toBeGreaterThan(0);
  });

  test('every block type-checks against the public API (fragments inside their scaffold)', () => {
    const errors = typeCheck(BLOCKS.filter((b) => b.marker)).map((d) => d.message);
    expect(errors).toEqual([]);
  });

  test.each(EXAMPLES.map((b): [string, DocBlock] => [where(b), b]))('%s runs as its marker says', (_where, block) => {
    const outcome = runExample(block, require);
    const expected = block.marker?.kind === 'example' ? block.marker.throws : undefined;
    if (expected) {
      expect(outcome.ok ? `${where(block)} synthesized, but the text says it fails with ${expected}` : outcome.error.message).toMatch(expected);
    } else {
      expect(outcome.ok ? 'ok' : `${where(block)} fails: ${outcome.error.message}`).toBe('ok');
    }
  });
});

describe('facts the docs quote', () => {
  test('every rule id named in the docs and in the examples exists in the catalog', () => {
    const files = [...docFiles().filter((f) => !NOT_CHECKED_FOR_FACTS.has(f)), ...exampleFiles()];
    const unknown = files.flatMap((f) => namedRuleIds(f, read(f)))
      .filter((n) => !RULE_IDS.has(n.token) && !(n.token in NOT_RULE_IDS))
      .map((n) => `${n.file}:${n.line}: "${n.token}" is not a rule id (a rule of the catalog, or an entry of NOT_RULE_IDS in test/docs/doc-facts.ts with the reason)`);
    expect(unknown).toEqual([]);
  });

  test('every quoted count is marked and equals the catalog', () => {
    const values = countValues();
    const files = docFiles().filter((f) => !NOT_CHECKED_FOR_FACTS.has(f));
    const problems = files.flatMap((f) => unmarkedCounts(f, read(f)));
    for (const c of files.flatMap((f) => quotedCounts(f, read(f)))) {
      const actual = evaluateCount(c.expression, values);
      if (actual !== c.quoted) problems.push(`${c.file}:${c.line}: quotes ${c.quoted} for "${c.expression}", the catalog gives ${actual}`);
    }
    expect(problems).toEqual([]);
  });

  test('every rule list names exactly the rules of its area', () => {
    const lists = docFiles().flatMap((f) => ruleLists(f, read(f)));
    expect(lists.length).toBeGreaterThan(0);
    const problems = lists.flatMap((list) => {
      const expected = areaRuleIds(list.area);
      const missing = expected.filter((id) => !list.named.has(id)).map((id) => `${list.file}:${list.line}: rule list "${list.area}" misses ${id}`);
      const extra = [...list.named].filter((id) => !expected.includes(id)).map((id) => `${list.file}:${list.line}: rule list "${list.area}" names ${id}, which is not in that area`);
      return [...missing, ...extra];
    });
    expect(problems).toEqual([]);
  });
});
