/**
 * Safe synthesis: the YAML cdk8s writes for an object must read back, the way kubectl reads it (go-yaml v2,
 * YAML 1.1), as exactly the JSON that was judged. cdk8s writes YAML 1.2-minded text: U+2028 / U+2029 / U+0085
 * stay raw (line breaks to kubectl), `0o17`, `09` and a `<<` key stay unquoted (a number and a merge key to
 * kubectl). Such objects are refused with the construct path, the JSON path and the fix.
 *
 * Cost: only objects holding a string that could be at risk (anything outside printable ASCII, or text that
 * go-yaml would resolve to a non-string when unquoted) are written and read back; the rest is one walk.
 */
import { ApiObject, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { readYamlChunk, splitYamlStream } from '../core/yaml-reader';
import { resolveGoScalar } from '../core/yaml11';

/** Where the written YAML reads back differently, and what kubectl would get there. */
export interface YamlMismatch {
  /** JSON path of the first difference (`metadata.labels.team`, `spec.containers[0].env[0].value`). */
  readonly path: string;
  readonly message: string;
}

/** undefined when kubectl reads cdk8s' YAML for `object` as `object`; else the first difference. */
export function yamlMismatch(object: unknown): YamlMismatch | undefined {
  if (!atRisk(object)) return undefined;
  const text = Yaml.stringify(object);
  const raw = RAW_BREAK.exec(text);
  if (raw) {
    // cdk8s writes the character as is: whatever the quoting, kubectl reads a line break there.
    const path = firstPathWith(object, raw[0], '') ?? '';
    return { path, message: `${describeAt(object, path)} is written with a raw ${NAMED[raw[0]]}, which kubectl's YAML reader (YAML 1.1) reads as a line break` };
  }
  const split = splitYamlStream(text);
  const read = split.chunks.length === 1 && split.problems.length === 0 ? readYamlChunk(split.chunks[0].text) : undefined;
  if (!read || 'problem' in read || read.ignored) {
    const path = firstRiskyPath(object, '') ?? '';
    const reason = read && 'problem' in read ? read.problem.message : 'kubectl would not read it as one object';
    return { path, message: `${describeAt(object, path)} is written as YAML that kubectl cannot read as written (${reason})` };
  }
  const path = firstDifference(object, read.value, '');
  if (path === undefined) return undefined;
  return { path, message: `${describeAt(object, path)} is written as YAML that kubectl reads as ${show(valueAt(read.value, path))}` };
}

/** The error text for a mismatch: construct path, object, JSON path, why, and the fix. */
export function yamlMismatchError(constructPath: string, object: { kind?: unknown; metadata?: unknown }, mismatch: YamlMismatch): string {
  const name = (object.metadata as { name?: unknown } | undefined)?.name;
  return (
    `[${constructPath}] ${String(object.kind)}/${String(name)} ${mismatch.path || '(object)'}: ${mismatch.message}, ` +
    'so the cluster would get something other than what was checked. Fix: remove line separators (U+2028, U+2029, U+0085) ' +
    'and byte order marks from the value, do not use "<<" as a key, and avoid strings that YAML 1.1 reads as numbers or booleans (e.g. 0o17, 09, 1e3).'
  );
}

/** Printable ASCII only: cdk8s' quoting of such text is read the same by YAML 1.1 and 1.2. */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

function riskyString(s: string): boolean {
  return !PLAIN_ASCII.test(s) || s === '<<' || resolveGoScalar(s).kind !== 'str';
}

function atRisk(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (riskyString(node)) return true;
    } else if (typeof node === 'number') {
      if (!Number.isFinite(node) || (Number.isInteger(node) && !Number.isSafeInteger(node))) return true;
    } else if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (riskyString(key)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

const RAW_BREAK = /[\u2028\u2029\u0085]/;

function firstPathWith(value: unknown, char: string, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(char) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstPathWith(item, char, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key.includes(char)) return join(path, key);
      const found = firstPathWith(child, char, join(path, key));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function firstRiskyPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return riskyString(value) ? path : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = firstRiskyPath(item, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (riskyString(key)) return join(path, key);
      const found = firstRiskyPath(child, join(path, key));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** JSON path of the first place where `read` differs from `written` (undefined in written counts as null). */
function firstDifference(written: unknown, read: unknown, path: string): string | undefined {
  if (written === undefined) written = null;
  if (Array.isArray(written)) {
    if (!Array.isArray(read)) return path;
    for (let i = 0; i < Math.max(written.length, read.length); i++) {
      const found = firstDifference(written[i], read[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (written !== null && typeof written === 'object') {
    if (read === null || typeof read !== 'object' || Array.isArray(read)) return path;
    const readObject = read as Record<string, unknown>;
    for (const key of Object.keys(written)) {
      if (!Object.prototype.hasOwnProperty.call(readObject, key)) return join(path, key);
      const found = firstDifference((written as Record<string, unknown>)[key], readObject[key], join(path, key));
      if (found !== undefined) return found;
    }
    for (const key of Object.keys(readObject)) if (!Object.prototype.hasOwnProperty.call(written, key)) return join(path, key);
    return undefined;
  }
  return Object.is(written, read) || (written === 0 && read === 0) ? undefined : path;
}

function join(path: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

function valueAt(value: unknown, path: string): unknown {
  if (path === '') return value;
  const steps = path.match(/\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g) ?? [];
  let node = value;
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = step.startsWith('[') ? (step.startsWith('["') ? JSON.parse(step.slice(1, -1)) : Number(step.slice(1, -1))) : step.replace(/^\./, '');
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function describeAt(object: unknown, path: string): string {
  const key = path.match(/\["((?:[^"\\]|\\.)*)"\]$|\.?([A-Za-z_$][\w$-]*)$/);
  const value = valueAt(object, path);
  const keyText = key ? (key[1] !== undefined ? JSON.parse(`"${key[1]}"`) : key[2]) : undefined;
  if (keyText !== undefined && riskyString(keyText) && typeof value !== 'string') return `the key ${show(keyText)}`;
  return `the value ${show(value)}`;
}

const NAMED: Record<string, string> = { '\u2028': 'U+2028', '\u2029': 'U+2029', '\u0085': 'U+0085', '\ufeff': 'U+FEFF' };

function show(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  const text = JSON.stringify(value) ?? String(value);
  const clipped = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return clipped.replace(/[\u2028\u2029\u0085\ufeff]/g, (c) => `<${NAMED[c]}>`);
}

/**
 * Adds a synth validation to a library construct: every ApiObject under it must read back as written.
 * Validations run on `app.synth()` and `cdk8s synth`.
 */
export function guardSynthYaml(scope: IConstruct): void {
  scope.node.addValidation({
    validate: () => {
      const errors: string[] = [];
      for (const child of scope.node.findAll()) {
        if (!ApiObject.isApiObject(child)) continue;
        let object;
        try {
          object = child.toJson();
        } catch {
          continue; // a hardened workload below reports its own refusal
        }
        const mismatch = yamlMismatch(object);
        if (mismatch) errors.push(yamlMismatchError(child.node.path, object, mismatch));
      }
      return errors;
    },
  });
}

/** Checks an ApiObject each time it serializes (no extra serialization, unlike a validation). */
export function guardSerialization(apiObject: ApiObject): void {
  const serialize = apiObject.toJson.bind(apiObject);
  apiObject.toJson = () => {
    const object = serialize();
    const mismatch = yamlMismatch(object);
    if (mismatch) throw new Error(yamlMismatchError(apiObject.node.path, object, mismatch));
    return object;
  };
}
