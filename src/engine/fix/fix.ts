/**
 * `cdk8s-hardened fix`: the pod-hardening core (engine/hardening/pod-defaults.ts, the code the hardened constructs
 * use) applied to manifests the library did not write, as edits to their YAML text.
 *
 * Each document is read twice: by the kubectl-parity reader (what is judged and what the cluster gets) and by the
 * `yaml` package's Document API (which keeps comments). A document is edited only when both read the same JSON;
 * each change is set with `doc.setIn`, and the new lines are spliced into the original text, so untouched lines
 * keep their bytes. The result is read again by the parity reader and must equal the hardened JSON, or the
 * document is refused: fix never writes bytes kubectl would read differently from what it judged.
 */
import * as fs from 'fs';
import { isDeepStrictEqual } from 'util';
import { Document, isCollection, isScalar, isSeq, parseDocument, ToStringOptions } from 'yaml';
import { editScript, linesOf } from './unified-diff';
import { isObject } from '../../core/json';
import { expandList } from '../../core/lists';
import type { CheckInput, InputProblem, K8sObject } from '../../core/types';
import { viewObject } from '../../core/views';
import { readYamlChunk, splitYamlStream } from '../../core/yaml-reader';
import type { HardeningChange } from '../hardening/change';
import { applyChanges, podHardeningChanges } from '../hardening/pod-defaults';
import { decode, loadPaths, LoadOptions, LoadResult, parseManifests, readProcessStdin } from '../load';
import { typeProblems } from '../shape';

