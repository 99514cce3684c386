/** Problems of an engine run, apart from the type errors of inputs a test made malformed on purpose. */
import type { CheckInput, CheckResult, InputProblem } from '../../src/core/types';
import { shapeProblems } from '../../src/engine/shape';

/**
 * The problems of `result` other than the engine's shape errors of `inputs` (those are asserted by
 * test/check/shape*.test.ts). A rule that could not evaluate an input is one of them, so "no rule throws"
 * tests assert that this list is empty.
 */
export function problemsBesidesTypeErrors(inputs: readonly CheckInput[], result: CheckResult): InputProblem[] {
  const typeErrors = new Set(inputs.flatMap(shapeProblems).map((p) => p.message));
  return result.problems.filter((p) => !typeErrors.has(p.message));
}
