import { fromYaml } from './yaml';
import { checkObjects } from '../../src/engine/engine';

const check = (text: string, rules: string[], completeSet = true) =>
  checkObjects(fromYaml(text), { rules, settings: { completeSet } }).findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`);

const WORKLOADS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec: { template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: a, image: a }] } } }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: report, namespace: shop }
spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: report } }, spec: { containers: [{ name: r, image: r }] } } } } }
`;

const np = (name: string, spec: string) => `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: shop }
spec: ${spec}
`;

describe('network rules on plain YAML', () => {
  test('net-workload-not-selected: pods no policy selects, including CronJob templates', () => {
    expect(check(WORKLOADS + np('api', '{ podSelector: { matchLabels: { app: api } } }'), ['net-workload-not-selected'])).toEqual([
      'net-workload-not-selected CronJob/report spec.jobTemplate.spec.template.metadata.labels',
    ]);
    expect(check(WORKLOADS + np('all', '{ podSelector: {} }'), ['net-workload-not-selected'])).toEqual([]);
    // A policy in another namespace does not count.
    expect(check(WORKLOADS + np('all', '{ podSelector: {} }').replace('namespace: shop', 'namespace: other'), ['net-workload-not-selected'])).toHaveLength(2);
    expect(check(WORKLOADS, ['net-workload-not-selected'], false)).toEqual([]);
  });

  test('net-policy-selects-nothing: a label typo, but not a namespace-wide {} policy', () => {
    const text = WORKLOADS + np('typo', '{ podSelector: { matchLabels: { app: apii } } }') + np('all', '{ podSelector: {} }');
    expect(check(text, ['net-policy-selects-nothing'])).toEqual(['net-policy-selects-nothing NetworkPolicy/typo spec.podSelector']);
    expect(check(text, ['net-policy-selects-nothing'], false)).toEqual([]);
  });

  test('net-service-exposed: NodePort and LoadBalancer, not ClusterIP', () => {
    const svc = (name: string, type?: string) => `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec: { ${type ? `type: ${type}, ` : ''}ports: [{ port: 80 }] }
`;
    expect(check(svc('np', 'NodePort') + svc('lb', 'LoadBalancer') + svc('ip', 'ClusterIP') + svc('default'), ['net-service-exposed'])).toEqual([
      'net-service-exposed Service/lb spec.type',
      'net-service-exposed Service/np spec.type',
    ]);
  });

  test('net-allow-all: rules without peers and ingress from /0; ignored directions do not count', () => {
    const text =
      np('open-in', '{ podSelector: {}, ingress: [{ ports: [{ port: 80 }] }, { from: [{ ipBlock: { cidr: "::/0" } }] }] }') +
      np('open-out', '{ podSelector: {}, policyTypes: [Egress], egress: [{}] }') +
      np('ignored', '{ podSelector: {}, policyTypes: [Egress], ingress: [{}] }') +
      np('narrow', '{ podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }] }] }');
    expect(check(text, ['net-allow-all'])).toEqual([
      'net-allow-all NetworkPolicy/open-in spec.ingress[0]',
      'net-allow-all NetworkPolicy/open-in spec.ingress[1].from[0].ipBlock.cidr',
      'net-allow-all NetworkPolicy/open-out spec.egress[0]',
    ]);
  });

  test('net-egress-anywhere: 0.0.0.0/0 even with except; narrower CIDRs pass', () => {
    const text =
      np('anywhere', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }], ports: [{ port: 443 }] }] }') +
      np('corp', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 10.20.0.0/16 } }], ports: [{ port: 443 }] }] }');
    expect(check(text, ['net-egress-anywhere'])).toEqual(['net-egress-anywhere NetworkPolicy/anywhere spec.egress[0].to[0].ipBlock.cidr']);
  });
});

