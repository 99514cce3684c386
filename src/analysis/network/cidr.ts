/**
 * IPv4 and IPv6 CIDR blocks as integer ranges, for ipBlock peers (`cidr` minus `except`).
 */

/** A parsed CIDR: address family and the inclusive range of addresses it covers. */
export interface CidrRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
  /** Canonical text as written by the user (trimmed). */
  readonly text: string;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256n + BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'));
  let head = groupsOf(halves[0]);
  let tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
  const expandV4 = (groups: string[]) => {
    const last = groups[groups.length - 1];
    if (last && last.includes('.')) {
      const v4 = parseIpv4(last);
      if (v4 === undefined) return undefined;
      return [...groups.slice(0, -1), (v4 / 65536n).toString(16), (v4 % 65536n).toString(16)];
    }
    return groups;
  };
  if (halves.length === 2) {
    const t = expandV4(tail);
    if (!t) return undefined;
    tail = t;
  } else {
    const h = expandV4(head);
    if (!h) return undefined;
    head = h;
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = value * 65536n + BigInt(parseInt(group, 16));
  }
  return value;
}

/** Parses `10.0.0.0/8` or `2001:db8::/32`; undefined when the text is not a CIDR. */
export function parseCidr(text: string): CidrRange | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return undefined;
  const address = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const family: 4 | 6 = address.includes(':') ? 6 : 4;
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const value = family === 4 ? parseIpv4(address) : parseIpv6(address);
  if (value === undefined) return undefined;
  const size = 2n ** BigInt(bits - prefix);
  const first = value - (value % size);
  const last = first + size - 1n;
  return { family, first, last, prefix, text: trimmed };
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: CidrRange, inner: CidrRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** True when the two ranges share at least one address. */
export function cidrOverlaps(a: CidrRange, b: CidrRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** True when some address of `target` lies in `block` and outside every `except` range. */
export function blockReaches(block: CidrRange, except: readonly CidrRange[], target: CidrRange): boolean {
  if (!cidrOverlaps(block, target)) return false;
  const lo = block.first > target.first ? block.first : target.first;
  const hi = block.last < target.last ? block.last : target.last;
  // Walk the overlap [lo, hi] and skip the excepted ranges; any gap left is reachable.
  const holes = except
    .filter((e) => e.family === block.family && e.first <= hi && lo <= e.last)
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let cursor = lo;
  for (const hole of holes) {
    if (hole.first > cursor) return true;
    if (hole.last >= cursor) cursor = hole.last + 1n;
    if (cursor > hi) return false;
  }
  return cursor <= hi;
}
