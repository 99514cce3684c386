/**
 * Defensive readers for untrusted JSON. Rules read YAML written by anyone: a field may be missing or of
 * the wrong type, and a check must then judge what is there instead of throwing.
 */

/** A JSON object (never an array or null). */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or an empty object when it is anything else. */
export function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** The value as an array, or an empty array when it is anything else. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value when it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value when it is a finite number, else undefined. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Reads a nested field (`get(obj, 'spec', 'template')`), undefined when any step is missing. */
export function get(value: unknown, ...keys: Array<string | number>): unknown {
  let current = value;
  // Index loops here and in asStringMap: these run for every field a rule reads, mostly before V8 optimizes
  // them, and for-of allocates an iterator result per step there.
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isObject(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

/** String-valued entries of a map (labels, annotations, nodeSelector); other values are ignored. */
export function asStringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  const object = asObject(value);
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i++) {
    const v = object[keys[i]];
    if (typeof v === 'string') result[keys[i]] = v;
  }
  return result;
}

/** Joins JSON path segments: `joinPath('spec', 'containers[0]')` is `spec.containers[0]`. */
export function joinPath(...segments: Array<string | undefined>): string {
  return segments.filter((s): s is string => s !== undefined && s !== '').join('.');
}
