/**
 * Reads manifests (files, directories, stdin) into engine inputs that carry their file and line.
 *
 * Parsing path: the text is cut into YAML documents where kubectl cuts it (lines starting with `---`), each
 * document is read by the kubectl-parity reader (yaml-reader.ts: the JSON kubectl would send, or an input
 * problem), and the line of a document is known from where it was cut. Only list documents are parsed a
 * second time with js-yaml's event listener, to learn the line of each item. An error in one document does not
 * hide the others.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as yaml from 'js-yaml';
import { isObject } from '../core/json';
import { expandList, isListDocument } from '../core/lists';
import type { CheckInput, InputProblem, K8sObject } from '../core/types';
import { KUBECTL_SCHEMA, readYamlChunk, ReaderProblem, splitYamlStream, YamlChunk } from '../core/yaml-reader';

/** What was read: objects to judge, and input that could not be read (never silently dropped). */
export interface LoadResult {
  readonly inputs: CheckInput[];
  readonly problems: InputProblem[];
  /** Files read, in order. */
  readonly files: string[];
  /** Bytes read. */
  readonly bytes: number;
}

/** Progress of a load, for a progress bar: bytes done out of bytes known. */
export type ProgressListener = (doneBytes: number, totalBytes: number) => void;

export interface LoadOptions {
  /** Reads standard input when a path is `-`. @default reads process.stdin */
  readonly readStdin?: () => Promise<string>;
  readonly onProgress?: ProgressListener;
}

/**
 * File names a directory walk reads: what `kubectl apply -R` reads (.yaml, .yml, .json, hidden files and folders
 * included), and upper-case spellings too (kubectl skips those; judging more than is applied is safe).
 * Files named explicitly are read whatever their name.
 */
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** cdk8s synth writes this next to the manifests when validations run; it is not a manifest. */
const CDK8S_METADATA_FILE = 'construct-metadata.json';
/** How far aliases may expand a document: nodes allowed per character of its text, plus a floor. */
const EXPANSION_PER_CHAR = 4;
const EXPANSION_FLOOR = 100_000;

