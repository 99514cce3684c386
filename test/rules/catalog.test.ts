/**
 * Invariants of the whole rule catalog: stable, well-formed ids, complete metadata, and exactly one rule per
 * upstream Pod Security Standards check.
 */
import { readdirSync, readFileSync, existsSync } from 'fs';
import * as path from 'path';
import { describedRuleIds, RULE_FIXTURES, ruleFixtureIds } from './rule-tests';
import { Severity } from '../../src/core/types';
import { ALL_RULES, findRule } from '../../src/rules';
import { POD_RULES } from '../../src/rules/pod';
import { WORKLOAD_KINDS } from '../../src/rules/rule';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Areas whose ids use a short prefix (`ns-default-deny-ingress`, `net-allow-all`); every other area prefixes its own name. */
const ID_PREFIX: Record<string, string> = { namespace: 'ns', network: 'net' };

/** Every upstream check id (policy version v1.37) and its level. */
const PSS_CHECKS: Record<string, 'baseline' | 'restricted'> = {
  hostNamespaces: 'baseline',
  privileged: 'baseline',
  capabilities_baseline: 'baseline',
  hostPathVolumes: 'baseline',
  hostPorts: 'baseline',
  hostProbesAndHostLifecycle: 'baseline',
  appArmorProfile: 'baseline',
  seLinuxOptions: 'baseline',
  procMount: 'baseline',
  seccompProfile_baseline: 'baseline',
  sysctls: 'baseline',
  windowsHostProcess: 'baseline',
  restrictedVolumes: 'restricted',
  allowPrivilegeEscalation: 'restricted',
  runAsNonRoot: 'restricted',
  runAsUser: 'restricted',
  seccompProfile_restricted: 'restricted',
  capabilities_restricted: 'restricted',
  procMount_restricted: 'restricted',
};

describe('rule catalog', () => {
  test('ids are unique, kebab-case and prefixed with their area', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(KEBAB);
      expect(rule.area).toMatch(KEBAB);
      expect({ id: rule.id, prefixed: rule.id.startsWith(`${ID_PREFIX[rule.area] ?? rule.area}-`) }).toEqual({ id: rule.id, prefixed: true });
      expect(findRule(rule.id)).toBe(rule);
    }
  });

  test('every rule has a title, rationale, remediation, kinds and at least one reference', () => {
    for (const rule of ALL_RULES) {
      expect({ id: rule.id, title: rule.title.length > 10 }).toEqual({ id: rule.id, title: true });
      expect({ id: rule.id, rationale: rule.rationale.trim().length > 20, remediation: rule.remediation.trim().length > 20 }).toEqual({
        id: rule.id,
        rationale: true,
        remediation: true,
      });
      expect(rule.kinds.length).toBeGreaterThan(0);
      expect(Object.values(Severity)).toContain(rule.severity);
      expect(['baseline', 'restricted']).toContain(rule.level);
      const references = Object.entries(rule.references).filter(([, v]) => v !== undefined && (!Array.isArray(v) || v.length > 0));
      expect({ id: rule.id, references: references.length > 0 }).toEqual({ id: rule.id, references: true });
    }
  });

  test('overrides name existing rules of a lower level in the same area', () => {
    for (const rule of ALL_RULES) {
      for (const id of rule.overrides ?? []) {
        const overridden = findRule(id);
        expect(overridden).toBeDefined();
        expect(overridden!.level).toBe('baseline');
        expect(rule.level).toBe('restricted');
      }
    }
  });

  test('every Pod Security Standards check has exactly one rule, at the check level', () => {
    for (const [check, level] of Object.entries(PSS_CHECKS)) {
      const rules = ALL_RULES.filter((r) => r.references.pss === check);
      expect({ check, rules: rules.map((r) => r.id).length }).toEqual({ check, rules: 1 });
      expect({ check, level: rules[0].level }).toEqual({ check, level });
    }
    const unknown = ALL_RULES.filter((r) => r.references.pss !== undefined && !(r.references.pss in PSS_CHECKS));
    expect(unknown).toEqual([]);
  });

  test('pod rules: one file per rule named after the id, every file in the index', () => {
    const dir = path.join(__dirname, '../../src/rules/pod');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'support.ts');
    expect(files.map((f) => `pod-${f.replace(/\.ts$/, '')}`).sort()).toEqual(POD_RULES.map((r) => r.id).sort());
    for (const rule of POD_RULES) {
      const file = path.join(dir, `${rule.id.replace(/^pod-/, '')}.ts`);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain(`id: '${rule.id}'`);
      expect(rule.area).toBe('pod');
      expect(rule.kinds.every((k) => WORKLOAD_KINDS.includes(k))).toBe(true);
    }
  });

  test('every rule has its tests: a describe named by its id, or a fixture folder with fail.yaml and pass.yaml', () => {
    const described = describedRuleIds();
    const folders = new Set(ruleFixtureIds());
    const missing = ALL_RULES.filter((r) => !described.has(r.id) && !folders.has(r.id)).map((r) =>
      `${r.id}: no test names it. Add describe('${r.id}', ...) with a failing and a passing case, or test/fixtures/rules/${r.id}/fail.yaml and pass.yaml`);
    expect(missing).toEqual([]);
    const incomplete = [...folders].flatMap((id) => ['fail.yaml', 'pass.yaml'].filter((f) => !existsSync(path.join(RULE_FIXTURES, id, f))).map((f) => `test/fixtures/rules/${id}/${f} is missing`));
    expect(incomplete).toEqual([]);
    expect([...folders].filter((id) => !findRule(id)).map((id) => `test/fixtures/rules/${id}: no rule with that id`)).toEqual([]);
  });
});
