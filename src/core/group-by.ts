/** Grouping into a Map of lists: keys keep first-seen order, items keep input order. Linear in the items. */

/** Adds an item to the list of its key (in a Map, or a WeakMap keyed by objects). */
export function addToGroup<K, T>(groups: { get(key: K): T[] | undefined; set(key: K, value: T[]): unknown }, key: K, item: T): void {
  const list = groups.get(key);
  if (list) list.push(item);
  else groups.set(key, [item]);
}

/** Groups items by a key. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) addToGroup(groups, key(item), item);
  return groups;
}
