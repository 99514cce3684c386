import { App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { Hardening, HardenedInclude } from '../../src';
import { checkObjects } from '../../src/engine/engine';
import { validateK8sObjects } from '../util/k8s-schema';

/**
 * Proof of issue 15: third-party-style manifests (test/fixtures/adopt, written for the suite) brought in with
 * HardenedInclude + Hardening.harden pass the checker except the items listed per fixture, validate against the
 * Kubernetes schemas, and synthesize byte-identically twice.
 */
function build(file: string, waive?: (include: HardenedInclude) => void): { yaml: string; objects: any[] } {
  const app = new App({ outdir: '/tmp/cdk8s-hardened-adopt' });
  const chart = new Chart(app, 'adopt', { labels: { 'hardened.cdk8s.io/owner': 'team-platform' } });
  const include = new HardenedInclude(chart, 'vendor', { url: `test/fixtures/adopt/${file}` });
  Hardening.harden(chart, { defaultDenyNetworkPolicies: true });
  waive?.(include);
  const text = app.synthYaml();
  return { yaml: text, objects: (yaml.loadAll(text) as any[]).filter((o) => o !== null) };
}

/** Remaining findings as `rule kind/name`, sorted. */
function remaining(objects: any[]): string[] {
  const result = checkObjects(objects.map((object) => ({ object })), {});
  expect(result.problems).toEqual([]);
  return [...new Set(result.findings.map((f) => `${f.ruleId} ${f.kind}/${f.name}`))].sort();
}

// What harden cannot decide for the team, listed so that a new gap shows up as a test failure: a namespace's
// LimitRange and ResourceQuota (sizes are the team's call: a LockedNamespace creates both), and what the vendor
// chose explicitly (a cluster-wide binding).
const NAMESPACE_SETUP = (workload: string) => [`ns-limit-range ${workload}`, `ns-resource-quota ${workload}`];

describe('adopting third-party manifests with Hardening.harden', () => {
  const cases: Array<{ file: string; expected: string[]; waive?: (include: HardenedInclude) => void }> = [
    { file: 'multi-service.yaml', expected: NAMESPACE_SETUP('Deployment/frontend') },
    {
      file: 'operator.yaml',
      expected: [...NAMESPACE_SETUP('Deployment/backup-operator'), 'rbac-cluster-wide-binding ClusterRoleBinding/backup-operator'].sort(),
    },
    {
      file: 'daemonset-agent.yaml',
      expected: NAMESPACE_SETUP('DaemonSet/log-agent'),
      waive: (include) => {
        for (const rule of ['pod-host-path-volumes', 'pod-restricted-volumes']) {
          Hardening.addWaiverTo(include, 'DaemonSet', 'log-agent', rule, 'the agent ships the node logs under /var/log (read-only)');
        }
      },
    },
    { file: 'cronjob.yaml', expected: NAMESPACE_SETUP('CronJob/nightly-report') },
    { file: 'helm-rendered.yaml', expected: NAMESPACE_SETUP('Deployment/release-metrics') },
  ];

  for (const { file, expected, waive } of cases) {
    test(`${file}: passes the checker except the listed items, validates, and is byte-identical on a second run`, () => {
      const first = build(file, waive);
      expect(remaining(first.objects)).toEqual(expected);
      validateK8sObjects(first.objects);
      expect(build(file, waive).yaml).toBe(first.yaml);
    });
  }

  test('without harden the same manifests fail the pod rules (so harden is what makes them pass)', () => {
    const app = new App({ outdir: '/tmp/cdk8s-hardened-adopt' });
    const chart = new Chart(app, 'plain');
    new HardenedInclude(chart, 'vendor', { url: 'test/fixtures/adopt/multi-service.yaml' });
    const rules = remaining(yaml.loadAll(app.synthYaml()) as any[]).map((r) => r.split(' ')[0]);
    expect(rules).toEqual(expect.arrayContaining(['pod-read-only-root-filesystem', 'pod-run-as-non-root', 'pod-seccomp-restricted', 'pod-capabilities-restricted', 'pod-default-service-account']));
  });
});
