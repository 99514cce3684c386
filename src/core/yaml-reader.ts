/**
 * The kubectl-parity YAML reader: a manifest's text becomes the JSON that `kubectl apply` would send, or an
 * input problem saying why it cannot be read the same way.
 *
 * kubectl cuts a file into documents at lines that start with `---` (k8s.io/apimachinery's YAMLReader) and reads
 * each with go-yaml v2 (YAML 1.1) through sigs.k8s.io/yaml. This module copies both steps:
 * - cutting: `splitYamlStream`, with kubectl's rules (`--- x` and directives fail in kubectl; text after `...` is
 *   ignored by go-yaml) turned into input problems;
 * - reading: a fast path (js-yaml with go-yaml's scalar rules) for ordinary documents, and a precise path (the
 *   `yaml` package's syntax tree, converted with go-yaml's rules for merge keys, duplicate keys, tags and keys)
 *   for documents that use merge keys, tags, duplicate keys or numbers JSON cannot hold.
 * What neither path can read as go-yaml does is refused: U+2028, U+2029 and U+0085 are line breaks to go-yaml v2
 * and ordinary characters to both parsers here, so a document holding one raw is refused wherever it stands.
 * Every rule here is proven against kubectl by test/check/yaml-parity.test.ts.
 */
import * as yaml from 'js-yaml';
import type * as YamlPackage from 'yaml';
import { goScalarValue, resolveGoScalar, unsafeScalarReason, GoScalar } from './yaml11';

// The `yaml` package (about 70 modules, a tenth of the CLI's start-up) serves only the precise path, which
// ordinary manifests never take: it is loaded on the first document that needs it.
let yamlPackage: typeof YamlPackage | undefined;
function yamlLib(): typeof YamlPackage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlPackage ??= require('yaml') as typeof YamlPackage;
  return yamlPackage;
}
type Alias = YamlPackage.Alias;
type YamlNode = YamlPackage.Node;
type Scalar = YamlPackage.Scalar;
const isAlias = (node: unknown): node is Alias => yamlLib().isAlias(node);
const isMap = (node: unknown): node is YamlPackage.YAMLMap => yamlLib().isMap(node);
const isScalar = (node: unknown): node is Scalar => yamlLib().isScalar(node);
const isSeq = (node: unknown): node is YamlPackage.YAMLSeq => yamlLib().isSeq(node);

/** A document as kubectl cuts it: the lines between two `---` lines. */
export interface YamlChunk {
  readonly text: string;
  /** 1-based line of the chunk's first line in the file. */
  readonly startLine: number;
  /** 1-based last line of the chunk. */
  readonly endLine: number;
  readonly index: number;
}

/** Something kubectl would read differently or not at all; `line` is 1-based within the file. */
export interface ReaderProblem {
  readonly line: number;
  readonly column?: number;
  readonly message: string;
}

/** A `---` line as kubectl's YAMLReader sees it: `---` at column 0 (what follows decides if it is valid). */
const SEPARATOR = /^---(.*)$/gm;

/**
 * Cuts a YAML stream where kubectl does. kubectl fails on a `---` line followed by anything but a comment, so
 * such a line is a problem (and the chunks around it are still read, so one mistake does not hide the rest).
 */
