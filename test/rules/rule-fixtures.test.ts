/**
 * Per-rule fixture folders: test/fixtures/rules/<rule-id>/fail.yaml must give at least one finding of that
 * rule, pass.yaml none, both without input problems. Each manifest is the smallest input that exercises the
 * rule (written for this project). Only the rule of the folder runs, at its own level.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { RULE_FIXTURES, ruleFixtureIds } from './rule-tests';
import type { K8sObject } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { findRule } from '../../src/rules';

function judge(id: string, file: string) {
  const rule = findRule(id);
  if (!rule) throw new Error(`test/fixtures/rules/${id}: no rule with that id in the catalog (rename or remove the folder)`);
  const text = fs.readFileSync(path.join(RULE_FIXTURES, id, file), 'utf8');
  const objects = yaml.loadAll(text).filter((d) => d !== null && d !== undefined) as K8sObject[];
  const result = checkObjects(objects.map((object) => ({ object, source: { file: `${id}/${file}` } })), { catalog: [rule], level: rule.level });
  return { result, ofRule: result.findings.filter((f) => f.ruleId === id).map((f) => `${f.kind}/${f.name} ${f.path}: ${f.message}`) };
}

describe.each(ruleFixtureIds())('%s fixtures', (id) => {
  test('fail.yaml is reported', () => {
    const { result, ofRule } = judge(id, 'fail.yaml');
    expect(result.problems).toEqual([]);
    expect(ofRule.length).toBeGreaterThan(0);
  });

  test('pass.yaml passes', () => {
    const { result, ofRule } = judge(id, 'pass.yaml');
    expect(result.problems).toEqual([]);
    expect(ofRule).toEqual([]);
    expect(result.rulesRun).toEqual([id]);
  });
});
