/**
 * V8 tiering for the CLI process. A scan runs each of about 80 rules once over each object: with Node's default
 * interrupt budget V8 optimizes (TurboFan, on a second thread) a few hundred rule and helper functions after a
 * few thousand calls each, and compiling them costs more CPU than the rest of the scan saves. Eight times the
 * budget leaves those in the interpreter and baseline code, while the YAML parser and the engine's loops, which
 * run millions of times, are optimized all the same. Measured on 10,000 objects: about 210 ms CPU less of 1,450
 * (docs/benchmarks.md). Tiering changes only speed, never results. Only the CLI sets it: the library and the
 * cdk8s plugin run inside the user's process, whose V8 settings are not theirs to change.
 *
 * Importing this module applies it (lib/cli/main.js imports it before anything else).
 */
import { setFlagsFromString } from 'v8';

/** Node 20's default interrupt budget (V8 11.3), in bytes of bytecode run between tier-up decisions. */
const DEFAULT_INTERRUPT_BUDGET = 66 * 1024;

/** The budget of a scan. */
export const SCAN_INTERRUPT_BUDGET = 8 * DEFAULT_INTERRUPT_BUDGET;

/** The V8 flags the CLI sets on itself: none when the node command line chose a budget already. */
export function tieringFlags(execArgv: readonly string[]): string[] {
  if (execArgv.some((arg) => arg === '--interrupt-budget' || arg.startsWith('--interrupt-budget='))) return [];
  return [`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`];
}

for (const flag of tieringFlags(process.execArgv)) setFlagsFromString(flag);
