/**
 * Lists, read the way kubectl reads them: one function shared by the file loader (CLI, plugin) and
 * `Hardening.enforce`, so that a list is judged identically wherever it comes from.
 *
 * Measured with `kubectl annotate --local -f FILE x=y -o json` (kubectl 1.32): any document whose `items` is an
 * array is a list whatever its kind (`kind: ConfigMap` with `items: [<Pod>]` applies only the Pod, the ConfigMap
 * itself is never sent); `items: null` is an empty list; `items` of any other type, an item that is not a mapping,
 * and a list inside a list (an item whose `items` is an array) are errors for the whole file. A kind ending in `List` without `items` is an ordinary object.
 */
import { isObject } from './json';

/** What a document holds: the objects kubectl would apply, and why some of it cannot be applied. */
export interface ListExpansion {
  /** The document itself (not a list), or the list's items that are mappings, with their index in `items`. */
  readonly objects: readonly { readonly value: unknown; readonly index?: number }[];
  /** Set when the document is a list (any kind): its kind, for messages. */
  readonly listKind?: string;
  /** Why parts of the document cannot be applied (kubectl refuses them), one message each. */
  readonly problems: readonly string[];
}

/** True when kubectl reads the value as a list: a mapping with an `items` key. */
export function isListDocument(value: unknown): value is Record<string, unknown> & { items: unknown } {
  return isObject(value) && Object.prototype.hasOwnProperty.call(value, 'items');
}

/** Expands a document into the objects kubectl applies from it. */
export function expandList(value: unknown): ListExpansion {
  if (!isListDocument(value)) return { objects: [{ value }], problems: [] };
  const listKind = typeof value.kind === 'string' && value.kind !== '' ? value.kind : '(no kind)';
  const items = value.items;
  if (items === null || items === undefined) return { objects: [], listKind, problems: [] };
  if (!Array.isArray(items)) {
    return {
      objects: [],
      listKind,
      problems: [`${listKind} has an "items" key, so kubectl reads it as a list, but items is ${describe(items)}, not a list of objects (kubectl refuses the file)`],
    };
  }
  const objects: { value: unknown; index: number }[] = [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    if (!isObject(item)) {
      problems.push(`${listKind} items[${index}] is ${describe(item)}, not an object (kubectl refuses the file)`);
    } else if (Array.isArray(item.items)) {
      // kubectl does not flatten a list inside a list: it fails with "is not a list" (an item's other `items` is data).
      problems.push(`${listKind} items[${index}] is itself a list (its items is an array); kubectl refuses a list inside a list: move its items up`);
    } else {
      objects.push({ value: item, index });
    }
  });
  return { objects, listKind, problems };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}
