/** The message of the error `run` throws; fails the test when it throws nothing (a synth that should have refused). */
export function synthError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}
