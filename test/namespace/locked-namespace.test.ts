import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LockedNamespace } from '../../src/constructs/locked-namespace';
import { PodSecurityLevel } from '../../src/constructs/pod-security-level';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import { validateK8sObjects as validateAll } from '../util/k8s-schema';

const NS_AND_NET = ALL_RULES.filter((r) => r.area === 'namespace' || r.area === 'network').map((r) => r.id);

function synth(build: (chart: Chart) => void): any[] {
  const app = Testing.app();
  const chart = new Chart(app, 'app');
  build(chart);
  return app.charts.flatMap((c) => c.toJson());
}

const byKindName = (objects: any[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('LockedNamespace', () => {
  test('default output: PSA restricted pinned, default deny both ways, DNS egress, quota, limits, owner', () => {
    const objects = synth((chart) => new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop', purpose: 'Web shop frontend and API' }));
    expect(objects).toMatchSnapshot();
    validateAll(objects);

    const ns = byKindName(objects, 'Namespace');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toEqual({
      'hardened.cdk8s.io/owner': 'team-shop',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.30',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.30',
    });
    expect(ns.metadata.annotations).toEqual({ 'hardened.cdk8s.io/purpose': 'Web shop frontend and API' });
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) {
      expect(o.metadata.namespace).toBe('shop');
    }
    for (const o of objects) expect(o.metadata.labels['hardened.cdk8s.io/owner']).toBe('team-shop');
    expect(byKindName(objects, 'NetworkPolicy', 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(byKindName(objects, 'NetworkPolicy', 'default-deny-egress').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    expect(byKindName(objects, 'NetworkPolicy', 'allow-dns-egress').spec.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
    ]);
    const hard = byKindName(objects, 'ResourceQuota').spec.hard;
    expect(hard).toMatchObject({ 'services.loadbalancers': 0, 'services.nodeports': 0, 'pods': 50, 'requests.cpu': '4', 'limits.memory': '16Gi' });
    expect(Object.keys(hard).sort()).toEqual([
      'configmaps', 'limits.cpu', 'limits.memory', 'persistentvolumeclaims', 'pods', 'requests.cpu', 'requests.memory',
      'secrets', 'services', 'services.loadbalancers', 'services.nodeports',
    ]);
    expect(byKindName(objects, 'LimitRange').spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '500m', memory: '512Mi' }, max: { cpu: '2', memory: '4Gi' } },
    ]);

    const result = checkObjects(objects.map((object) => ({ object })), { rules: NS_AND_NET });
    expect(result.findings).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  test('is the scope of workloads: children land in the namespace and pass the namespace and network rules', () => {
    const objects = synth((chart) => {
      const ns = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop' });
      new kplus.Deployment(ns, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
    });
    const deployment = byKindName(objects, 'Deployment');
    expect(deployment.metadata.namespace).toBe('shop');
    expect(deployment.metadata.labels['hardened.cdk8s.io/owner']).toBe('team-shop');
    // The Namespace comes first, so `kubectl apply -f` creates it before its content.
    expect(objects[0].kind).toBe('Namespace');
    validateAll(objects);
    expect(checkObjects(objects.map((object) => ({ object })), { rules: NS_AND_NET }).findings).toEqual([]);
  });

  test('two synths are identical', () => {
    const build = (chart: Chart) => {
      const ns = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop', labels: { tenant: 'shop' } });
      new kplus.Deployment(ns, 'api', { containers: [{ image: 'api' }] });
    };
    expect(JSON.stringify(synth(build))).toBe(JSON.stringify(synth(build)));
  });

  test('overrides: quota, limits, DNS off, DNS labels', () => {
    const objects = synth((chart) => new LockedNamespace(chart, 'batch', {
      name: 'batch',
      owner: 'data',
      allowDns: false,
      quota: { pods: 200, requestsCpu: '32', nodePorts: 1 },
      containerLimits: { maxCpu: '8', maxMemory: '32Gi' },
    }));
    validateAll(objects);
    expect(byKindName(objects, 'NetworkPolicy', 'allow-dns-egress')).toBeUndefined();
    expect(byKindName(objects, 'ResourceQuota').spec.hard).toMatchObject({ 'pods': 200, 'requests.cpu': '32', 'services.nodeports': 1 });
    expect(byKindName(objects, 'LimitRange').spec.limits[0].max).toEqual({ cpu: '8', memory: '32Gi' });
    const coredns = synth((chart) => new LockedNamespace(chart, 'x', {
      name: 'x',
      owner: 'o',
      dnsNamespace: 'dns',
      dnsPodLabels: { app: 'coredns' },
      waivers: [{ ruleId: 'net-dns-egress-namespace', reason: 'CoreDNS runs in the platform-owned dns namespace' }],
    }));
    expect(byKindName(coredns, 'NetworkPolicy', 'allow-dns-egress').spec.egress[0].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } },
    ]);
  });

  test('a weaker Pod Security level or latest needs a waiver, which is recorded and honoured', () => {
    const make = (props: object) => () => synth((chart) => new LockedNamespace(chart, 'legacy', { name: 'legacy', owner: 'ops', ...props }));
    expect(make({ podSecurityLevel: PodSecurityLevel.BASELINE })).toThrow(
      "app/legacy: podSecurityLevel baseline violates ns-pod-security-labels. Keep PodSecurityLevel.RESTRICTED, or add waivers: [{ ruleId: 'ns-pod-security-labels', reason: '<why>' }]",
    );
    expect(make({ podSecurityVersion: 'latest' })).toThrow(/podSecurityVersion latest violates ns-pod-security-labels/);
    expect(make({ podSecurityVersion: '1.27' })).toThrow(/not a Kubernetes minor version/);
    // A member missing from another enum of the same name (src/index.ts exports the enforce-options one) is
    // undefined: it must fail, never fall back to restricted while recording a waiver.
    expect(make({ podSecurityLevel: undefined, waivers: [{ ruleId: 'ns-pod-security-labels', reason: 'log agent needs hostPath' }] })).toThrow(
      'app/legacy: podSecurityLevel undefined is not one of restricted, baseline, privileged',
    );
    expect(make({ podSecurityLevel: 'root' })).toThrow(/podSecurityLevel root is not one of/);
    expect(make({ podSecurityLevel: PodSecurityLevel.BASELINE, waivers: [{ ruleId: 'ns-pod-security-labels', reason: 'short' }] })).toThrow(/reason of at least 10/);
    expect(make({ waivers: [{ ruleId: 'ns-nope', reason: 'a long enough reason' }] })).toThrow(/app\/legacy: waiver names unknown rule "ns-nope"/);

    const objects = make({ podSecurityLevel: PodSecurityLevel.BASELINE, waivers: [{ ruleId: 'ns-pod-security-labels', reason: 'vendor agent needs baseline until 2027' }] })();
    const ns = byKindName(objects, 'Namespace');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(JSON.parse(ns.metadata.annotations['hardened.cdk8s.io/waivers'])).toEqual([{ ruleId: 'ns-pod-security-labels', reason: 'vendor agent needs baseline until 2027' }]);
    const result = checkObjects(objects.map((object) => ({ object })), { rules: NS_AND_NET });
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => f.ruleId)).toEqual(['ns-pod-security-labels', 'ns-pod-security-labels', 'ns-pod-security-labels']);
  });

  test('invalid input fails with the construct path and the fix', () => {
    const make = (props: object) => () => synth((chart) => new LockedNamespace(chart, 'ns', { name: 'tenant', owner: 'team', ...props }));
    expect(make({ name: 'Tenant_A' })).toThrow('app/ns: namespace name "Tenant_A" must be a DNS label');
    expect(make({ name: 'default' })).toThrow(/"default" is a system namespace/);
    expect(make({ owner: 'two words' })).toThrow(/owner "two words" must be a non-empty label value/);
    expect(make({ labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } })).toThrow(/label "pod-security.kubernetes.io\/enforce" is set by LockedNamespace/);
    expect(make({ quota: { pods: -1 } })).toThrow('app/ns: quota.pods must be a whole number >= 0, got -1');
    expect(make({ quota: { requestsMemory: '8 GB' } })).toThrow(/quota.requestsMemory "8 GB" is not a Kubernetes quantity/);
    expect(make({ containerLimits: { defaultMemoryLimit: '8Gi' } })).toThrow(/memory must satisfy default request \(128Mi\) <= default limit \(8Gi\) <= max \(4Gi\)/);
    expect(make({ dnsPodLabels: {} })).toThrow(/dnsPodLabels must select the DNS pods/);
  });

  test('can be the top-level chart of an app', () => {
    const app = new App({ outdir: 'unused' });
    const ns = new LockedNamespace(app, 'tenant', { name: 'tenant', owner: 'team' });
    new kplus.Deployment(ns, 'w', { containers: [{ image: 'w' }] });
    expect(ns.toJson().map((o: any) => `${o.kind}/${o.metadata.namespace ?? '-'}`)).toEqual([
      'Namespace/-', 'NetworkPolicy/tenant', 'NetworkPolicy/tenant', 'NetworkPolicy/tenant', 'ResourceQuota/tenant', 'LimitRange/tenant', 'Deployment/tenant',
    ]);
  });
});

