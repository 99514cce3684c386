/**
 * The upstream Pod Security Standards fixtures (kubernetes/pod-security-admission, test/testdata/<level>/v1.37),
 * shared by the pod-rule agreement test and the admission agreement test.
 */
import * as path from 'path';
import type { Level } from '../../src/core/types';

export interface FixtureEntry {
  readonly file: string;
  readonly level: Level;
  readonly expect: 'pass' | 'fail';
  readonly check: string | null;
}

/** The fixtures are copied into the repository (test/fixtures/pss, provenance in its SOURCES.md). */
export function fixturesDir(): string {
  return path.join(__dirname, '..', 'fixtures', 'pss');
}
