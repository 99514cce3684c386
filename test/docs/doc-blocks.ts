/**
 * Extracts the TypeScript blocks of the Markdown docs, type-checks them against the package's public API and
 * runs the complete programs. The marker convention is documented in docs/development.md ("Code in the docs").
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { SCAFFOLDS } from './scaffolds';

export const ROOT = path.join(__dirname, '..', '..');

/** What a block is and what running it must do. */
export type BlockMarker =
  | { readonly kind: 'example'; readonly throws?: RegExp }
  | { readonly kind: 'fragment'; readonly scaffold: string };

export interface DocBlock {
  /** Repository-relative file. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
  /** Undefined when the block has no marker; `markerError` then says why. */
  readonly marker?: BlockMarker;
  readonly markerError?: string;
}

const FENCE_OPEN = /^```(ts|typescript|tsx)\s*$/;
const FENCE_ANY = /^```/;
const MARKER = /^<!--\s*(example|fragment)(?::\s*(.*?))?\s*-->$/;

/** Where a block is, as `file:line` (what failure messages print). */
export function where(block: DocBlock): string {
  return `${block.file}:${block.line}`;
}

/** The TypeScript blocks of one Markdown text, each with the marker on the last non-blank line before it. */
export function extractBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_ANY.test(lines[i])) continue;
    const open = i;
    let close = i + 1;
    while (close < lines.length && lines[close].trim() !== '```') close++;
    if (close >= lines.length) throw new Error(`${file}:${open + 1}: code fence is never closed`);
    i = close;
    if (!FENCE_OPEN.test(lines[open])) continue;
    let prev = open - 1;
    while (prev >= 0 && lines[prev].trim() === '') prev--;
    const parsed = prev >= 0 ? parseMarker(lines[prev].trim()) : { error: 'no marker' };
    blocks.push({
      file,
      line: open + 1,
      code: lines.slice(open + 1, close).join('\n') + '\n',
      ...('marker' in parsed ? { marker: parsed.marker } : { markerError: parsed.error }),
    });
  }
  return blocks;
}

function parseMarker(line: string): { marker: BlockMarker } | { error: string } {
  const m = MARKER.exec(line);
  if (!m) return { error: 'no marker' };
  const arg = (m[2] ?? '').trim();
  if (m[1] === 'fragment') {
    if (!arg) return { error: 'fragment marker without a scaffold name' };
    if (!SCAFFOLDS[arg]) return { error: `unknown scaffold "${arg}" (scaffolds: ${Object.keys(SCAFFOLDS).sort().join(', ')})` };
    return { marker: { kind: 'fragment', scaffold: arg } };
  }
  if (!arg) return { marker: { kind: 'example' } };
  const throws = /^throws\s+\/(.+)\/$/.exec(arg);
  if (!throws) return { error: `unknown example argument "${arg}" (use <!-- example --> or <!-- example: throws /regex/ -->)` };
  return { marker: { kind: 'example', throws: new RegExp(throws[1]) } };
}

/** Every TypeScript block of README.md and docs/*.md. */
export function allDocBlocks(): DocBlock[] {
  return docFiles().flatMap((file) => extractBlocks(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));
}

/** README.md and docs/*.md, repository-relative, sorted. */
export function docFiles(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** The TypeScript source a block is checked as: the block itself, or the fragment inside its scaffold. */
export function programSource(block: DocBlock): string {
  if (!block.marker) throw new Error(`${where(block)}: ${block.markerError}`);
  if (block.marker.kind === 'example') return block.code;
  const scaffold = SCAFFOLDS[block.marker.scaffold];
  return `${scaffold.prelude}\n// ---- fragment ${where(block)} ----\n${block.code}\n${scaffold.epilogue ?? ''}`;
}

/** A virtual file name for a block, inside the repository so that node_modules resolves. */
function virtualName(block: DocBlock): string {
  return path.join(ROOT, 'test', 'docs', '__blocks__', `${block.file.replace(/[\/.]/g, '_')}_${block.line}.ts`);
}

/** One type error, with the position translated back to the Markdown file where it lies in the block. */
export interface BlockDiagnostic {
  readonly block: DocBlock;
  readonly message: string;
}

/**
 * Type-checks all blocks in one program (the package graph is checked once). `cdk8s-hardened` resolves to
 * src/index.ts: the public API, nothing internal.
 */
export function typeCheck(blocks: readonly DocBlock[]): BlockDiagnostic[] {
  const sources = new Map(blocks.map((b) => [virtualName(b), { block: b, text: programSource(b) }]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    noImplicitAny: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    paths: { 'cdk8s-hardened': [path.join(ROOT, 'src', 'index.ts')] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) => {
    const own = sources.get(path.resolve(name));
    if (own) return ts.createSourceFile(name, own.text, version, true);
    return getSourceFile(name, version, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => sources.has(path.resolve(name)) || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => sources.get(path.resolve(name))?.text ?? readFile(name);
  const program = ts.createProgram([...sources.keys()], options, host);
  const result: BlockDiagnostic[] = [];
  for (const [name, { block }] of sources) {
    const file = program.getSourceFile(name)!;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    for (const d of diagnostics) result.push({ block, message: describe(block, d) });
  }
  return result;
}

function describe(block: DocBlock, d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return `${where(block)}: ${text}`;
  const { line } = d.file.getLineAndCharacterOfPosition(d.start);
  const source = d.file.text.split('\n')[line];
  if (block.marker?.kind === 'example') return `${block.file}:${block.line + 1 + line}: ${text}\n    ${source.trim()}`;
  return `${where(block)} (line ${line + 1} of the fragment inside its scaffold): ${text}\n    ${source.trim()}`;
}

/** What running a complete program did. */
export type RunOutcome = { readonly ok: true } | { readonly ok: false; readonly error: Error };

/**
 * Runs a complete program: `cdk8s-hardened` is src/, every cdk8s `App` writes to a temporary folder, and
 * every App the program creates but does not synthesize is synthesized afterwards, so "it synthesizes" is
 * what the test judges.
 */
export function runExample(block: DocBlock, requireFn: NodeRequire): RunOutcome {
  const js = ts.transpileModule(block.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: virtualName(block),
  }).outputText;
  const cdk8s = requireFn('cdk8s') as typeof import('cdk8s');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-docs-'));
  const apps: { app: import('cdk8s').App; synthesized: boolean }[] = [];
  class DocApp extends cdk8s.App {
    constructor(props: import('cdk8s').AppProps = {}) {
      super({ ...props, outdir });
      apps.push({ app: this, synthesized: false });
    }
    public synth(): void {
      const entry = apps.find((a) => a.app === this);
      if (entry) entry.synthesized = true;
      super.synth();
    }
  }
  const modules: Record<string, unknown> = {
    'cdk8s': { ...cdk8s, App: DocApp },
    'cdk8s-hardened': requireFn(path.join(ROOT, 'src', 'index.ts')),
  };
  const localRequire = (id: string) => (id in modules ? modules[id] : requireFn(id));
  try {
    const module = { exports: {} };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'module', 'exports', js)(localRequire, module, module.exports);
    for (const entry of apps) if (!entry.synthesized) entry.app.synth();
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
