import fc from 'fast-check';
import { blockReaches, cidrContains, parseCidr } from '../../src/analysis/network/cidr';
import { PortSet } from '../../src/analysis/network/port-set';
import { compileSelector } from '../../src/core/label-selector';

describe('CIDR', () => {
  test('parses IPv4 and IPv6 and normalises host bits', () => {
    const v4 = parseCidr('10.1.2.3/8')!;
    expect([v4.family, v4.prefix, v4.first, v4.last]).toEqual([4, 8, 0x0a000000n, 0x0affffffn]);
    const v6 = parseCidr('2001:db8::/32')!;
    expect(v6.first).toBe(0x20010db8n * 2n ** 96n);
    expect(parseCidr('::ffff:10.0.0.1/128')!.first).toBe(0xffff0a000001n);
    expect(parseCidr('::/0')!.last).toBe(2n ** 128n - 1n);
    for (const bad of ['10.0.0.0', '10.0.0.256/8', '10.0.0.0/33', '1::2::3/64', 'fe80::/129', 'x/1', '1:2:3:4:5:6:7:8:9/64']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });

  test('containment and except', () => {
    const block = parseCidr('10.0.0.0/8')!;
    expect(cidrContains(block, parseCidr('10.244.0.0/16')!)).toBe(true);
    expect(cidrContains(block, parseCidr('11.0.0.0/16')!)).toBe(false);
    const pods = parseCidr('10.244.0.0/16')!;
    expect(blockReaches(block, [], pods)).toBe(true);
    expect(blockReaches(block, [parseCidr('10.244.0.0/17')!, parseCidr('10.244.128.0/17')!], pods)).toBe(false);
    expect(blockReaches(block, [parseCidr('10.244.0.0/17')!], pods)).toBe(true);
    expect(blockReaches(block, [], parseCidr('2001:db8::/32')!)).toBe(false);
  });
});

describe('PortSet', () => {
  const range = fc.tuple(fc.constantFrom('TCP' as const, 'UDP' as const), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 10 }));
  const toSet = (ranges: Array<[ 'TCP' | 'UDP', number, number ]>) => ranges.reduce((s, [p, from, len]) => s.union(PortSet.range(p, from, from + len)), PortSet.empty());
  const members = (set: PortSet) => new Set(set.ranges().flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, i) => `${r.protocol}/${r.from + i}`)));
  const brute = (ranges: Array<[string, number, number]>) => new Set(ranges.flatMap(([p, from, len]) => Array.from({ length: len + 1 }, (_, i) => `${p}/${from + i}`)));

  test('union and intersection agree with plain sets', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 6 }), fc.array(range, { maxLength: 6 }), (a, b) => {
        const union = members(toSet(a).union(toSet(b)));
        expect(union).toEqual(new Set([...brute(a), ...brute(b)]));
        const bruteB = brute(b);
        expect(members(toSet(a).intersect(toSet(b)))).toEqual(new Set([...brute(a)].filter((x) => bruteB.has(x))));
      }),
    );
  });

  test('all and empty', () => {
    expect(PortSet.all().isAll()).toBe(true);
    expect(PortSet.all().intersect(PortSet.range('UDP', 53)).ranges()).toEqual([{ protocol: 'UDP', from: 53, to: 53 }]);
    expect(PortSet.range('TCP', 5, 4).isEmpty()).toBe(true);
  });
});

describe('label selectors', () => {
  test('canonical text and key ignore order', () => {
    const problems: string[] = [];
    const a = compileSelector('networkPolicyPodSelector', { matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 't', operator: 'In', values: ['y', 'x'] }] }, problems, 'a');
    const b = compileSelector('networkPolicyPodSelector', { matchExpressions: [{ key: 't', operator: 'In', values: ['x', 'y'] }], matchLabels: { a: '1', b: '2' } }, problems, 'b');
    expect(a.text).toBe('a=1,b=2,t in (x,y)');
    expect(a.key).toBe(b.key);
    expect(compileSelector('networkPolicyPodSelector', {}, problems, 'c').matchesAll).toBe(true);
    expect(problems).toEqual([]);
  });

  test('malformed selectors match nothing and say why', () => {
    const problems: string[] = [];
    expect(compileSelector('networkPolicyPodSelector', { matchLabels: { a: 1 } }, problems, 'x').matches({ a: '1' })).toBe(false);
    expect(compileSelector('networkPolicyPodSelector', { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['v'] }] }, problems, 'y').matches({ a: 'v' })).toBe(false);
    expect(compileSelector('networkPolicyPodSelector', 'app=web', problems, 'z').matches({})).toBe(false);
    expect(problems).toEqual([
      'x: matchLabels.a must be a string',
      expect.stringContaining('y: matchExpressions[0] is not a valid requirement'),
      'z: a label selector must be an object',
    ]);
  });
});
