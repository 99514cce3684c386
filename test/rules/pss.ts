/**
 * The upstream Pod Security Standards fixtures (kubernetes/pod-security-admission, test/testdata/<level>/v1.37),
 * shared by the pod-rule agreement test and the admission agreement test.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import type { Level } from '../../src/check/types';

export interface FixtureEntry {
  readonly file: string;
  readonly level: Level;
  readonly expect: 'pass' | 'fail';
  readonly check: string | null;
}

/**
 * The fixtures live in `shared/fixtures/pss` beside the repository: `/work/shared` for /work/main and the
 * worktrees under /work/wt, `<dir>/shared` for a CI clone at `<dir>/main`. Walk up from this file to find them.
 */
export function fixturesDir(): string {
  const fromEnv = process.env.PSS_FIXTURES_DIR;
  if (fromEnv) return fromEnv;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'fixtures', 'pss');
    if (existsSync(path.join(candidate, 'index.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`shared/fixtures/pss/index.json not found above ${__dirname} (set PSS_FIXTURES_DIR)`);
    dir = parent;
  }
}
