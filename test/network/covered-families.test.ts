/**
 * Property test of the ipBlock union (issue 12) against an independent oracle: CIDR blocks are either nested or
 * disjoint, so a set covers its address family exactly when the sizes of its maximal blocks add up to the whole space.
 */
import * as fc from 'fast-check';
import { parseCidr } from '../../src/analysis/network/cidr';
import { coveredFamilies } from '../../src/rules/network/policy-facts';

const v4 = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 4 })).map(([value, prefix]) => {
  const size = 2 ** (32 - prefix);
  const first = Math.floor(value / size) * size;
  return `${[3, 2, 1, 0].map((k) => Math.floor(first / 256 ** k) % 256).join('.')}/${prefix}`;
});

function oracleCovers(cidrs: string[]): boolean {
  const blocks = cidrs.map((c) => parseCidr(c)!);
  // A block inside another (or a repeat of an earlier one) adds no address.
  const inside = (b: typeof blocks[0], i: number) =>
    blocks.some((o, j) => j !== i && o.first <= b.first && b.last <= o.last && (o.prefix < b.prefix || j < i));
  const maximal = blocks.filter((b, i) => !inside(b, i));
  return maximal.reduce((sum, b) => sum + (b.last - b.first + 1n), 0n) === 2n ** 32n;
}

test('coveredFamilies agrees with the nested-or-disjoint oracle on random IPv4 prefix sets', () => {
  let covering = 0;
  fc.assert(
    fc.property(fc.array(v4, { minLength: 1, maxLength: 12 }), (cidrs) => {
      const expected = oracleCovers(cidrs);
      if (expected) covering++;
      expect(coveredFamilies(cidrs.map((cidr) => ({ ipBlock: { cidr } }))).some((c) => c.family === 4)).toBe(expected);
    }),
    { numRuns: 500, seed: 20261201 },
  );
  // Both verdicts occur, so the agreement is not agreement on "never covers".
  expect(covering).toBeGreaterThan(20);
  expect(covering).toBeLessThan(480);
});
