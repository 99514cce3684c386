import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import { fromYaml } from '../network/yaml';
import { problemsBesidesTypeErrors } from '../util/problems';

const NS_RULES = ALL_RULES.filter((r) => r.area === 'namespace' || r.area === 'network').map((r) => r.id);

/** A tenant namespace with every control, written by hand as plain YAML. */
const LOCKED = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: v1.27
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/audit-version: v1.27
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/warn-version: v1.27
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
---
apiVersion: v1
kind: ResourceQuota
metadata: { name: quota, namespace: shop }
spec: { hard: { pods: "20" } }
---
apiVersion: v1
kind: LimitRange
metadata: { name: limits, namespace: shop }
spec: { limits: [{ type: Container, max: { cpu: "1" } }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: api, image: api }] }
`;

const run = (text: string, completeSet = true) =>
  checkObjects(fromYaml(text), { rules: NS_RULES, settings: { completeSet } });
const ids = (text: string, completeSet = true) => run(text, completeSet).findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`);

describe('namespace rules on plain YAML', () => {
  test('a fully locked namespace has no findings', () => {
    const result = run(LOCKED);
    expect(result.findings).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  test('each missing control is reported on the Namespace', () => {
    const bare = LOCKED.split('---').filter((doc) => !/kind: (NetworkPolicy|ResourceQuota|LimitRange)/.test(doc)).join('---')
      .replace(/ {4}pod-security[^\n]*\n/g, '')
      .replace('  labels:\n', '  labels: {}\n');
    expect(ids(bare)).toEqual([
      'net-workload-not-selected Deployment/api spec.template.metadata.labels',
      'ns-default-deny-egress Namespace/shop metadata',
      'ns-default-deny-ingress Namespace/shop metadata',
      'ns-limit-range Namespace/shop metadata',
      ...['enforce', 'audit', 'warn'].flatMap((mode) => [
        `ns-pod-security-labels Namespace/shop metadata.labels["pod-security.kubernetes.io/${mode}"]`,
        `ns-pod-security-labels Namespace/shop metadata.labels["pod-security.kubernetes.io/${mode}-version"]`,
      ]).sort(),
      'ns-resource-quota Namespace/shop metadata',
    ]);
  });

  test('PSA: a weaker level or version latest is reported, with what is wrong', () => {
    const weak = LOCKED.replace('enforce: restricted', 'enforce: baseline').replace('warn-version: v1.27', 'warn-version: latest');
    expect(run(weak).findings.map((f) => f.message)).toEqual([
      'pod-security.kubernetes.io/enforce is "baseline", not "restricted"',
      'pod-security.kubernetes.io/warn-version is "latest", not a pinned version like v1.30',
    ]);
  });

  test('a default deny for one direction only leaves the other reported', () => {
    const ingressOnly = LOCKED.replace('policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress]');
    expect(ids(ingressOnly)).toEqual(['ns-default-deny-egress Namespace/shop metadata']);
    // Selecting only some pods is not a namespace default.
    const partial = LOCKED.replace('spec: { podSelector: {}, policyTypes', 'spec: { podSelector: { matchLabels: { app: api } }, policyTypes');
    expect(ids(partial)).toEqual(['ns-default-deny-egress Namespace/shop metadata', 'ns-default-deny-ingress Namespace/shop metadata']);
  });

  test('without a Namespace object the finding lands on the first workload of the namespace', () => {
    const noNamespace = LOCKED.split('---').filter((doc) => !/kind: (Namespace|ResourceQuota)\n/.test(doc)).join('---');
    expect(ids(noNamespace)).toEqual(['ns-resource-quota Deployment/api metadata.namespace']);
  });

  test('absence is not judged on a partial set (completeSet false)', () => {
    const only = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec: { template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: a, image: a }] } } }
`;
    expect(ids(only, false)).toEqual([]);
    expect(ids(only)).toEqual([
      'net-workload-not-selected Deployment/api spec.template.metadata.labels',
      'ns-default-deny-egress Deployment/api metadata.namespace',
      'ns-default-deny-ingress Deployment/api metadata.namespace',
      'ns-limit-range Deployment/api metadata.namespace',
      'ns-resource-quota Deployment/api metadata.namespace',
    ]);
  });

  test('workloads without a namespace are judged as members of default', () => {
    const text = LOCKED.replace(/namespace: shop/g, 'namespace: default').replace('name: shop', 'name: default')
      .replace('metadata: { name: api, namespace: default }', 'metadata: { name: api }');
    expect(ids(text)).toEqual(['ns-default-namespace Deployment/api metadata.namespace']);
    expect(run(text).findings[0].message).toBe('no namespace is set, so the workload lands in "default"');
  });

  test('a waiver on the Namespace covers its namespace-level finding', () => {
    const waived = LOCKED.replace('enforce: restricted', 'enforce: baseline').replace(
      '  name: shop\n',
      '  name: shop\n  annotations:\n    hardened.cdk8s.io/waivers: \'[{"ruleId":"ns-pod-security-labels","reason":"legacy app needs baseline until Q3"}]\'\n',
    );
    const result = run(waived);
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => f.ruleId)).toEqual(['ns-pod-security-labels']);
  });

  test('malformed objects never make a rule throw', () => {
    const junk = `
apiVersion: v1
kind: Namespace
metadata: { name: x, labels: [1, 2] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: x }
spec: { podSelector: 7, policyTypes: Ingress, ingress: {}, egress: [{ to: 3 }, 5] }
---
apiVersion: v1
kind: Service
metadata: { name: s, namespace: x }
spec: 12
`;
    const result = run(junk);
    expect(problemsBesidesTypeErrors(fromYaml(junk), result)).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).toContain('ns-pod-security-labels');
  });
});
