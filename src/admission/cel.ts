/**
 * Small builders for CEL text, so that rules write readable expressions and every field access is guarded:
 * at admission a missing field is an evaluation error, and with failurePolicy Fail an error denies the request.
 */

/** A CEL string literal (single-quoted, with `\` and `'` escaped). */
export function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A CEL list of string literals. */
export function celList(values: Iterable<string>): string {
  return `[${[...values].map(celString).join(', ')}]`;
}

/**
 * True when every field of `path` (dot-separated) is present below `base`: `has(c.a) && has(c.a.b)`.
 * CEL's has() tests only the last field and fails when an earlier one is missing, so each step is tested.
 */
export function present(base: string, path: string): string {
  const fields = path.split('.');
  return fields.map((_, i) => `has(${base}.${fields.slice(0, i + 1).join('.')})`).join(' && ');
}

/** True when the field is present and equal to the CEL literal `literal`. */
export function fieldIs(base: string, path: string, literal: string): string {
  return `${present(base, path)} && ${base}.${path} == ${literal}`;
}

/** The field when present, else the CEL literal `fallback` (`[]`, `{}`, `''`). */
export function fieldOr(base: string, path: string, fallback: string): string {
  return `(${present(base, path)} ? ${base}.${path} : ${fallback})`;
}