export function splitYamlStream(text: string): { chunks: YamlChunk[]; problems: ReaderProblem[] } {
  const chunks: YamlChunk[] = [];
  const problems: ReaderProblem[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number) => {
    // Separators come in order: the text is scanned for newlines once.
    for (let i = text.indexOf('\n', counted); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    counted = offset;
    return line;
  };
  const close = (end: number, endLine: number) => {
    const chunk = text.slice(start, end);
    if (/\S/.test(chunk)) chunks.push({ text: chunk, startLine, endLine, index: chunks.length });
  };
  SEPARATOR.lastIndex = 0;
  for (let m = SEPARATOR.exec(text); m; m = SEPARATOR.exec(text)) {
    const at = lineAt(m.index);
    const rest = m[1].trim();
    if (rest !== '' && !rest.startsWith('#')) {
      problems.push({
        line: at,
        column: 4,
        message: `content after \`---\` on the same line (\`${clip(rest)}\`): kubectl fails on such a document separator; put the content on the next line`,
      });
    }
    close(m.index, at - 1);
    // The chunk starts with the separator's own line break, so its line 1 is the separator's line.
    const lineEnd = text.indexOf('\n', m.index);
    start = lineEnd === -1 ? text.length : lineEnd;
    startLine = at;
  }
  close(text.length, lineAt(text.length) - (text.endsWith('\n') ? 1 : 0));
  return { chunks, problems };
}

/** The result of reading one chunk: its value, or why it is refused (line 1-based within the chunk). */
export type ChunkResult =
  | { readonly value: unknown; readonly ignored?: ReaderProblem }
  | { readonly problem: ReaderProblem; readonly yamlError?: unknown };

/** Characters that end a line in go-yaml v2 but not in YAML 1.2 parsers. */
const YAML11_BREAKS: ReadonlyArray<[string, string]> = [
  ['\u2028', 'U+2028 (LINE SEPARATOR)'],
  ['\u2029', 'U+2029 (PARAGRAPH SEPARATOR)'],
  ['\u0085', 'U+0085 (NEXT LINE)'],
];

/** `...` at column 0: go-yaml ends the document there and ignores the rest of kubectl's chunk. */
const DOCUMENT_END = /^\.\.\.(?=[ \t\r\n]|$)/m;
/** A `%` directive line: kubectl cuts it off from the `---` that must follow it, and go-yaml then fails. */
const DIRECTIVE = /^%/m;
/**
 * Text that takes the precise path (about ten times slower): merge keys (`<<` before a colon or at the end of a
 * line; a heredoc `<<EOF` is not one), tags (js-yaml resolves a plain scalar after a bare `!` on its own line),
 * anchors with names go-yaml would cut short (`&x:y`), and keys that are numbers (js-yaml would turn a float key into text its own way). Everything else that differs (duplicate keys, tags go-yaml resolves) makes js-yaml fail.
 * One expression per case: each runs only when a character it needs is in the text, which most manifests lack.
 */
const MERGE_HINT = /<<(?=[ \t]*(?::|\r?$))/m;
const TAG_OR_ANCHOR_HINT = /(?:^|[\s[{,])(?:!|[&*][A-Za-z0-9_-]*[^A-Za-z0-9_\-\s,[\]{}])/m;
const NUMBER_KEY_HINT = /(?:^|[\s{,?])[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?[ \t]*:(?:[ \t]|$)/m;
/** What every number key ends with: its last character (a digit, `_` or `.`), then the colon of a key. */
const NUMBER_KEY_END = /[0-9_.][ \t]*:(?:[ \t]|$)/m;

/** True when the text takes the precise path (any of the hints above matches). */
export function needsPrecisePath(text: string): boolean {
  if (text.includes('<<') && MERGE_HINT.test(text)) return true;
  if ((text.includes('!') || text.includes('&') || text.includes('*')) && TAG_OR_ANCHOR_HINT.test(text)) return true;
  return NUMBER_KEY_END.test(text) && NUMBER_KEY_HINT.test(text);
}

/** Reads one chunk (as cut by splitYamlStream) the way kubectl does, or refuses it. */
export function readYamlChunk(chunk: string): ChunkResult {
  // go-yaml skips a byte order mark at the start of what it is given; kubectl gives it each chunk.
  let text = chunk.replace(/^(\n?)\ufeff/, '$1');
  for (const [char, name] of YAML11_BREAKS) {
    const at = text.indexOf(char);
    if (at !== -1) {
      const { line, column } = position(text, at);
      return {
        problem: {
          line,
          column,
          message: `${name} is a line break to kubectl's YAML reader (YAML 1.1) and not to this checker's, so kubectl would read this document differently (it can hide or add keys); remove it, or write it as the escape \\${char === '\u0085' ? 'N' : char === '\u2028' ? 'L' : 'P'} inside a double-quoted string`,
        },
      };
    }
  }
  // Most manifests have no CR at all: a plain search finds that faster than the regular expression.
  const cr = text.includes('\r') ? /\r(?!\n)/.exec(text) : null;
  if (cr) {
    const { line, column } = position(text, cr.index);
    return {
      problem: {
        line,
        column,
        message: 'a carriage return that does not end a line (CR without LF): kubectl and this checker fold such lines differently; convert the file to LF or CRLF line ends',
      },
    };
  }
  let ignored: ReaderProblem | undefined;
  // The plain searches skip the multi-line expressions for the many documents without the character at all.
  const end = text.includes('...') ? DOCUMENT_END.exec(text) : null;
  if (end) {
    const after = text.slice(end.index + 3).split('\n');
    if (after.some((l) => /^[ \t]*[^\s#]/.test(l))) {
      ignored = {
        line: position(text, end.index).line,
        message: 'text after the document end marker `...` is ignored by kubectl up to the next `---` line, so it is not judged; remove it or start a new document with `---`',
      };
    }
    text = text.slice(0, end.index);
  }
  const directive = text.includes('%') ? DIRECTIVE.exec(text) : null;
  if (directive && isBeforeContent(text, directive.index)) {
    return {
      problem: {
        line: position(text, directive.index).line,
        column: 1,
        message: 'a `%` directive: kubectl cuts documents at `---` lines, so the directive is read without its document and kubectl fails; remove the directive',
      },
    };
  }
  let fastError: unknown;
  if (!needsPrecisePath(text)) {
    try {
      return withIgnored(yaml.load(text, { schema: KUBECTL_SCHEMA }), ignored);
    } catch (e) {
      fastError = e;
    }
  }
  const precise = preciseRead(text);
  if ('value' in precise) return withIgnored(precise.value, ignored);
  if (precise.syntax) {
    // Broken YAML: js-yaml's message and position are the ones this checker has always reported.
    if (fastError === undefined) {
      try {
        yaml.load(text, { schema: KUBECTL_SCHEMA });
      } catch (e) {
        fastError = e;
      }
    }
    if (fastError instanceof yaml.YAMLException || fastError instanceof RangeError) return { problem: precise.problem, yamlError: fastError };
  }
  return { problem: precise.problem };
}

function withIgnored(value: unknown, ignored: ReaderProblem | undefined): ChunkResult {
  return ignored ? { value, ignored } : { value };
}

function isBeforeContent(text: string, index: number): boolean {
  return !/^[ \t]*[^\s#%]/m.test(text.slice(0, index));
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

// ---------------------------------------------------------------------------------------------------------------
// Fast path: js-yaml with go-yaml's scalar rules. Any error (duplicate key, an unknown tag, a number JSON cannot
// hold) hands the document to the precise path, which either reads it as go-yaml does or says why not.

/** Thrown from inside js-yaml: a scalar the fast path cannot carry; the precise path says why. */
class NeedsPrecisePath extends Error {}

let lastResolved: { text: string; scalar: GoScalar } | undefined;

/** One implicit type for every non-string plain scalar go-yaml knows (null, bool, int, float). */
const GO_SCALAR = new yaml.Type('tag:cdk8s-hardened,2026:yaml11-scalar', {
  kind: 'scalar',
  resolve(data: unknown, explicitTag?: string) {
    // Written out as a tag (`!<tag:cdk8s-hardened,...>`), it is a tag go-yaml does not know: the precise path.
    if (typeof data !== 'string' || explicitTag !== undefined) return false;
    const scalar = resolveGoScalar(data);
    if (scalar.kind === 'str' || scalar.kind === 'merge') return false;
    lastResolved = { text: data, scalar };
    return true;
  },
  construct(data: string) {
    const scalar = lastResolved?.text === data ? lastResolved.scalar : resolveGoScalar(data);
    if (unsafeScalarReason(data, scalar)) throw new NeedsPrecisePath();
    return goScalarValue(scalar);
  },
});

/**
 * The schema of the fast path: strings, sequences and mappings (the failsafe schema, whose `!!str`, `!!seq` and
 * `!!map` mean the same to go-yaml) plus go-yaml's resolution of plain scalars. No merge type: documents with
 * `<<` take the precise path.
 */
export const KUBECTL_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({ implicit: [GO_SCALAR] });

// ---------------------------------------------------------------------------------------------------------------
// Precise path: the `yaml` package parses (syntax only: failsafe schema, no merge, duplicate keys kept), and the
// tree is converted with go-yaml v2's decoder rules (decode.go) and sigs.k8s.io/yaml's key conversion.

const TAG = 'tag:yaml.org,2002:';

class Refusal extends Error {
  constructor(readonly node: YamlNode | undefined, message: string) {
    super(message);
  }
}

function preciseRead(text: string): { value: unknown } | { problem: ReaderProblem; syntax?: boolean } {
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { version: '1.1', schema: 'failsafe', merge: false, uniqueKeys: false, lineCounter, prettyErrors: false });
  } catch (e) {
    return { problem: { line: 1, message: `cannot parse YAML: ${(e as Error).message}` }, syntax: true };
  }
  const error = doc.errors[0];
  if (error) {
    const at = lineCounter.linePos(error.pos[0]);
    return { problem: { line: at.line, column: at.col, message: `invalid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` }, syntax: true };
  }
  const converter = new GoConverter(doc);
  try {
    const value = doc.contents === null ? null : converter.value(doc.contents as YamlNode);
    const flowTag = converter.tagged ? TAG_INTO_FLOW.exec(text) : null;
    if (flowTag) {
      const at = position(text, flowTag.index + flowTag[0].indexOf('!'));
      return { problem: { line: at.line, column: at.column, message: 'a tag followed by a flow indicator (`,` `[` `]` `{` `}`): kubectl\'s YAML reader takes those characters into the tag; put a space after the tag' } };
    }
    return { value };
  } catch (e) {
    if (e instanceof Refusal) {
      const at = e.node?.range ? lineCounter.linePos(e.node.range[0]) : { line: 1, col: 1 };
      return { problem: { line: at.line, column: at.col, message: e.message } };
    }
    if (e instanceof RangeError) return { problem: { line: 1, message: 'YAML nesting is too deep to read' } };
    throw e;
  }
}

/** A mapping key as go-yaml holds it (typed), before sigs.k8s.io/yaml turns it into a JSON key. */
interface GoKey {
  readonly json: string;
  /** Identity of the Go value: `true` (bool) and "true" (string) are different keys in a Go map. */
  readonly id: string;
}

class GoConverter {
  private readonly done = new Map<YamlNode, unknown>();
  private readonly active = new Set<YamlNode>();
  /** True once a tagged node was read: the text is then checked for tags that go-yaml reads further. */
  tagged = false;
  /** The Go identity of each key of a converted mapping, so merges carry it along. */
  private readonly keyIds = new WeakMap<object, Map<string, string>>();

  constructor(private readonly doc: YamlPackage.Document.Parsed) {}

  value(node: YamlNode): unknown {
    const target = this.deref(node);
    if (this.done.has(target)) return this.done.get(target);
    if (this.active.has(target)) throw new Refusal(node, 'an alias refers to a node that contains it (a recursive document); kubectl fails on it');
    this.active.add(target);
    const value = this.convert(target);
    this.active.delete(target);
    this.done.set(target, value);
    return value;
  }

  private deref(node: YamlNode): YamlNode {
    if (!isAlias(node)) return node;
    checkAnchorName(node, (node as Alias).source);
    const target = (node as Alias).resolve(this.doc);
    if (!target) throw new Refusal(node, `alias *${(node as Alias).source} refers to no anchor`);
    return target as YamlNode;
  }

  private convert(node: YamlNode): unknown {
    if (node.anchor !== undefined) checkAnchorName(node, node.anchor);
    if (node.tag !== undefined) this.tagged = true;
    if (isScalar(node)) return this.scalar(node);
    const tag = node.tag;
    if (tag !== undefined && tag !== '!' && (tag.startsWith(TAG) ? !['map', 'seq'].includes(tag.slice(TAG.length)) : false)) {
      // !!set, !!omap, !!pairs, or !!str on a collection: rare, and not modelled here.
      throw new Refusal(node, `tag !!${tag.slice(TAG.length)} on a collection is not read the same way by kubectl and this checker; remove the tag`);
    }
    if (isSeq(node)) return node.items.map((item) => this.value(item as YamlNode));
    if (isMap(node)) return this.mapping(node);
    throw new Refusal(node, 'unsupported YAML node');
  }

  private scalar(node: Scalar): unknown {
    const text = String(node.value ?? '');
    const tag = node.tag;
    if (tag === undefined || tag === '!') {
      // Quoted, literal and folded scalars are strings; so is a plain scalar with the non-specific tag `!`.
      if (node.type !== 'PLAIN' || tag === '!') return text;
      const scalar = resolveGoScalar(text);
      const unsafe = unsafeScalarReason(text, scalar);
      if (unsafe) throw new Refusal(node, unsafe);
      // `<<` as a value is the string "<<" to go-yaml.
      return scalar.kind === 'str' || scalar.kind === 'merge' ? text : goScalarValue(scalar);
    }
    if (!tag.startsWith(TAG)) return text; // go-yaml ignores tags it does not know (`!foo 010` is "010")
    const name = tag.slice(TAG.length);
    if (name === 'str') return text;
    if (name === 'timestamp') return text; // go-yaml keeps timestamps as the text they were written as
    if (name === 'int' || name === 'float' || name === 'bool') {
      // An explicit tag resolves the text like a plain scalar, whatever its quoting, and must agree.
      const scalar = resolveGoScalar(text);
      const unsafe = unsafeScalarReason(text, scalar);
      if (unsafe) throw new Refusal(node, unsafe);
      if (scalar.kind === name || (name === 'float' && scalar.kind === 'int')) return goScalarValue(scalar);
      throw new Refusal(node, `\`!!${name} ${clip(text)}\` is not a ${name} to kubectl (it fails on it)`);
    }
    if (name === 'binary') return this.binary(node, text);
    throw new Refusal(node, `tag !!${name} is not read the same way by kubectl and this checker; remove the tag`);
  }

  private binary(node: Scalar, text: string): string {
    // go-yaml decodes !!binary with base64.StdEncoding; the bytes become a JSON string. Only exact, UTF-8 data
    // is read here: other bytes would be replaced by kubectl in ways not modelled.
    const data = text.replace(/[\r\n]/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0) throw new Refusal(node, 'a !!binary value that is not valid base64; kubectl fails on it');
    const bytes = Buffer.from(data, 'base64');
    const decoded = bytes.toString('utf8');
    if (!Buffer.from(decoded, 'utf8').equals(bytes)) throw new Refusal(node, 'a !!binary value whose bytes are not UTF-8 text; kubectl would alter them, so it is refused');
    return decoded;
  }

  private mapping(node: YamlNode & { items: { key: unknown; value: unknown }[] }): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const ids = new Map<string, string>();
    const explicit = new Set<string>();
    const set = (key: GoKey, value: unknown, at: YamlNode | undefined, merged: boolean) => {
      const previous = ids.get(key.json);
      if (previous !== undefined && previous !== key.id) {
        throw new Refusal(at, `two different keys both become the JSON key "${clip(key.json)}" (e.g. 1 and "1", or yes and true); kubectl keeps one of them at random`);
      }
      if (!merged) {
        // kubectl keeps the last of two equal keys; this checker refuses them, as it always has: one is a mistake.
        if (explicit.has(key.id)) throw new Refusal(at, `duplicated mapping key "${clip(key.json)}" (kubectl keeps the last one); remove one of them`);
        explicit.add(key.id);
      }
      ids.set(key.json, key.id);
      // Merged keys override what came before, later keys override them (go-yaml v2).
      Object.defineProperty(out, key.json, { value, enumerable: true, writable: true, configurable: true });
    };
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const valueNode = pair.value as YamlNode | null;
      if (keyNode && this.isMerge(keyNode)) {
        // go-yaml v2 merges in place: merged keys override the keys before `<<`, later keys override them.
        for (const [key, value, at] of this.mergeSources(valueNode, keyNode)) set(key, value, at, true);
        continue;
      }
      const key = this.key(keyNode, pair);
      set(key, valueNode ? this.value(valueNode) : null, keyNode ?? undefined, false);
    }
    this.keyIds.set(out, ids);
    return out;
  }

  private isMerge(keyNode: YamlNode): boolean {
    const node = this.deref(keyNode);
    if (!isScalar(node) || node.value !== '<<') return false;
    if (node.tag === `${TAG}merge`) return true;
    return node.type === 'PLAIN' && (node.tag === undefined || node.tag === '!');
  }

  /** The pairs a merge key brings, in the order go-yaml v2 applies them. */
  private mergeSources(valueNode: YamlNode | null, at: YamlNode): Array<[GoKey, unknown, YamlNode]> {
    const fail = () => new Refusal(at, 'a merge key `<<` needs a mapping or a list of mappings as its value; kubectl fails on this one');
    if (!valueNode) throw fail();
    const target = this.deref(valueNode);
    const pairsOf = (mapNode: YamlNode): Array<[GoKey, unknown, YamlNode]> => {
      const mapTarget = this.deref(mapNode);
      if (!isMap(mapTarget)) throw fail();
      // The merged mapping is decoded on its own first (its own merges resolved), then copied in.
      const merged = this.value(mapNode) as Record<string, unknown>;
      const ids = this.keyIds.get(merged);
      return Object.keys(merged).map((k) => [{ json: k, id: ids?.get(k) ?? `str:${k}` }, merged[k], mapNode]);
    };
    if (isMap(target)) return pairsOf(valueNode);
    if (isSeq(target)) {
      // go-yaml applies the list from the last mapping to the first, so the first one wins.
      const items = target.items as YamlNode[];
      const result: Array<[GoKey, unknown, YamlNode]> = [];
      for (let i = items.length - 1; i >= 0; i--) for (const entry of pairsOf(items[i])) result.push(entry);
      return result;
    }
    throw fail();
  }

  private key(keyNode: YamlNode | null, pair: unknown): GoKey {
    if (!keyNode) return this.nullKey(pair);
    const value = this.value(keyNode);
    if (typeof value === 'string') return { json: value, id: `str:${value}` };
    if (typeof value === 'boolean') return { json: String(value), id: `bool:${value}` };
    if (typeof value === 'number' && Number.isInteger(value) && isIntKey(this.deref(keyNode))) return { json: String(value), id: `int:${value}` };
    if (value === null) return this.nullKey(keyNode);
    throw new Refusal(keyNode, typeof value === 'number'
      ? 'a number key that is a float: kubectl writes it as a 32-bit float (e.g. 123456789.5 becomes "1.2345679e+08"); quote the key'
      : 'a mapping or list used as a key; kubectl fails on it');
  }

  private nullKey(at: unknown): never {
    throw new Refusal(at as YamlNode, 'a null (or empty) mapping key; kubectl fails on it');
  }
}

/** go-yaml (libyaml) anchor names: letters, digits, `_` and `-`; YAML 1.2 parsers take more into the name. */
function checkAnchorName(node: YamlNode, name: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new Refusal(node, `anchor or alias name "${clip(name)}": kubectl's YAML reader ends a name at the first character that is not a letter, digit, _ or -; rename it`);
  }
}

/**
 * A tag token that runs into a flow indicator: libyaml reads `,[]{}` as part of a tag, YAML 1.2 parsers stop.
 * Verbatim tags (`!<...>`) are delimited alike by both.
 */
const TAG_INTO_FLOW = /(?:^|[\s[{,])!(?!<)\S*?[,[\]{}]/m;

function isIntKey(node: YamlNode): boolean {
  if (!isScalar(node)) return false;
  const text = String(node.value ?? '');
  const scalar = resolveGoScalar(text);
  return scalar.kind === 'int' || (node.tag === `${TAG}int`);
}
