/**
 * The one-way layers of src/ (docs/development.md) are locked by eslint's import/no-restricted-paths zones in
 * .eslintrc.json (generated from .projenrc.ts). Each zone must fail a deliberate upward import, and the real
 * source tree must have no folder cycle.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadESLint } from 'eslint';
import { folderGraphMermaid, folderImports, LAYERS } from './folder-graph';

const ROOT = path.join(__dirname, '..', '..');

describe('layer zones', () => {
  // The project lints with .eslintrc.json (projen), so the test uses the same legacy configuration loader.
  type LintResult = { messages: Array<{ ruleId: string | null; message: string }> };
  let eslint: { lintText(text: string, options: { filePath: string }): Promise<LintResult[]> };
  beforeAll(async () => {
    const LegacyESLint = await loadESLint({ useFlatConfig: false });
    eslint = new LegacyESLint({ cwd: ROOT, overrideConfig: { rules: { 'import/order': 'off' } } } as never) as unknown as typeof eslint;
  });

  // The text is linted as if it were an existing file of the folder (the typed parser only knows files of the project).
  function existingFileOf(folder: string): string {
    const name = fs.readdirSync(path.join(ROOT, folder)).filter((f) => f.endsWith('.ts')).sort()[0];
    return path.join(ROOT, folder, name);
  }

  async function layerErrors(folder: string, importPath: string): Promise<string[]> {
    const text = `import { x } from '${importPath}';\nexport const y = x;\n`;
    const [result] = await eslint.lintText(text, { filePath: existingFileOf(folder) });
    const parseErrors = result.messages.filter((m) => m.ruleId === null);
    if (parseErrors.length > 0) throw new Error(parseErrors.map((m) => m.message).join('\n'));
    return result.messages.filter((m) => m.ruleId === 'import/no-restricted-paths').map((m) => m.message);
  }

  // One deliberate wrong import per layer: the layer directly above it (and the plugin's import of the CLI).
  const upward: Array<[string, string]> = [
    ['src/core/', '../analysis/rbac/model'],
    ['src/analysis/network/', '../../rules/rule'],
    ['src/rules/', '../engine/engine'],
    ['src/engine/', '../report/model'],
    ['src/report/', '../admission/policies'],
    ['src/admission/', '../cli/program'],
    ['src/cli/', '../constructs/hardening'],
    ['src/plugin/', '../cli/program'],
    ['src/core/', '../index'],
  ];
  test.each(upward)('a file of %s may not import %s', async (file, importPath) => {
    const errors = await layerErrors(file, importPath);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/layer violation: src\/\w+ may import only from/);
  });

  test('downward imports pass', async () => {
    expect(await layerErrors('src/constructs/', '../engine/engine')).toEqual([]);
    expect(await layerErrors('src/rules/', '../core/json')).toEqual([]);
    expect(await layerErrors('src/analysis/network/', '../../core/json')).toEqual([]);
  });

  test('every folder of src/ is a layer', () => {
    const folders = fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders).toEqual(LAYERS.flat().sort());
  });
});

describe('folder graph', () => {
  test('no layer imports a layer above it, so the folders have no cycle', () => {
    const rank = new Map(LAYERS.flatMap((layer, i) => layer.map((f) => [f, i] as const)));
    const upwardEdges = folderImports(path.join(ROOT, 'src')).filter((e) => e.to !== 'index.ts' && rank.get(e.to)! >= rank.get(e.from)! && e.from !== e.to);
    expect(upwardEdges).toEqual([]);
  });
});

describe('docs/development.md', () => {
  test('draws the folder graph of the sources', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'development.md'), 'utf8');
    const drawn = /<!-- BEGIN folder-graph[^>]*-->\n```mermaid\n([\s\S]*?)\n```\n<!-- END folder-graph -->/.exec(doc);
    expect(drawn).not.toBeNull();
    expect(drawn![1]).toBe(folderGraphMermaid(path.join(ROOT, 'src')));
  });
});
