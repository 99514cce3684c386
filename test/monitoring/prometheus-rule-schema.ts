import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as yaml from 'js-yaml';

/**
 * The shared fixtures live beside the repository: `../shared` next to a CI clone, or two levels up from a
 * worktree (`/work/wt/<name>` next to `/work/shared`).
 */
export function sharedFixture(relative: string): string {
  const candidates = [path.resolve(__dirname, '../../../shared', relative), path.resolve(__dirname, '../../../../shared', relative)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`fixture ${relative} not found in ${candidates.join(', ')}`);
  return found;
}

/** Validator for PrometheusRule built from the real prometheus-operator CRD. */
export function prometheusRuleValidator() {
  const crd = yaml.load(fs.readFileSync(sharedFixture('fixtures/crds/prometheus-operator-prometheusrules.crd.yaml'), 'utf8')) as any;
  const schema = crd.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema;
  // The CRD uses Go's inline case-insensitive flag `(?i)`, which JavaScript writes as the `i` flag.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    code: { regExp: ((pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags))) as any },
  });
  addFormats(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  return ajv.compile(schema);
}