/** One change `fix` makes, with the object and file it is in. */
export interface FixChange extends HardeningChange {
  readonly file: string;
  /** 1-based line of the object in the input. */
  readonly line?: number;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One input file and its hardened text. */
export interface FixedFile {
  readonly file: string;
  readonly original: string;
  /** The hardened text (equal to `original` when nothing changed). */
  readonly fixed: string;
  readonly changes: FixChange[];
}

export interface FixResult {
  readonly files: FixedFile[];
  /** Input that cannot be read like kubectl, or cannot be edited safely: when any, nothing may be written. */
  readonly problems: InputProblem[];
  /** Facts about the edits (a document the writer had to re-format). */
  readonly notes: string[];
  /** The hardened objects as `check` would load them from the fixed texts (to judge what is left). */
  readonly output: LoadResult;
}

/** Reads the paths like `check` and hardens every workload in them. Nothing is written here. */
export async function fixPaths(paths: readonly string[], options: LoadOptions = {}): Promise<FixResult> {
  let stdin: Promise<string> | undefined;
  const readStdin = () => (stdin ??= (options.readStdin ?? readProcessStdin)());
  const loaded = await loadPaths(paths, { ...options, readStdin });
  // Refuse what check refuses: unreadable input and fields of the wrong type are problems, and then nothing is fixed.
  const problems: InputProblem[] = [...loaded.problems, ...typeProblems(loaded.inputs)];
  const files: FixedFile[] = [];
  const notes: string[] = [];
  const inputs: CheckInput[] = [];
  const judgedFiles = new Set(loaded.inputs.map((i) => i.source?.file));
  for (const file of loaded.files) {
    // Files the loader read no object from (cdk8s's construct-metadata.json, empty files) are left alone.
    if (!judgedFiles.has(file)) continue;
    const text = file === '-' ? await readStdin() : decode(fs.readFileSync(file), file);
    if (problems.some((p) => p.file === file)) {
      files.push({ file, original: text, fixed: text, changes: [] });
      for (const input of loaded.inputs) if (input.source?.file === file) inputs.push(input);
      continue;
    }
    const fixed = fixText(text, file);
    problems.push(...fixed.problems);
    notes.push(...fixed.notes);
    files.push({ file, original: text, fixed: fixed.text, changes: fixed.changes });
    const reread = parseManifests(fixed.text, file);
    inputs.push(...reread.inputs);
    problems.push(...reread.problems);
  }
  return { files, problems, notes, output: { inputs, problems: [], files: loaded.files, bytes: loaded.bytes } };
}

/** Hardens the workloads of one file's text. Problems name the file, line and object; `text` is then unchanged where refused. */
export function fixText(text: string, file: string): { text: string; changes: FixChange[]; problems: InputProblem[]; notes: string[] } {
  const problems: InputProblem[] = [];
  const notes: string[] = [];
  const changes: FixChange[] = [];
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = bom ? text.slice(1) : text;
  const { inputs, problems: readProblems } = parseManifests(body, file);
  if (readProblems.length > 0) return { text, changes, problems: readProblems, notes };
  const json = jsonValue(body);
  if (json !== undefined) {
    const fixed = fixJson(body, json, file, inputs, changes, problems, notes);
    return { text: bom + fixed, changes, problems, notes };
  }
  const chunks = splitYamlStream(body).chunks;
  let out = '';
  let cursor = 0;
  for (const chunk of chunks) {
    const at = body.indexOf(chunk.text, cursor);
    out += body.slice(cursor, at);
    cursor = at + chunk.text.length;
    const read = readYamlChunk(chunk.text);
    if ('problem' in read || read.value === null || read.value === undefined) {
      out += chunk.text;
      continue;
    }
    const own = inputs.filter((i) => i.source?.documentIndex === chunk.index);
    const found = documentChanges(read.value, own, file, problems);
    if (found.length === 0) {
      out += chunk.text;
      continue;
    }
    const edited = editDocument(chunk.text, read.value, found.map((f) => f.change));
    const line = own[0]?.source?.line ?? chunk.startLine;
    if ('problem' in edited) {
      problems.push({ file, line, message: `${file}:${line}: ${edited.problem}; harden it by hand: ${found.map((f) => `${f.object} ${formatPath(f.change.path)}: ${JSON.stringify(f.change.value)}`).join('; ')}` });
      out += chunk.text;
      continue;
    }
    if (edited.reformatted) notes.push(`${file}:${line}: the YAML writer re-formatted this document (its layout could not be kept line for line): review the diff`);
    out += edited.text;
    changes.push(...found.map((f) => f.fixChange));
  }
  out += body.slice(cursor);
  return { text: bom + out, changes, problems, notes };
}

interface FoundChange {
  /** The change with its path from the document's root (`items[i]` in front for a list item). */
  readonly change: HardeningChange;
  readonly fixChange: FixChange;
  /** `Deployment shop/web`, for messages. */
  readonly object: string;
}

/** The core's changes for every object of a document (each item of a list), with paths from the document root. */
function documentChanges(value: unknown, inputs: readonly CheckInput[], file: string, problems: InputProblem[]): FoundChange[] {
  const expanded = expandList(value);
  const found: FoundChange[] = [];
  expanded.objects.forEach(({ value: object, index }, n) => {
    if (!isObject(object)) return;
    const view = viewObject(object as K8sObject);
    const label = `${view.kind} ${view.namespace ? `${view.namespace}/` : ''}${view.name}`;
    const line = inputs[n]?.source?.line;
    let own: HardeningChange[];
    try {
      own = podHardeningChanges(object as K8sObject);
    } catch (e) {
      problems.push({ file, line, kind: view.kind, name: view.name, message: `${file}${line ? `:${line}` : ''}: ${(e as Error).message}` });
      return;
    }
    for (const change of own) {
      const path = index === undefined ? change.path : ['items', index, ...change.path];
      found.push({
        change: { ...change, path },
        fixChange: { ...change, file, line, kind: view.kind, namespace: view.namespace, name: view.name },
        object: label,
      });
    }
  });
  return found;
}

/** The formats tried, in order, for a document's own layout (kubectl's `- ` under a key, then indented lists). */
const LAYOUTS: ToStringOptions[] = [false, true].flatMap((indentSeq) =>
  [false, true].flatMap((flowCollectionPadding) =>
    [2, 4].map((indent) => ({ indentSeq, flowCollectionPadding, indent, lineWidth: 0, minContentWidth: 0 }))));

/**
 * Sets the changes on one document's text. The original bytes are kept except where lines are added or changed;
 * when the new lines cannot be placed unambiguously the whole document is written by the YAML writer (`reformatted`).
 */
type Edited = { text: string; reformatted: boolean } | { problem: string };

function editDocument(chunk: string, value: unknown, changes: readonly HardeningChange[]): Edited {
  const lead = /^\n*/.exec(chunk)![0];
  const source = chunk.slice(lead.length);
  const doc = editableDocument(source, value);
  if (!doc) {
    return { problem: 'this document cannot be edited safely: the YAML editor reads it differently from kubectl (anchors, merge keys, YAML 1.1 values)' };
  }
  const layout = closestLayout(doc, source);
  const before = doc.toString(layout);
  for (const change of changes) {
    const error = setChange(doc, change);
    if (error) return { problem: error };
  }
  const after = doc.toString(layout);
  const spliced = splice(source, before, after);
  const text = lead + (spliced ?? after);
  const expected = applyChanges(value as K8sObject, changes);
  const reread = readYamlChunk(text);
  if ('problem' in reread || !isDeepStrictEqual(reread.value, expected)) {
    return { problem: 'the edited document would not read back as the hardened object (kubectl would see something else), so it is left unchanged' };
  }
  return { text, reformatted: spliced === undefined };
}

/** The writer's layout whose output keeps the most lines of the source as they are (all of them, usually). */
function closestLayout(doc: Document, source: string): ToStringOptions {
  const lines = linesOf(source);
  let best = LAYOUTS[0];
  let bestKept = -1;
  for (const layout of LAYOUTS) {
    const text = doc.toString(layout);
    if (text === source) return layout;
    const kept = editScript(linesOf(text), lines).filter((op) => op.kind === ' ').length;
    if (kept > bestKept) {
      best = layout;
      bestKept = kept;
    }
  }
  return best;
}

/** The document as the `yaml` package reads it, when that equals what kubectl reads (YAML 1.1 first, then 1.2). */
function editableDocument(source: string, value: unknown): Document | undefined {
  for (const version of ['1.1', '1.2'] as const) {
    const doc = parseDocument(source, { version, merge: version === '1.1', keepSourceTokens: false });
    if (doc.errors.length > 0) continue;
    let json: unknown;
    try {
      json = doc.toJS({ maxAliasCount: -1 });
    } catch {
      continue;
    }
    if (isDeepStrictEqual(normalise(json), value)) return doc;
  }
  return undefined;
}

/** JSON as the parity reader returns it (no undefined, dates as the text kubectl sends). */
function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) ?? 'null');
}

