/**
 * Validators built from the openAPIV3Schema of real CRDs copied into test/fixtures/crds (provenance in the
 * SOURCES.md beside them), so generated custom resources are checked against what the API server would accept.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as yaml from 'js-yaml';

/** A copied upstream fixture under test/fixtures. */
export function fixture(relative: string): string {
  return path.join(__dirname, '..', 'fixtures', relative);
}

/** The validator of one served version of the CRD in `file` (relative to test/fixtures). */
export function crdValidator(file: string, version: string): ValidateFunction {
  const crd = yaml.load(fs.readFileSync(fixture(file), 'utf8')) as any;
  const served = crd.spec.versions.find((v: any) => v.name === version);
  if (!served) throw new Error(`${file} has no version ${version}`);
  // Go's inline case-insensitive flag `(?i)` is JavaScript's `i` flag.
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    code: { regExp: ((pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags))) as any },
  });
  addFormats(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  return ajv.compile(served.schema.openAPIV3Schema);
}
