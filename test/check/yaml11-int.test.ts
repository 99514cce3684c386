import * as fc from 'fast-check';
import { resolveGoScalar } from '../../src/core/yaml11';

// Short decimals take a path without BigInt; both paths must agree with strconv.ParseInt at every length.
describe('yaml11 decimal integers', () => {
  const digits = '987654321098765432'; // 18 digits: inside int64 with any sign
  for (let length = 1; length <= digits.length; length++) {
    for (const sign of ['', '+', '-']) {
      const text = `${sign}${digits.slice(0, length)}`;
      test(`${text}`, () => {
        const big = BigInt(text.replace('+', ''));
        const value = Number(big);
        const expected = Number.isSafeInteger(value) ? { kind: 'int', value } : { kind: 'int', value, unsafe: big.toString() };
        expect(resolveGoScalar(text)).toEqual(expected);
      });
    }
  }

  test('zero and signed zero are the integer 0', () => {
    for (const text of ['0', '+0', '-0', '00']) expect(Object.is((resolveGoScalar(text) as { value: number }).value, 0)).toBe(true);
  });

  test('underscores are dropped and beyond uint64 is no integer', () => {
    expect(resolveGoScalar('1_000')).toEqual({ kind: 'int', value: 1000 });
    expect(resolveGoScalar('18446744073709551615')).toEqual({ kind: 'int', value: 18446744073709551615, unsafe: '18446744073709551615' });
    expect(resolveGoScalar('18446744073709551616')).toEqual({ kind: 'float', value: 18446744073709551616 });
    expect(resolveGoScalar('-9223372036854775809')).toEqual({ kind: 'float', value: -9223372036854775809 });
  });

  test('fast-check: strings of digits (leading zeros, any length) resolve as strconv would', () => {
    // ParseInt(s, 0, 64): a leading 0 means octal; with an 8 or 9 in it, ParseFloat reads it as a decimal float.
    const oracle = (text: string) => {
      if (/^0[0-7]*$/.test(text)) return { kind: 'int', value: Number(BigInt(`0o${text.slice(1) || '0'}`)) };
      if (text.startsWith('0')) return { kind: 'float', value: Number(text) };
      const big = BigInt(text);
      if (big > 2n ** 64n - 1n) return { kind: 'float', value: Number(text) };
      return Number.isSafeInteger(Number(big)) ? { kind: 'int', value: Number(big) } : { kind: 'int', value: Number(big), unsafe: big.toString() };
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,22}$/), (text) => {
        expect(resolveGoScalar(text)).toEqual(oracle(text));
      }),
      { numRuns: 5_000 },
    );
  });
});