/**
 * `doc.setIn(path, value)` at the deepest part of the path that exists: missing mappings and lists are created with
 * the value inside (the package's own creation tags them `!!omap` under YAML 1.1), and an explicit `null` on the way
 * (`securityContext:` with nothing after it) is replaced, as the core treats null as unset, as the API server does.
 */
function setChange(doc: Document, change: HardeningChange): string | undefined {
  const path = [...change.path];
  for (let i = 1; i < path.length; i++) {
    const node = doc.getIn(path.slice(0, i), true);
    if (node === undefined || (isScalar(node) && node.value === null)) {
      doc.setIn(path.slice(0, i), doc.createNode(nested(path.slice(i), change.value)));
      return undefined;
    }
    if (!isCollection(node)) return `${formatPath(path.slice(0, i))} is not a mapping or list, so ${formatPath(path)} cannot be set`;
    // Helm charts write `securityContext: {}`: what is added to an empty flow collection is written as a block.
    if (node.flow && node.items.length === 0) node.flow = false;
  }
  const existing = doc.getIn(path, true);
  if (isSeq(existing) && Array.isArray(change.value)) {
    // A completed list (drop: [ALL, ...]) keeps its node, so its comments and flow style stay.
    existing.items = change.value.map((v) => doc.createNode(v));
    return undefined;
  }
  doc.setIn(path, doc.createNode(change.value));
  return undefined;
}

