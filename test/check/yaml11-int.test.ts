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
});
