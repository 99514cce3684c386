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

/** What `everyContainer` judges: a condition on each container `c`, and the problem of a container that breaks it. */
export interface ContainerCheck {
  /** CEL over one container `c`: true when the container is acceptable. */
  readonly ok: string;
  /** What is wrong with a container that is not (`runs privileged`). */
  readonly problem: string;
  /** CEL that passes the whole pod (Windows pods, user namespaces, ...). */
  readonly unless?: string;
  /** The containers judged. @default 'variables.allContainers' */
  readonly containers?: string;
}

/**
 * A validation that every container passes `ok`; when one does not, the message names the failing containers
 * (`a container runs privileged: app, debug`).
 */
export function everyContainer(check: ContainerCheck): { expression: string; message: string; messageExpression: string } {
  const containers = check.containers ?? 'variables.allContainers';
  const all = `${containers}.all(c, ${check.ok})`;
  return {
    expression: check.unless ? `${check.unless} || ${all}` : all,
    message: `a container ${check.problem}`,
    messageExpression: `${celString(`a container ${check.problem}: `)} + ${containers}.filter(c, !(${check.ok})).map(c, c.name).join(', ')`,
  };
}
