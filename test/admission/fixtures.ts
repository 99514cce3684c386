/** Locating the upstream Pod Security Standards fixtures and wrapping a fixture pod as workload templates. */
import { existsSync } from 'fs';
import * as path from 'path';
import type { K8sObject, Level } from '../../src/check/types';

export interface FixtureEntry {
  readonly file: string;
  readonly level: Level;
  readonly expect: 'pass' | 'fail';
  readonly check: string | null;
}

/** `shared/fixtures/pss` beside the repository (walk up from this file), or PSS_FIXTURES_DIR. */
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

function template(pod: K8sObject): Record<string, unknown> {
  const metadata = (pod.metadata ?? {}) as Record<string, unknown>;
  return { metadata: { ...metadata, labels: { ...(metadata.labels as object), app: 'x' } }, spec: pod.spec };
}

/** The pod as the template of a Deployment. */
export function deploymentOf(pod: K8sObject): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: (pod.metadata as any)?.name ?? 'x' },
    spec: { selector: { matchLabels: { app: 'x' } }, template: template(pod) },
  };
}

/** The pod as the job template of a CronJob. */
export function cronJobOf(pod: K8sObject): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: (pod.metadata as any)?.name ?? 'x' },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: template(pod) } } },
  };
}
