import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as yaml from 'js-yaml';

/** A copied upstream fixture under test/fixtures (provenance in the SOURCES.md beside it). */
export function fixture(relative: string): string {
  return path.join(__dirname, '..', 'fixtures', relative);
}

/** Validator for PrometheusRule built from the real prometheus-operator CRD. */
export function prometheusRuleValidator() {
  const crd = yaml.load(fs.readFileSync(fixture('crds/prometheus-operator-prometheusrules.crd.yaml'), 'utf8')) as any;
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

