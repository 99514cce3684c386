/**
 * Sets of (protocol, port) as sorted, disjoint inclusive intervals per protocol. NetworkPolicy port rules,
 * named ports and endPort ranges all reduce to these, so "what may pass" is a union and "what passes both
 * the source's egress and the destination's ingress" is an intersection.
 */

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

type Interval = readonly [number, number];

export class PortSet {
  /** Every port of every protocol. */
  public static all(): PortSet {
    return new PortSet(new Map(PROTOCOLS.map((p) => [p, [[MIN_PORT, MAX_PORT] as Interval]])));
  }

  public static empty(): PortSet {
    return new PortSet(new Map());
  }

  /** One protocol, one inclusive range (`to` defaults to `from`). */
  public static range(protocol: Protocol, from: number, to: number = from): PortSet {
    if (to < from) return PortSet.empty();
    return new PortSet(new Map([[protocol, [[from, to] as Interval]]]));
  }

  private constructor(private readonly intervals: ReadonlyMap<Protocol, readonly Interval[]>) {}

  public isEmpty(): boolean {
    return this.intervals.size === 0;
  }

  public isAll(): boolean {
    return PROTOCOLS.every((p) => {
      const list = this.intervals.get(p);
      return list !== undefined && list.length === 1 && list[0][0] === MIN_PORT && list[0][1] === MAX_PORT;
    });
  }

  public union(other: PortSet): PortSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const result = new Map<Protocol, Interval[]>();
    for (const protocol of PROTOCOLS) {
      const merged = normalize([...(this.intervals.get(protocol) ?? []), ...(other.intervals.get(protocol) ?? [])]);
      if (merged.length > 0) result.set(protocol, merged);
    }
    return new PortSet(result);
  }

  public intersect(other: PortSet): PortSet {
    const result = new Map<Protocol, Interval[]>();
    for (const protocol of PROTOCOLS) {
      const a = this.intervals.get(protocol) ?? [];
      const b = other.intervals.get(protocol) ?? [];
      const out: Interval[] = [];
      let i = 0;
      let j = 0;
      while (i < a.length && j < b.length) {
        const lo = Math.max(a[i][0], b[j][0]);
        const hi = Math.min(a[i][1], b[j][1]);
        if (lo <= hi) out.push([lo, hi]);
        if (a[i][1] < b[j][1]) i++;
        else j++;
      }
      if (out.length > 0) result.set(protocol, out);
    }
    return new PortSet(result);
  }

  /** The ranges, protocol by protocol in TCP, UDP, SCTP order, ascending. */
  public ranges(): Array<{ protocol: Protocol; from: number; to: number }> {
    const out: Array<{ protocol: Protocol; from: number; to: number }> = [];
    for (const protocol of PROTOCOLS) {
      for (const [from, to] of this.intervals.get(protocol) ?? []) out.push({ protocol, from, to });
    }
    return out;
  }
}

function normalize(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}
