import * as fs from 'fs';
import * as path from 'path';
import { allClusterSettings, CIS_NOT_COVERED, cisCoverage, renderCisCoverage } from '../../src/constructs/cluster/cis-coverage';
import { KUBEADM_IMPLICIT_COVERAGE } from '../../src/constructs/cluster/control-plane-config';
import { CIS_BENCHMARK_VERSIONS, CIS_ITEMS, findCisItem } from '../../src/core/cis';
import { ALL_RULES } from '../../src/rules';

describe('CIS traceability', () => {
  test('docs/cis-coverage.md is up to date', () => {
    const file = path.join(__dirname, '..', '..', 'docs', 'cis-coverage.md');
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (committed !== renderCisCoverage()) {
      throw new Error('docs/cis-coverage.md is stale: run `npx tsx scripts/cis-coverage.ts` and commit the result');
    }
  });

  test('the benchmark table is v1.10 sections 1 to 5 with unique ids', () => {
    const ids = CIS_ITEMS.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(130);
    expect(findCisItem('1.2.29')?.title).toBe('Ensure that the API Server only makes use of Strong Cryptographic Ciphers');
    expect(findCisItem('5.2.13')?.title).toBe('Minimize the admission of containers which use HostPorts');
    expect(findCisItem('5.7.4')?.title).toBe('The default namespace should not be used');
    expect(findCisItem('1.2.30')).toBeUndefined(); // a v1.11+ item
  });

  test('every CIS id the code names exists in the benchmark version', () => {
    const named = [
      ...allClusterSettings().flatMap((s) => s.cis),
      ...KUBEADM_IMPLICIT_COVERAGE.map((c) => c.cis),
      ...Object.keys(CIS_NOT_COVERED),
      // every area's rules use the same benchmark version
      ...ALL_RULES.flatMap((r) => (r.references.cis ?? '').split(/[\s,;]+/).filter((id) => id !== '')),
    ];
    expect(named.filter((id) => !findCisItem(id))).toEqual([]);
  });

  test('every item is either covered or says why not, never both', () => {
    for (const c of cisCoverage()) {
      const covered = c.settings.length > 0 || c.implicit !== undefined || c.rules.length > 0;
      expect({ id: c.item.id, covered, reason: c.notCovered !== undefined }).toEqual({ id: c.item.id, covered, reason: !covered });
    }
    // an explicit reason for an item that is covered would be stale
    const covered = new Set(cisCoverage().filter((c) => !c.notCovered).map((c) => c.item.id));
    expect(Object.keys(CIS_NOT_COVERED).filter((id) => covered.has(id))).toEqual([]);
  });

  test('sections 1, 2 and 4 are covered wherever a file setting can cover them', () => {
    const coverage = cisCoverage();
    const notCovered = coverage.filter((c) => c.notCovered && /^(1\.[234]|2|4\.2)\./.test(c.item.id)).map((c) => c.item.id);
    expect(notCovered).toEqual(['1.2.9', '4.2.7']);
    // each setting names a reason
    for (const s of allClusterSettings()) expect(s.reason.length).toBeGreaterThan(20);
  });

  test('a rule from another area referencing a policies item covers it', () => {
    const fake = { ...ALL_RULES[0], id: 'rbac-test', references: { cis: '5.1.3, 5.1.8' } };
    const coverage = cisCoverage([fake]);
    expect(coverage.find((c) => c.item.id === '5.1.3')?.rules).toEqual(['rbac-test']);
    expect(cisCoverage([]).find((c) => c.item.id === '5.1.8')?.notCovered).toBe('No catalog rule references this item yet.');
    expect(coverage.find((c) => c.item.id === '5.1.8')?.notCovered).toBeUndefined();
  });

  describe('per benchmark version', () => {
    const v112 = CIS_BENCHMARK_VERSIONS.find((b) => b.kubeBenchProfile === 'cis-1.12')!;
    const item = (id: string) => v112.items.find((i) => i.id === id);

    test('v1.12 (kube-bench cis-1.12, Kubernetes 1.32 to 1.34) comes first and renumbers section 5', () => {
      expect(CIS_BENCHMARK_VERSIONS.map((b) => b.kubeBenchProfile)).toEqual(['cis-1.12', 'cis-1.10']);
      const ids = v112.items.map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(131);
      expect(item('1.2.30')?.title).toBe('Ensure that the --service-account-extend-token-expiration parameter is set to false');
      expect(item('4.2.14')?.title).toBe('Ensure that the --seccomp-default parameter is set to true');
      expect(item('5.2.9')?.title).toBe('Minimize the admission of containers with capabilities assigned');
      expect(item('5.2.12')?.title).toBe('Minimize the admission of containers which use HostPorts');
      expect(item('5.2.13')).toBeUndefined();
      expect(item('5.6.4')?.title).toBe('The default namespace should not be used');
      expect(item('5.1.1')?.assessment).toBe('manual');
      expect([v112.fromV110('5.2.9'), v112.fromV110('5.2.13'), v112.fromV110('5.7.1'), v112.fromV110('1.2.29'), v112.fromV110('9.9')]).toEqual([undefined, '5.2.12', '5.6.1', '1.2.29', undefined]);
    });

    test('a rule referencing a v1.10 item covers the same item under its v1.12 number', () => {
      const fake = { ...ALL_RULES[0], id: 'pod-test', references: { cis: '5.2.13, 5.2.9' } };
      const coverage = cisCoverage([fake], v112);
      expect(coverage.find((c) => c.item.id === '5.2.12')?.rules).toEqual(['pod-test']);
      expect(coverage.filter((c) => c.rules.includes('pod-test')).map((c) => c.item.id)).toEqual(['5.2.12']);
    });

    test('items only v1.12 numbers are covered by the settings and rules of their table rows', () => {
      const coverage = cisCoverage(ALL_RULES, v112);
      const of = (id: string) => coverage.find((c) => c.item.id === id)!;
      expect(of('1.2.30').settings.map((s) => s.setting)).toEqual(['--service-account-extend-token-expiration']);
      expect(of('1.2.30').rules).toContain('cluster-apiserver-authentication');
      expect(of('4.2.14').settings.map((s) => s.setting)).toEqual(['seccompDefault']);
      expect(of('4.2.14').rules).toContain('cluster-kubelet-node-protections');
      const notCovered = coverage.filter((c) => c.notCovered && /^(1\.[234]|2|4\.2)\./.test(c.item.id)).map((c) => c.item.id);
      expect(notCovered).toEqual(['1.2.9', '4.2.7']);
      expect(renderCisCoverage()).toContain('## CIS Kubernetes Benchmark v1.12.0');
    });
  });
});