describe('LockedNamespace policy version', () => {
  test('a version older than v1.25 drops restricted checks: it needs a waiver, and the rule reports it on plain YAML', () => {
    const build = (props: Record<string, unknown>) => () => {
      const chart = new Chart(Testing.app(), 'app');
      return new LockedNamespace(chart, 'old', { name: 'old', owner: 'team-x', ...props });
    };
    expect(build({ podSecurityVersion: 'v1.22' })).toThrow(/podSecurityVersion v1.22 \(older than v1.25\) violates ns-pod-security-labels/);
    const ns = build({ podSecurityVersion: 'v1.22', waivers: [{ ruleId: 'ns-pod-security-labels', reason: 'cluster still on 1.22 until March' }] })();
    const namespace = ns.toJson().find((o: any) => o.kind === 'Namespace');
    const result = checkObjects([{ object: namespace }], { rules: ['ns-pod-security-labels'] });
    expect(result.findings).toHaveLength(0);
    expect(result.waived.map((f) => f.message)).toContain('pod-security.kubernetes.io/enforce-version is "v1.22": older than v1.25, its restricted level lacks checks the current one has');
  });
});

test('the waivers and purpose annotations can only come from their props: a hand-written waiver record is refused', () => {
  const chart = new Chart(Testing.app(), 'app');
  expect(() => new LockedNamespace(chart, 'forged', {
    name: 'forged',
    owner: 'team-x',
    annotations: { 'hardened.cdk8s.io/waivers': '[{"ruleId":"ns-resource-quota","reason":"no reason checked"}]' },
  })).toThrow(/^app\/forged: annotation "hardened.cdk8s.io\/waivers" is set by LockedNamespace; use the waivers\/purpose props instead/);
});

