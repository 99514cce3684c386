/**
 * Agreement with the upstream Pod Security Standards fixtures (kubernetes/pod-security-admission,
 * test/testdata/<level>/v1.37): every fixture gets the verdict upstream expects at its level, from the
 * catalog's PSS rules alone, and a rejected fixture is reported by the rule of the check it exercises.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { FixtureEntry, fixturesDir } from './pss';
import type { K8sObject, Level } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import type { Rule } from '../../src/rules/rule';

const FIXTURES = fixturesDir();
const ENTRIES: FixtureEntry[] = JSON.parse(readFileSync(path.join(FIXTURES, 'index.json'), 'utf8'));
const PSS_CATALOG: readonly Rule[] = ALL_RULES.filter((rule) => rule.references.pss !== undefined);

/** The rule that must report a fixture of `check` at `level`: at restricted an overriding rule takes the place of the one it overrides. */
function expectedRule(check: string, level: Level): Rule {
  const rule = PSS_CATALOG.find((r) => r.references.pss === check);
  if (!rule) throw new Error(`no rule has references.pss = ${check}`);
  if (level === 'baseline') return rule;
  return PSS_CATALOG.find((r) => r.overrides?.includes(rule.id)) ?? rule;
}

/** The fixture's pod as the template of a Deployment: pod rules must judge a template exactly like a Pod. */
function asDeployment(pod: K8sObject): K8sObject {
  const metadata = pod.metadata as Record<string, unknown>;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: metadata.name },
    spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { ...metadata, labels: { app: 'x' } }, spec: pod.spec } },
  };
}

function load(file: string): K8sObject {
  return yaml.load(readFileSync(path.join(FIXTURES, file), 'utf8')) as K8sObject;
}

describe('Pod Security Standards fixtures (v1.37)', () => {
  test('the index lists all 148 fixtures, each a file on disk', () => {
    expect(ENTRIES).toHaveLength(148);
    for (const entry of ENTRIES) expect(existsSync(path.join(FIXTURES, entry.file))).toBe(true);
  });

  test('the PSS catalog has one rule per upstream check and the four restricted overrides', () => {
    const checks = new Set(ENTRIES.flatMap((e) => (e.check ? [e.check] : [])));
    expect([...checks].sort()).toEqual(PSS_CATALOG.map((r) => r.references.pss).sort());
    const overrides = PSS_CATALOG.flatMap((r) => (r.overrides ?? []).map((o) => `${r.references.pss}>${PSS_CATALOG.find((x) => x.id === o)?.references.pss}`));
    expect(overrides.sort()).toEqual([
      'capabilities_restricted>capabilities_baseline',
      'procMount_restricted>procMount',
      'restrictedVolumes>hostPathVolumes',
      'seccompProfile_restricted>seccompProfile_baseline',
    ]);
  });

  test.each(ENTRIES.map((e) => [e.file, e] as const))('%s', (file, entry) => {
    const result = checkObjects([{ object: load(file) }], { level: entry.level, catalog: PSS_CATALOG });
    expect(result.problems).toEqual([]);
    expect(result.objectCount).toBe(1);
    const reported = [...new Set(result.findings.map((f) => f.ruleId))].sort();
    if (entry.expect === 'pass') {
      expect(result.findings).toEqual([]);
    } else {
      // Some fail fixtures break a second check on purpose (a HostProcess pod needs hostNetwork, a privileged
      // container cannot set allowPrivilegeEscalation: false), so the fixture's rule must be among those reported.
      expect(result.findings.length).toBeGreaterThan(0);
      expect(reported).toContain(expectedRule(entry.check!, entry.level).id);
    }
  });

  test('the same verdicts hold with each fixture as a Deployment pod template', () => {
    const mismatches: string[] = [];
    for (const entry of ENTRIES) {
      const object = asDeployment(load(entry.file));
      const result = checkObjects([{ object }], { level: entry.level, catalog: PSS_CATALOG });
      const verdict = result.findings.length === 0 ? 'pass' : 'fail';
      const paths = result.findings.map((f) => f.path);
      const templated = paths.every((p) => p.startsWith('spec.template.'));
      if (verdict !== entry.expect || !templated || result.problems.length > 0) mismatches.push(`${entry.file}: ${verdict} ${paths.join(', ')}`);
    }
    expect(mismatches).toEqual([]);
  });
});