describe('network allow-alls that name peers (issue 12)', () => {
  test('net-allow-all: namespaceSelector {} without a narrowing podSelector, in ingress and egress', () => {
    const text =
      np('every-ns-in', '{ podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }') +
      np('every-ns-out', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ port: 443 }] }] }') +
      np('labelled-pods', '{ podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: web } } }] }] }') +
      np('named-ns', '{ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: web } } }] }] }');
    expect(check(text, ['net-allow-all'])).toEqual([
      'net-allow-all NetworkPolicy/every-ns-in spec.ingress[0].from[0].namespaceSelector',
      'net-allow-all NetworkPolicy/every-ns-out spec.egress[0].to[0].namespaceSelector',
    ]);
  });

  test('net-ipblock-union-anywhere: ingress ipBlocks whose union is every address, in one rule or in rules with the same ports', () => {
    const text =
      np('halves', '{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/1 } }, { ipBlock: { cidr: 128.0.0.0/1 } }] }] }') +
      np('quarters', '{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/2 } }, { ipBlock: { cidr: 64.0.0.0/2 } }], ports: [{ port: 80 }] },'
        + ' { from: [{ ipBlock: { cidr: 128.0.0.0/2 } }, { ipBlock: { cidr: 192.0.0.0/2 } }], ports: [{ port: 80 }] }] }') +
      np('v6', '{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "::/1" } }, { ipBlock: { cidr: "8000::/1" } }] }] }') +
      // Different ports: neither rule alone reaches every address on any one port.
      np('split-ports', '{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/1 } }], ports: [{ port: 80 }] }, { from: [{ ipBlock: { cidr: 128.0.0.0/1 } }], ports: [{ port: 443 }] }] }') +
      np('gap', '{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 0.0.0.0/2 } }, { ipBlock: { cidr: 128.0.0.0/1 } }] }] }') +
      np('office', '{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 203.0.113.0/24 } }] }] }');
    expect(check(text, ['net-ipblock-union-anywhere'])).toEqual([
      'net-ipblock-union-anywhere NetworkPolicy/halves spec.ingress[0].from',
      'net-ipblock-union-anywhere NetworkPolicy/quarters spec.ingress[0].from',
      'net-ipblock-union-anywhere NetworkPolicy/v6 spec.ingress[0].from',
    ]);
    // No single peer is /0 or every pod: the one-object rule (and so admission) passes them.
    expect(check(text, ['net-allow-all'])).toEqual([]);
    const message = checkObjects(fromYaml(text), { rules: ['net-ipblock-union-anywhere'] }).findings.find((f) => f.name === 'quarters')!.message;
    expect(message).toBe('ingress rules 0, 1 together admit every IPv4 address: the ipBlocks 0.0.0.0/2, 64.0.0.0/2, 128.0.0.0/2, 192.0.0.0/2 cover the whole space');
  });

  test('net-ipblock-union-anywhere: egress two /1 halves and ::/1 + 8000::/1; a /24 passes', () => {
    const text =
      np('halves', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/1 } }, { ipBlock: { cidr: 128.0.0.0/1, except: [169.254.0.0/16] } }], ports: [{ port: 443 }] }] }') +
      np('v6', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: "::/1" } }] }, { to: [{ ipBlock: { cidr: "8000::/1" } }] }] }') +
      np('partner', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 198.51.100.0/24 } }], ports: [{ port: 443 }] }] }');
    expect(check(text, ['net-ipblock-union-anywhere'])).toEqual([
      'net-ipblock-union-anywhere NetworkPolicy/halves spec.egress[0].to',
      'net-ipblock-union-anywhere NetworkPolicy/v6 spec.egress[0].to',
    ]);
    expect(check(text, ['net-egress-anywhere'])).toEqual([]);
  });
});

describe('net-dns-egress-namespace (issue 12)', () => {
  test('port 53 to namespaces not pinned to kube-system by name; kube-system and own-namespace peers pass', () => {
    const dns = (name: string, to: string) => np(name, `{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [${to}], ports: [{ protocol: UDP, port: 53 }] }] }`);
    const text =
      dns('tenant', '{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: tenant-dns } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }') +
      dns('labelled', '{ namespaceSelector: { matchLabels: { role: dns } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }') +
      dns('cluster', '{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }') +
      dns('own', '{ podSelector: { matchLabels: { app: resolver } } }') +
      np('https', '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: web } } }], ports: [{ port: 443 }] }] }');
    expect(check(text, ['net-dns-egress-namespace'])).toEqual([
      'net-dns-egress-namespace NetworkPolicy/labelled spec.egress[0].to[0].namespaceSelector',
      'net-dns-egress-namespace NetworkPolicy/tenant spec.egress[0].to[0].namespaceSelector',
    ]);
  });
});

describe('"anywhere" split across NetworkPolicies that select the same pods (issue 12)', () => {
  test('two policies with one /1 half each are reported once, on the first, naming the other', () => {
    const half = (name: string, cidr: string, selector = '{ matchLabels: { app: api } }') =>
      np(name, `{ podSelector: ${selector}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: ${cidr} } }], ports: [{ port: 443 }] }] }`);
    const text = half('low', '0.0.0.0/1') + half('high', '128.0.0.0/1');
    expect(check(text, ['net-ipblock-union-anywhere'])).toEqual(['net-ipblock-union-anywhere NetworkPolicy/low spec.egress']);
    expect(checkObjects(fromYaml(text), { rules: ['net-ipblock-union-anywhere'] }).findings[0].message).toBe(
      'egress of this policy and of NetworkPolicy/high (same pods, same ports) together allow every IPv4 address: the ipBlocks 0.0.0.0/1, 128.0.0.0/1 cover the whole space',
    );
    // Other pods, another namespace or other ports: no single set of pods reaches everything on one port.
    expect(check(half('low', '0.0.0.0/1') + half('high', '128.0.0.0/1', '{ matchLabels: { app: web } }'), ['net-ipblock-union-anywhere'])).toEqual([]);
    expect(check(half('low', '0.0.0.0/1') + half('high', '128.0.0.0/1').replace('namespace: shop', 'namespace: other'), ['net-ipblock-union-anywhere'])).toEqual([]);
    expect(check(half('low', '0.0.0.0/1') + half('high', '128.0.0.0/1').replace('port: 443', 'port: 80'), ['net-ipblock-union-anywhere'])).toEqual([]);
  });

  test('ingress halves across policies are findings too', () => {
    const half = (name: string, cidr: string) => np(name, `{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "${cidr}" } }] }] }`);
    expect(check(half('a', '::/1') + half('b', '8000::/1') + half('c', '10.0.0.0/8'), ['net-ipblock-union-anywhere'])).toEqual(['net-ipblock-union-anywhere NetworkPolicy/a spec.ingress']);
  });
});
