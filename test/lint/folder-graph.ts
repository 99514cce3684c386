/**
 * The import graph of src/ between top-level folders, read from the sources (what docs/development.md draws).
 * `npx tsx test/lint/folder-graph.ts` prints it as a Mermaid graph.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The layers of src/, lowest first (the same order as the eslint zones in .projenrc.ts). */
export const LAYERS: ReadonlyArray<readonly string[]> = [['core'], ['analysis'], ['rules'], ['engine'], ['report'], ['admission'], ['cli', 'plugin'], ['constructs']];

export interface FolderEdge {
  readonly from: string;
  readonly to: string;
  /** Number of import statements along the edge. */
  readonly imports: number;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith('.ts') ? [full] : [];
  });
}

/** Edges between top-level folders of `srcDir` (a file at the top, index.ts, is its own node). */
export function folderImports(srcDir: string): FolderEdge[] {
  const top = (file: string): string => path.relative(srcDir, file).split(path.sep)[0];
  const counts = new Map<string, number>();
  for (const file of sourceFiles(srcDir)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const from = top(file);
      const to = top(path.resolve(path.dirname(file), m[1]));
      const target = to.endsWith('.ts') || to === 'index' ? 'index.ts' : to;
      if (from !== target) counts.set(`${from}\u0000${target}`, (counts.get(`${from}\u0000${target}`) ?? 0) + 1);
    }
  }
  return [...counts].map(([k, imports]) => {
    const [from, to] = k.split('\u0000');
    return { from, to, imports };
  }).sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

/** The folder graph as a Mermaid flowchart (deterministic). */
export function folderGraphMermaid(srcDir: string): string {
  const lines = ['flowchart TD'];
  for (const e of folderImports(srcDir)) lines.push(`  ${e.from.replace('.ts', '')} --> ${e.to.replace('.ts', '')}`);
  return lines.join('\n');
}

if (require.main === module) {
  process.stdout.write(`${folderGraphMermaid(path.join(__dirname, '..', '..', 'src'))}\n`);
}
