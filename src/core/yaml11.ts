/**
 * How kubectl resolves a YAML scalar: the rules of go-yaml v2 (sigs.k8s.io/yaml), which kubectl uses to turn a
 * manifest into the JSON it sends. Written from go-yaml v2's resolve.go and checked against kubectl itself
 * (test/check/yaml-parity.test.ts). YAML 1.1 flavoured: `yes`/`on`/`y` are booleans, `010` is octal, `_` is
 * ignored in numbers, `0b`/`0o`/`0x` prefixes, and timestamps stay strings.
 */

/** What a plain scalar is to kubectl. `unsafe` marks values JSON in JavaScript cannot carry exactly. */
export type GoScalar =
  | { readonly kind: 'str' }
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: number; readonly unsafe?: string }
  | { readonly kind: 'float'; readonly value: number; readonly unsafe?: string }
  | { readonly kind: 'merge' };

const STR: GoScalar = { kind: 'str' };
const NULL: GoScalar = { kind: 'null' };
const TRUE: GoScalar = { kind: 'bool', value: true };
const FALSE: GoScalar = { kind: 'bool', value: false };

/** go-yaml v2's resolveMap: the exact spellings it maps to a value (case matters: `yEs` is a string). */
const WORDS: ReadonlyMap<string, GoScalar> = new Map<string, GoScalar>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE'].map((w) => [w, TRUE] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE'].map((w) => [w, FALSE] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((w) => [w, NULL] as const),
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, { kind: 'float', value: NaN, unsafe: 'NaN' }] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w) => [w, { kind: 'float', value: Infinity, unsafe: '+Inf' }] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, { kind: 'float', value: -Infinity, unsafe: '-Inf' }] as const),
  ['<<', { kind: 'merge' }],
] as [string, GoScalar][]);

/** go-yaml's resolveTable: the first characters (other than digits, signs and `.`) that can start a non-string. */
const WORD_START: ReadonlySet<number> = new Set([...'yYnNtTfFoO~<'].map((c) => c.charCodeAt(0)));
/** The longest word that starts with one of them (`false`): longer text is a string without a lookup. */
const LONGEST_WORD = Math.max(...[...WORDS.keys()].filter((w) => WORD_START.has(w.charCodeAt(0))).map((w) => w.length));

/** go-yaml v2's yamlStyleFloat: the float spellings it hands to strconv.ParseFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What strconv.ParseFloat accepts for a scalar that starts with `.` (not in the word table). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
/** strconv.ParseInt(s, 0, 64) syntax: sign, then 0x / 0o / 0b / leading-0 octal / decimal. */
const GO_INT = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
/** Largest finite float64; strconv.ParseFloat fails (and go-yaml keeps a string) beyond it. */
const FLOAT64_MAX = Number.MAX_VALUE;

/** Resolves a plain (unquoted, untagged) scalar as go-yaml v2 does. */
export function resolveGoScalar(text: string): GoScalar {
  const first = text.charCodeAt(0);
  const isDigit = first >= 0x30 && first <= 0x39;
  const isSign = first === 0x2b || first === 0x2d;
  if (!isDigit && !isSign && first !== 0x2e) {
    if (text === '') return NULL;
    return WORD_START.has(first) && text.length <= LONGEST_WORD ? WORDS.get(text) ?? STR : STR;
  }
  const word = WORDS.get(text);
  if (word) return word;
  if (first === 0x2e) {
    return DOT_FLOAT.test(text) ? float(Number(text), text) : STR;
  }
  if (!isDigit && !isSign) return STR;
  // Ports, replicas and ids: up to 15 decimal digits without a leading zero are exact doubles, read without a regex.
  if (isDigit && text.length <= 15 && (first !== 0x30 || text.length === 1) && allDigits(text)) return { kind: 'int', value: Number(text) };
  // Digits and signs: timestamps (they stay strings), then int, uint, float; `_` is dropped first.
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  const int = parseGoInt(plain);
  if (int) return int;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Math.abs(value) <= FLOAT64_MAX) return float(value, text);
  }
  return STR;
}

function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function float(value: number, text: string): GoScalar {
  return { kind: 'float', value, ...(Number.isFinite(value) ? {} : { unsafe: text }) };
}

function parseGoInt(plain: string): GoScalar | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const [, sign, hex, octal, binary, leadingZeroOctal, decimal] = m;
  // Most integers in manifests (ports, replicas, ids) are short decimals: at most 15 digits are exact as a
  // double and far inside int64, so BigInt (an allocation per scalar) is only needed for the rest.
  if (decimal !== undefined && decimal.length <= 15) return { kind: 'int', value: sign === '-' ? -Number(decimal) : Number(decimal) };
  // More than 64 significant binary digits is beyond uint64 in any base; BigInt would be slow on huge text.
  const digits = (hex ?? octal ?? binary ?? leadingZeroOctal ?? decimal ?? '').replace(/^0+/, '');
  if (digits.length > 64) return undefined;
  let magnitude: bigint;
  if (hex !== undefined) magnitude = BigInt(`0x${hex}`);
  else if (octal !== undefined) magnitude = BigInt(`0o${octal}`);
  else if (binary !== undefined) magnitude = BigInt(`0b${binary}`);
  else if (leadingZeroOctal !== undefined) magnitude = leadingZeroOctal === '' ? 0n : BigInt(`0o${leadingZeroOctal}`);
  else magnitude = BigInt(decimal);
  const negative = sign === '-';
  // ParseInt takes int64; failing that ParseUint takes an unsigned uint64; beyond both it is no int at all.
  if (negative ? magnitude > INT64_MAX + 1n : magnitude > (sign === '+' ? INT64_MAX : UINT64_MAX)) return undefined;
  const big = negative ? -magnitude : magnitude;
  const value = Number(big);
  if (!Number.isSafeInteger(value)) return { kind: 'int', value, unsafe: big.toString() };
  return { kind: 'int', value: value === 0 ? 0 : value };
}

/** The JSON value of a resolved scalar, or undefined for a string / merge key. */
export function goScalarValue(scalar: GoScalar): unknown {
  switch (scalar.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'int':
    case 'float':
      return scalar.value;
    default:
      return undefined;
  }
}

/** Why kubectl (or JSON) cannot carry a scalar exactly, for an input problem; undefined when it can. */
export function unsafeScalarReason(text: string, scalar: GoScalar): string | undefined {
  if ((scalar.kind === 'int' || scalar.kind === 'float') && scalar.unsafe !== undefined) {
    if (!Number.isFinite(scalar.value)) {
      return `\`${text}\` is ${scalar.unsafe} to kubectl's YAML reader, which JSON cannot hold (kubectl fails on it)`;
    }
    return `\`${text}\` is the integer ${scalar.unsafe} to kubectl, beyond what this checker can read exactly (2^53); quote it if it is meant as a string`;
  }
  return undefined;
}
