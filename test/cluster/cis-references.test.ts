import { CIS_BENCHMARK_VERSIONS, cisReferencesByVersion, formatCisReferences, splitCisIds } from '../../src/core/cis';
import { renderCatalog } from '../../src/report/catalog';
import { buildSarif } from '../../src/report/sarif';
import { ALL_RULES } from '../../src/rules';
import type { Rule } from '../../src/rules/rule';

const ruleById = (id: string): Rule => {
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
};
const withCis = ALL_RULES.filter((r) => r.references.cis || r.references.cisLater);

describe('a rule references its CIS item in every benchmark version it exists in', () => {
  test('every referenced item exists in the table of each version it is printed for', () => {
    expect(withCis.length).toBeGreaterThan(40);
    for (const rule of withCis) {
      const byVersion = cisReferencesByVersion(rule.references);
      expect(byVersion.length).toBeGreaterThan(0);
      for (const v of byVersion) {
        const table = CIS_BENCHMARK_VERSIONS.find((b) => b.version === v.version)!;
        const known = new Set(table.items.map((i) => i.id));
        for (const id of v.items) {
          if (!known.has(id)) throw new Error(`${rule.id}: CIS ${id} is not an item of ${v.version}`);
        }
      }
      // The v1.10 numbers are exactly what the rule writes (backward compatible `references.cis`).
      const v110 = byVersion.find((v) => v.version === 'v1.10.0');
      expect([...(v110?.items ?? [])].sort()).toEqual([...splitCisIds(rule.references.cis)].sort());
    }
  });

  test('a rule is printed for every version that has one of its items', () => {
    for (const rule of withCis) {
      const printed = cisReferencesByVersion(rule.references).map((v) => v.version);
      for (const b of CIS_BENCHMARK_VERSIONS) {
        const has = splitCisIds(rule.references.cis).some((id) => b.fromV110(id) !== undefined)
          || (b.numbersLaterItems && splitCisIds(rule.references.cisLater).length > 0);
        expect([rule.id, printed.includes(b.version)]).toEqual([rule.id, has]);
      }
    }
  });

  test('section 5 follows the v1.12 renumbering; items v1.12 dropped are printed for v1.10 only', () => {
    expect(formatCisReferences(ruleById('ns-default-namespace').references)).toBe('CIS 1.12: 5.6.4 · CIS 1.10: 5.7.4');
    expect(formatCisReferences(ruleById('pod-capabilities-restricted').references)).toBe('CIS 1.12: 5.2.8, 5.2.9 · CIS 1.10: 5.2.8, 5.2.10');
    expect(formatCisReferences(ruleById('pod-capabilities-baseline').references)).toBe('CIS 1.10: 5.2.9');
    expect(formatCisReferences(ruleById('rbac-no-wildcard').references)).toBe('CIS 1.12: 5.1.3 · CIS 1.10: 5.1.3');
    expect(formatCisReferences({})).toBeUndefined();
  });

  test('items only v1.12 numbers come from the settings tables onto the rules that own the rows', () => {
    const auth = cisReferencesByVersion(ruleById('cluster-apiserver-authentication').references);
    expect(auth.find((v) => v.version === 'v1.12.0')?.items).toContain('1.2.30');
    expect(auth.find((v) => v.version === 'v1.10.0')?.items ?? []).not.toContain('1.2.30');
    const kubelet = cisReferencesByVersion(ruleById('cluster-kubelet-node-protections').references);
    expect(kubelet.find((v) => v.version === 'v1.12.0')?.items).toContain('4.2.14');
    expect(kubelet.find((v) => v.version === 'v1.10.0')?.items ?? []).not.toContain('4.2.14');
  });

  test('an item the benchmark does not have is an error naming it, not a silent gap', () => {
    expect(() => cisReferencesByVersion({ cis: '5.1.3, 5.9.9' })).toThrow(/CIS reference 5\.9\.9 is not an item of CIS Kubernetes Benchmark v1\.10\.0/);
    expect(() => cisReferencesByVersion({ cisLater: '5.1.3' })).toThrow(/5\.1\.3 in references\.cisLater is not an item only later benchmark versions add \(1\.2\.30, 4\.2\.14\)/);
  });
});

describe('rendering', () => {
  const rule = ruleById('ns-default-namespace');

  test('docs/rules.md names the item of every version', () => {
    expect(renderCatalog([rule], 'markdown')).toContain('- CIS Kubernetes Benchmark: CIS 1.12: 5.6.4 · CIS 1.10: 5.7.4\n');
  });

  test('the JSON catalog keeps references.cis and adds the items per version', () => {
    const [entry] = JSON.parse(renderCatalog([rule], 'json'));
    expect(entry.references.cis).toBe('5.7.4');
    expect(entry.cisBenchmarks).toEqual([
      { version: 'v1.12.0', kubeBenchProfile: 'cis-1.12', items: ['5.6.4'] },
      { version: 'v1.10.0', kubeBenchProfile: 'cis-1.10', items: ['5.7.4'] },
    ]);
  });

  test('SARIF rule descriptors carry a tag per version and item, and the items per version', () => {
    const noCis = ALL_RULES.find((r) => !r.references.cis && !r.references.cisLater)!;
    const log = buildSarif({ result: { findings: [], waived: [], problems: [], objectCount: 0, rulesRun: [rule.id, noCis.id] }, inputs: [], rules: [rule, noCis], toolVersion: '0.0.0' });
    const [descriptor, plain] = log.runs[0].tool.driver.rules!;
    expect(descriptor.properties?.tags).toEqual(['security', 'kubernetes', rule.area, 'CIS-1.12/5.6.4', 'CIS-1.10/5.7.4']);
    expect(descriptor.properties?.cis).toEqual({ 'v1.12.0': ['5.6.4'], 'v1.10.0': ['5.7.4'] });
    expect(plain.properties?.tags).toEqual(['security', 'kubernetes', noCis.area]);
    expect(plain.properties).not.toHaveProperty('cis');
  });
});