describe('LockedNamespace dnsNamespace (issue 12)', () => {
  const waiver = { ruleId: 'net-dns-egress-namespace', reason: 'NodeLocal DNS runs in the platform-owned dns namespace' };
  test('a DNS namespace other than kube-system needs a waiver for net-dns-egress-namespace', () => {
    expect(() => synth((chart) => new LockedNamespace(chart, 'x', { name: 'x', owner: 'o', dnsNamespace: 'tenant-dns' }))).toThrow(
      'app/x: dnsNamespace tenant-dns (DNS egress to pods labelled {"k8s-app":"kube-dns"} there) violates net-dns-egress-namespace. Keep the cluster DNS in kube-system, '
      + "or add waivers: [{ ruleId: 'net-dns-egress-namespace', reason: '<why>' }]",
    );
  });

  test('the waiver is recorded on the DNS policy, where the engine reports it as waived; kube-system needs none', () => {
    const objects = synth((chart) => new LockedNamespace(chart, 'x', { name: 'x', owner: 'o', dnsNamespace: 'dns', waivers: [waiver] }));
    const result = checkObjects(objects.map((object) => ({ object })), { rules: ['net-dns-egress-namespace'] });
    expect(result.problems).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => `${f.kind}/${f.name} ${f.waiver?.reason}`)).toEqual([`NetworkPolicy/allow-dns-egress ${waiver.reason}`]);
    const plain = synth((chart) => new LockedNamespace(chart, 'y', { name: 'y', owner: 'o' }));
    const clean = checkObjects(plain.map((object) => ({ object })), { rules: ['net-dns-egress-namespace'] });
    expect([clean.findings, clean.waived]).toEqual([[], []]);
    expect(byKindName(plain, 'NetworkPolicy', 'allow-dns-egress').metadata.annotations).toBeUndefined();
  });
});
