import { SCAN_INTERRUPT_BUDGET, tieringFlags } from '../../src/cli/tiering';

describe('CLI V8 tiering', () => {
  test('the CLI raises the interrupt budget to eight times the default', () => {
    expect(SCAN_INTERRUPT_BUDGET).toBe(8 * 66 * 1024);
    expect(tieringFlags([])).toEqual([`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`]);
    expect(tieringFlags(['--max-old-space-size=4096'])).toEqual(['--interrupt-budget=540672']);
  });

  test('a budget given on the node command line wins', () => {
    expect(tieringFlags(['--interrupt-budget=1000'])).toEqual([]);
    expect(tieringFlags(['--interrupt-budget', '1000'])).toEqual([]);
  });
});