/** Reads every path (`-` is stdin; directories are walked for *.yaml, *.yml and *.json). */
export async function loadPaths(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const problems: InputProblem[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  // Files found by walking each directory (an empty one is not a problem while the set holds objects).
  const directories = new Map<string, string[]>();
  // A file named twice (or through a link, or inside a named directory) is read once: no duplicate findings.
  const addFile = (file: string) => {
    const key = file === '-' ? file : realPath(file);
    if (!seen.has(key)) {
      seen.add(key);
      files.push(file);
    }
  };
  for (const p of paths) {
    if (p === '-') {
      addFile(p);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      problems.push({ file: p, message: `cannot read ${p}: ${describeFsError(e)}` });
      continue;
    }
    if (stat.isDirectory()) {
      const found = walkDirectory(p, new Set());
      if (found.length === 0) problems.push({ file: p, message: `directory ${p} holds no *.yaml, *.yml or *.json files` });
      found.forEach(addFile);
      directories.set(p, found);
    } else {
      addFile(p);
    }
  }

  const metadataFiles = new Set([...directories.values()].flat().filter((f) => path.basename(f) === CDK8S_METADATA_FILE));
  const emptyFiles: InputProblem[] = [];
  const objectsPerFile = new Map<string, number>();
  const sizes = files.map((f) => (f === '-' ? 0 : safeSize(f)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const inputs: CheckInput[] = [];
  let done = 0;
  for (const [i, file] of files.entries()) {
    let text: string;
    try {
      text = file === '-' ? await (options.readStdin ?? readProcessStdin)() : decode(fs.readFileSync(file), file);
    } catch (e) {
      problems.push({ file, message: e instanceof InputError ? e.message : `cannot read ${file}: ${describeFsError(e)}` });
      continue;
    }
    const parsed = parseManifests(text, file);
    if (!(metadataFiles.has(file) && isCdk8sMetadata(parsed.inputs))) {
      objectsPerFile.set(file, parsed.inputs.length);
      // Loops, not push(...spread): a file may hold more objects than a call may take arguments.
      for (const input of parsed.inputs) inputs.push(input);
      for (const problem of parsed.problems) (problem.message === emptyFileMessage(file) ? emptyFiles : problems).push(problem);
    }
    done += sizes[i] || Buffer.byteLength(text);
    options.onProgress?.(done, Math.max(total, done));
  }
  // `cdk8s synth` writes an empty file for a chart whose objects all live in nested charts (a chart holding only a
  // LockedNamespace): an empty file is normal output, named or found in a directory. Only a set of inputs with no
  // object at all is a problem (each empty file named is reported then), or a directory without any object.
  const walked = new Set([...directories.values()].flat());
  if (inputs.length === 0) for (const problem of emptyFiles) if (!walked.has(problem.file ?? '')) problems.push(problem);
  for (const [directory, found] of directories) {
    if (found.length > 0 && found.every((f) => (objectsPerFile.get(f) ?? 0) === 0 && !problems.some((p) => p.file === f))) {
      problems.push({ file: directory, message: `directory ${directory} holds no Kubernetes objects` });
    }
  }
  return { inputs, problems, files, bytes: done };
}

/**
 * cdk8s writes construct-metadata.json next to the manifests when validations run. kubectl -R reads it too (and
 * refuses it: it is no Kubernetes object), so it is skipped only while it is that: `{version, resources}` and nothing else.
 */
function isCdk8sMetadata(inputs: readonly CheckInput[]): boolean {
  if (inputs.length !== 1 || !isObject(inputs[0].object)) return false;
  const keys = Object.keys(inputs[0].object).sort();
  return keys.length === 2 && keys[0] === 'resources' && keys[1] === 'version';
}

function emptyFileMessage(file: string): string {
  return `${file} holds no Kubernetes objects`;
}

/** Parses one file's text: YAML (multi-document) or JSON, with lists (any document with `items`) expanded. */
export function parseManifests(text: string, file: string): { inputs: CheckInput[]; problems: InputProblem[] } {
  const inputs: CheckInput[] = [];
  const problems: InputProblem[] = [];
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) {
    return { inputs, problems: [{ file, message: `${file} is a binary file (it contains NUL bytes), not YAML or JSON` }] };
  }

  const json = parseJsonFile(text, file);
  if (json) {
    if ('problem' in json) return { inputs, problems: [json.problem] };
    addDocument(json.value, text, { file, line: json.line, endLine: countLines(text), documentIndex: 0 }, inputs, problems, 0);
  } else {
    const stream = splitYamlStream(text);
    for (const problem of stream.problems) problems.push(readerProblem(problem, file, 1));
    for (const doc of stream.chunks) {
      const read = readYamlChunk(doc.text);
      if ('problem' in read) {
        const located = read.yamlError !== undefined ? yamlProblem(read.yamlError, file, doc.startLine) : undefined;
        problems.push(located ?? readerProblem(read.problem, file, doc.startLine));
        continue;
      }
      if (read.ignored) problems.push(readerProblem(read.ignored, file, doc.startLine));
      const value = read.value;
      // Empty documents (`---` twice, a trailing `---`, comments only) hold nothing to judge.
      if (value === null || value === undefined) continue;
      const line = doc.startLine + firstContentLine(doc.text);
      if (doc.text.includes('*') && exceedsExpansion(value, EXPANSION_FLOOR + EXPANSION_PER_CHAR * doc.text.length)) {
        problems.push({
          file,
          line,
          message: `${file}:${line}: YAML aliases expand this document beyond ${EXPANSION_PER_CHAR} nodes per character of its text (an alias bomb?); refusing to judge it`,
        });
        continue;
      }
      addDocument(value, doc.text, { file, line, endLine: doc.endLine, documentIndex: doc.index }, inputs, problems, doc.startLine - 1);
    }
  }
  if (inputs.length === 0 && problems.length === 0) {
    problems.push({ file, message: emptyFileMessage(file) });
  }
  return { inputs, problems };
}

interface DocumentLocation {
  readonly file: string;
  readonly line: number;
  readonly endLine?: number;
  readonly documentIndex: number;
}

/** Adds a parsed document: an object, or the items of a list (any document with `items`), with their own lines. */
function addDocument(value: unknown, text: string, at: DocumentLocation, inputs: CheckInput[], problems: InputProblem[], lineOffset: number) {
  // Nearly every document is one object: what expandList would say, without building its answer.
  if (!isListDocument(value)) {
    inputs.push({ object: value as K8sObject, source: { file: at.file, line: at.line, endLine: at.endLine, documentIndex: at.documentIndex } });
    return;
  }
  const expanded = expandList(value);
  for (const message of expanded.problems) problems.push({ file: at.file, line: at.line, kind: expanded.listKind, message: `${at.file}:${at.line}: ${message}` });
  if (expanded.listKind === undefined) {
    inputs.push({ object: value as K8sObject, source: { file: at.file, line: at.line, endLine: at.endLine, documentIndex: at.documentIndex } });
    return;
  }
  if (expanded.objects.length === 0) return;
  // Lists are rare: parse the document again with the event listener to learn where each item starts.
  const located = text === '' ? undefined : locateNodes(text, value);
  const locatedItems = located && isListDocument(located.value) && Array.isArray(located.value.items) ? located.value.items : undefined;
  for (const { value: item, index } of expanded.objects) {
    const lines = index === undefined ? undefined : located?.lines.get(locatedItems?.[index]);
    inputs.push({
      object: item as K8sObject,
      source: {
        file: at.file,
        line: lines ? lines.start + lineOffset : at.line,
        endLine: lines ? lines.end + lineOffset : at.endLine,
        documentIndex: at.documentIndex,
      },
    });
  }
}

/**
 * Parses a document with js-yaml's event listener: the value, and the 1-based lines of each mapping in it.
 * Only used when it reads exactly what the kubectl-parity reader read (merge keys, for one, are not resolved here).
 */
function locateNodes(text: string, expected: unknown): { value: unknown; lines: Map<unknown, { start: number; end: number }> } | undefined {
  const open: number[] = [];
  const lines = new Map<unknown, { start: number; end: number }>();
  try {
    const value = yaml.load(text, {
      schema: KUBECTL_SCHEMA,
      listener(event, state) {
        if (event === 'open') {
          open.push(state.line);
        } else {
          const start = open.pop() ?? 0;
          // The close event fires after the parser looked ahead to the next token, so its line is the
          // first line after the node: as a 1-based number that is the node's last line.
          if (isObject(state.result) && !lines.has(state.result)) lines.set(state.result, { start: start + 1, end: Math.max(start + 1, state.line) });
        }
      },
    });
    return isDeepStrictEqual(value, expected) ? { value, lines } : undefined;
  } catch {
    return undefined;
  }
}

/** Cuts a multi-document YAML text where kubectl does (see yaml-reader.ts), keeping line numbers. */
export function splitDocuments(text: string): YamlChunk[] {
  return splitYamlStream(text).chunks;
}

/** 0-based index of the first line that holds content (not blank, comment, directive or a bare `---`). */
function firstContentLine(chunk: string): number {
  let index = 0;
  let offset = 0;
  while (offset < chunk.length) {
    const end = chunk.indexOf('\n', offset);
    const line = chunk.slice(offset, end === -1 ? chunk.length : end).trim();
    const content = line.startsWith('---') ? line.slice(3).trim() : line;
    if (content !== '' && !content.startsWith('#') && !content.startsWith('%')) return index;
    if (end === -1) break;
    offset = end + 1;
    index++;
  }
  return 0;
}

/**
 * True when the document, with every alias expanded, has more nodes than the budget. js-yaml shares the
 * object of an anchor between its aliases, so a "billion laughs" document is small in memory but
 * explodes for anything that walks it (the rules, a reporter): bound the walk before anyone does.
 * A cyclic document (an anchor used inside itself) exceeds any budget.
 */
function exceedsExpansion(value: unknown, budget: number): boolean {
  let remaining = budget;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (--remaining < 0) return true;
    if (Array.isArray(node)) {
      for (const child of node) stack.push(child);
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/** JSON input: parsed with JSON.parse (fast and exact); undefined when the text is not JSON-shaped. */
function parseJsonFile(text: string, file: string): { value: unknown; line: number } | { problem: InputProblem } | undefined {
  const first = text.search(/\S/);
  const looksJson = first !== -1 && (text[first] === '{' || text[first] === '[');
  const isJsonFile = file.toLowerCase().endsWith('.json');
  if (!looksJson && !isJsonFile) return undefined;
  try {
    return { value: JSON.parse(text), line: first === -1 ? 1 : lineOfOffset(text, first) };
  } catch (e) {
    // A .json file must be JSON; any other file that merely starts with `{` may be flow-style YAML.
    if (!isJsonFile) return undefined;
    // JSON.parse does not always say where; JSON is YAML, so js-yaml can locate the error.
    try {
      yaml.load(text, { schema: yaml.JSON_SCHEMA });
    } catch (located) {
      if (located instanceof yaml.YAMLException && located.mark) {
        const line = located.mark.line + 1;
        return { problem: { file, line, message: `${file}:${line}:${located.mark.column + 1}: invalid JSON: ${located.reason}` } };
      }
    }
    const message = (e as Error).message.split('\n')[0];
    return { problem: { file, message: `${file}: invalid JSON: ${message}` } };
  }
}

/** A problem of the kubectl-parity reader, at its line of the file. */
function readerProblem(problem: ReaderProblem, file: string, startLine: number): InputProblem {
  const line = startLine + problem.line - 1;
  const where = problem.column === undefined ? `${line}` : `${line}:${problem.column}`;
  return { file, line, message: `${file}:${where}: ${problem.message}` };
}

function yamlProblem(e: unknown, file: string, startLine: number): InputProblem {
  if (e instanceof yaml.YAMLException) {
    const line = startLine + (e.mark?.line ?? 0);
    const column = (e.mark?.column ?? 0) + 1;
    return { file, line, message: `${file}:${line}:${column}: invalid YAML: ${e.reason}` };
  }
  if (e instanceof RangeError) {
    // js-yaml parses recursively: pathological nesting exhausts the stack.
    return { file, line: startLine, message: `${file}:${startLine}: YAML nesting is too deep to parse` };
  }
  return { file, line: startLine, message: `${file}:${startLine}: cannot parse YAML: ${(e as Error).message}` };
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function countLines(text: string): number {
  const lines = lineOfOffset(text, text.length);
  return text.endsWith('\n') ? lines - 1 : lines;
}

/** Signals input that is readable but not text we can judge (binary, UTF-16). */
class InputError extends Error {}

/** Decodes a file as UTF-8; UTF-16 (which kubectl accepts) is named rather than misread as binary. */
export function decode(buffer: Buffer, file: string): string {
  if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff)) {
    throw new InputError(`${file} is UTF-16 encoded; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)`);
  }
  return buffer.toString('utf8');
}

/** Manifest files under a directory, in name order; symbolic links are followed once (no loops). */
function walkDirectory(dir: string, visited: Set<string>): string[] {
  const real = fs.realpathSync(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  const found: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = safeStat(full);
      isDirectory = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDirectory) {
      // Every folder, hidden ones and node_modules included: `kubectl apply -R` reads them all.
      for (const file of walkDirectory(full, visited)) found.push(file);
    } else if (isFile && MANIFEST_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
      found.push(full);
    }
  }
  return found;
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function safeStat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function safeSize(file: string): number {
  return safeStat(file)?.size ?? 0;
}

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'EACCES') return 'permission denied';
  if (err.code === 'EISDIR') return 'is a directory';
  return err.message ?? String(e);
}

/** Reads the process's standard input as UTF-8 text (what the path `-` reads). */
export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return decode(Buffer.concat(chunks), '-');
}