function nested(path: ReadonlyArray<string | number>, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => (typeof key === 'number' ? Object.assign([], { [key]: inner }) : { [key]: inner }), value);
}

/**
 * Applies the writer's edit (before -> after) to the original text: each run of added or changed lines goes where
 * the writer's unchanged neighbours sit in the original. Undefined when a run touches a line the writer laid out
 * differently from the original (then the writer's whole output is used).
 */
function splice(original: string, before: string, after: string): string | undefined {
  const o = linesOf(original);
  const b = linesOf(before);
  // Where each line of the writer's layout sits in the original (-1: laid out differently).
  const at = new Int32Array(b.length).fill(-1);
  let bi = 0;
  let oi = 0;
  for (const op of editScript(b, o)) {
    if (op.kind === ' ') at[bi++] = oi++;
    else if (op.kind === '-') bi++;
    else oi++;
  }
  const edits: Array<{ from: number; to: number; lines: string[] }> = [];
  const ops = editScript(b, linesOf(after));
  bi = 0;
  for (let i = 0; i < ops.length;) {
    if (ops[i].kind === ' ') {
      bi++;
      i++;
      continue;
    }
    const removedFrom = bi;
    const added: string[] = [];
    while (i < ops.length && ops[i].kind !== ' ') {
      if (ops[i].kind === '-') bi++;
      else added.push(ops[i].line);
      i++;
    }
    // The run replaces lines [removedFrom, bi) of the writer's text. Its neighbours (removedFrom-1 and bi) must sit
    // in the original as they are; the original lines between them are the ones replaced (written differently,
    // like a Helm chart's `{}` on its own line, they are what the writer replaced too).
    const anchorOf = (k: number) => (k < 0 ? -1 : k >= b.length ? o.length : at[k]);
    const prev = anchorOf(removedFrom - 1);
    const next = anchorOf(bi);
    if ((removedFrom > 0 && prev < 0) || next < 0 || next <= prev) return undefined;
    // Every original line in between must be one of the replaced lines, or one the writer does not write as is.
    for (let k = prev + 1; k < next; k++) {
      const mapped = at.indexOf(k);
      if (mapped >= 0 && (mapped < removedFrom || mapped >= bi)) return undefined;
    }
    edits.push({ from: prev + 1, to: next, lines: added });
  }
  const result = [...o];
  for (const edit of edits.reverse()) result.splice(edit.from, edit.to - edit.from, ...edit.lines);
  const ending = original.endsWith('\n') || original === '' ? '\n' : '';
  return result.length === 0 ? '' : `${result.join('\n')}${ending}`;
}

/** The parsed value of a JSON file (the loader reads such a file as JSON), or undefined for YAML. */
function jsonValue(text: string): unknown {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** JSON has no comments: the file is written again with its own indentation (a note when that changes its layout). */
function fixJson(
  text: string,
  value: unknown,
  file: string,
  inputs: readonly CheckInput[],
  changes: FixChange[],
  problems: InputProblem[],
  notes: string[],
): string {
  const found = documentChanges(value, inputs, file, problems);
  if (found.length === 0) return text;
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const render = (v: unknown) => `${JSON.stringify(v, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
  if (render(value) !== text) notes.push(`${file}: written again as JSON indented with ${JSON.stringify(indent)} (its own layout could not be kept)`);
  changes.push(...found.map((f) => f.fixChange));
  return render(applyChanges(value as K8sObject, found.map((f) => f.change)));
}

/** `spec.template.spec.containers[0].securityContext` */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('');
}
