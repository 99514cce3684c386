import fc from 'fast-check';
import { deployment, denyAll, namespace, policy } from './fixtures';
import { analyzeReachability, NetworkFlow, toMarkdownSection, toMarkdownTable, toMermaid } from '../../src/analysis/network';

const A = 'Deployment/shop/a';
const B = 'Deployment/shop/b';
const flowsBetween = (flows: NetworkFlow[], from: string, to: string) =>
  flows.filter((f) => f.from === from && f.to === to).map((f) => (f.protocol === 'any' ? 'any' : `${f.protocol}:${f.portName ?? f.port ?? 'all'}${f.endPort ? '-' + f.endPort : ''}`));

const a = deployment('a', 'shop', { app: 'a' });
const b = deployment('b', 'shop', { app: 'b' }, [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, name: 'metrics' }]);

describe('NetworkPolicy semantics', () => {
  test('without policies every pod reaches every pod and the outside on every port', () => {
    const { flows, isolation } = analyzeReachability([a, b]);
    expect(flowsBetween(flows, A, B)).toEqual(['any']);
    expect(flowsBetween(flows, B, A)).toEqual(['any']);
    expect(flowsBetween(flows, 'any', A)).toEqual(['any']);
    expect(flowsBetween(flows, A, 'any')).toEqual(['any']);
    expect(isolation.every((i) => !i.ingressIsolated && !i.egressIsolated)).toBe(true);
  });

  test('default deny for ingress and egress removes every flow', () => {
    const { flows, isolation } = analyzeReachability([a, b, denyAll('shop')]);
    expect(flows).toEqual([]);
    expect(isolation.map((i) => [i.ingressIsolated, i.egressIsolated, i.policies])).toEqual([
      [true, true, ['shop/deny-all']],
      [true, true, ['shop/deny-all']],
    ]);
  });

  test('pitfall: a policy with only ingress rules leaves egress open', () => {
    const onlyIngress = policy('b-in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }] });
    const { flows, isolation } = analyzeReachability([a, b, onlyIngress]);
    expect(isolation.find((i) => i.workload === B)).toMatchObject({ ingressIsolated: true, egressIsolated: false });
    expect(flowsBetween(flows, B, 'any')).toEqual(['any']);
    expect(flowsBetween(flows, 'any', B)).toEqual([]);
    expect(flowsBetween(flows, A, B)).toEqual(['any']);
  });

  test('policyTypes decide: egress rules without policyTypes isolate egress; ingress rules under [Egress] are ignored', () => {
    const implied = policy('a-out', 'shop', { podSelector: { matchLabels: { app: 'a' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 8080 }] }] });
    let result = analyzeReachability([a, b, implied]);
    // Ingress is always implied, so `a` is isolated both ways and nothing reaches it.
    expect(result.isolation.find((i) => i.workload === A)).toMatchObject({ ingressIsolated: true, egressIsolated: true });
    expect(flowsBetween(result.flows, A, B)).toEqual(['TCP:8080']);
    expect(flowsBetween(result.flows, A, 'any')).toEqual([]);

    const egressOnly = policy('a-eg', 'shop', {
      podSelector: { matchLabels: { app: 'a' } },
      policyTypes: ['Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    });
    result = analyzeReachability([a, b, egressOnly]);
    expect(result.isolation.find((i) => i.workload === A)).toMatchObject({ ingressIsolated: false, egressIsolated: true });
    expect(flowsBetween(result.flows, B, A)).toEqual(['any']);
    expect(flowsBetween(result.flows, A, B)).toEqual([]);
  });

  test('a connection needs the client egress and the server ingress', () => {
    const bIn = policy('b-in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 8080 }, { port: 9090 }] }] });
    const aOut = policy('a-out', 'shop', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 8080 }] }] });
    expect(flowsBetween(analyzeReachability([a, b, bIn]).flows, A, B)).toEqual(['TCP:8080', 'TCP:9090']);
    expect(flowsBetween(analyzeReachability([a, b, bIn, aOut]).flows, A, B)).toEqual(['TCP:8080']);
    expect(flowsBetween(analyzeReachability([a, b, denyAll('shop'), bIn]).flows, A, B)).toEqual([]);
  });

  test('pitfall: an empty podSelector peer means every pod of the policy namespace, not of the cluster', () => {
    const other = deployment('c', 'other', { app: 'c' });
    const bIn = policy('b-in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: {} }] }] });
    const { flows } = analyzeReachability([a, b, other, bIn]);
    expect(flowsBetween(flows, A, B)).toEqual(['any']);
    expect(flowsBetween(flows, 'Deployment/other/c', B)).toEqual([]);
    // An empty namespaceSelector, on the contrary, is every namespace.
    const everyNs = policy('b-in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] });
    expect(flowsBetween(analyzeReachability([a, b, other, everyNs]).flows, 'Deployment/other/c', B)).toEqual(['any']);
  });

  test('pitfall: namespaceSelector and podSelector in one peer (AND) versus two peers (OR)', () => {
    const monitoring = namespace('monitoring', { team: 'ops' });
    const prom = deployment('prometheus', 'monitoring', { app: 'prometheus' });
    const grafana = deployment('grafana', 'monitoring', { app: 'grafana' });
    const onePeer = policy('metrics', 'shop', {
      podSelector: { matchLabels: { app: 'b' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 'metrics' }] }],
    });
    const twoPeers = policy('metrics', 'shop', {
      podSelector: { matchLabels: { app: 'b' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }, { podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 'metrics' }] }],
    });
    const and = analyzeReachability([monitoring, prom, grafana, a, b, onePeer]).flows;
    expect(flowsBetween(and, 'Deployment/monitoring/prometheus', B)).toEqual(['TCP:9090']);
    expect(flowsBetween(and, 'Deployment/monitoring/grafana', B)).toEqual([]);
    const or = analyzeReachability([monitoring, prom, grafana, a, b, twoPeers]).flows;
    // Two peers: all of namespace `monitoring` OR pods labelled app=prometheus in `shop` (none).
    expect(flowsBetween(or, 'Deployment/monitoring/grafana', B)).toEqual(['TCP:9090']);
    expect(flowsBetween(or, A, B)).toEqual([]);
  });

  test('namespaces without a Namespace object carry only kubernetes.io/metadata.name', () => {
    const prom = deployment('prometheus', 'monitoring', { app: 'prometheus' });
    const byLabel = policy('m', 'shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }] });
    const byName = policy('m', 'shop', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }] });
    expect(flowsBetween(analyzeReachability([prom, b, byLabel]).flows, 'Deployment/monitoring/prometheus', B)).toEqual([]);
    expect(flowsBetween(analyzeReachability([prom, b, byName]).flows, 'Deployment/monitoring/prometheus', B)).toEqual(['any']);
  });

  test('named ports resolve against the destination container ports, protocol included', () => {
    const named = (port: unknown, protocol?: string) =>
      policy('b-in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: {} }], ports: [{ port, ...(protocol ? { protocol } : {}) }] }] });
    expect(flowsBetween(analyzeReachability([a, b, named('http')]).flows, A, B)).toEqual(['TCP:8080']);
    expect(flowsBetween(analyzeReachability([a, b, named('http', 'UDP')]).flows, A, B)).toEqual([]);
    expect(flowsBetween(analyzeReachability([a, b, named('grpc')]).flows, A, B)).toEqual([]);
  });

  test('endPort makes a range; a protocol without port is every port of it', () => {
    const ranged = policy('b-in', 'shop', {
      podSelector: { matchLabels: { app: 'b' } },
      ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8000, endPort: 8100 }, { protocol: 'UDP' }] }],
    });
    expect(flowsBetween(analyzeReachability([a, b, ranged]).flows, A, B)).toEqual(['TCP:8000-8100', 'UDP:all']);
  });

  test('a rule without peers allows every source, inside and outside the cluster', () => {
    const open = policy('b-in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ port: 8080 }] }] });
    const { flows } = analyzeReachability([a, b, open]);
    expect(flowsBetween(flows, A, B)).toEqual(['TCP:8080']);
    expect(flowsBetween(flows, 'any', B)).toEqual(['TCP:8080']);
  });

  test('ipBlock peers become CIDR endpoints; with podCidrs they also match pods unless excepted', () => {
    const egress = (except?: string[]) =>
      policy('a-out', 'shop', {
        podSelector: { matchLabels: { app: 'a' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', ...(except ? { except } : {}) } }], ports: [{ port: 443 }] }],
      });
    let result = analyzeReachability([a, b, egress(['10.96.0.0/12'])]);
    expect(flowsBetween(result.flows, A, 'cidr:10.0.0.0/8 except 10.96.0.0/12')).toEqual(['TCP:443']);
    expect(flowsBetween(result.flows, A, B)).toEqual([]);
    result = analyzeReachability([a, b, egress()], { podCidrs: ['10.244.0.0/16'] });
    expect(flowsBetween(result.flows, A, B)).toEqual(['TCP:443']);
    result = analyzeReachability([a, b, egress(['10.244.0.0/16'])], { podCidrs: ['10.244.0.0/16'] });
    expect(flowsBetween(result.flows, A, B)).toEqual([]);
  });

  test('peers outside the set (kube-dns) become selector endpoints', () => {
    const dns = policy('dns', 'shop', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
    const { flows, endpoints } = analyzeReachability([a, dns]);
    expect(endpoints.map((e) => e.id)).toContain('selector:kube-system: k8s-app=kube-dns');
    expect(flowsBetween(flows, A, 'selector:kube-system: k8s-app=kube-dns')).toEqual(['TCP:53', 'UDP:53']);
  });

  test('named ports toward pods outside the set stay names', () => {
    const dns = policy('dns', 'shop', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 'dns', protocol: 'UDP' }] }],
    });
    const { flows } = analyzeReachability([a, dns]);
    expect(flows.filter((f) => f.from === A)).toEqual([{ from: A, to: 'selector:kube-system: all pods', protocol: 'UDP', portName: 'dns' }]);
  });

  test('matchExpressions: NotIn matches pods without the key; DoesNotExist; In', () => {
    const expr = (operator: string, values?: string[]) =>
      policy('b-in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator, ...(values ? { values } : {}) }] } }] }] });
    const tiered = deployment('t', 'shop', { app: 't', tier: 'web' });
    const T = 'Deployment/shop/t';
    const run = (p: object) => analyzeReachability([a, b, tiered, p]).flows;
    expect(flowsBetween(run(expr('NotIn', ['db'])), A, B)).toEqual(['any']);
    expect(flowsBetween(run(expr('NotIn', ['web'])), T, B)).toEqual([]);
    expect(flowsBetween(run(expr('In', ['web'])), T, B)).toEqual(['any']);
    expect(flowsBetween(run(expr('DoesNotExist')), A, B)).toEqual(['any']);
    expect(flowsBetween(run(expr('Exists')), A, B)).toEqual([]);
  });

  test('invalid input is reported and never widens access', () => {
    const bad = policy('b-in', 'shop', {
      podSelector: { matchLabels: { app: 'b' } },
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'x', operator: 'Near' }] } }, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }, {}, { ipBlock: { cidr: 'nope' } }], ports: [{ port: 70000 }] }],
    });
    const result = analyzeReachability([a, b, bad, 'garbage', null, { kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: 'oops' }]);
    expect(flowsBetween(result.flows, A, B)).toEqual([]);
    expect(result.problems).toEqual([
      expect.stringContaining('matchExpressions[0] is not a valid requirement'),
      expect.stringContaining('ipBlock cannot be combined'),
      expect.stringContaining('a peer needs podSelector'),
      expect.stringContaining('is not a CIDR'),
      expect.stringContaining('port 70000 is not a port number'),
      expect.stringContaining('spec.podSelector is required'),
    ]);
  });

  test('objects without a namespace are in default', () => {
    const result = analyzeReachability([deployment('x', undefined, { app: 'x' })]);
    expect(result.isolation.map((i) => i.workload)).toEqual(['Deployment/default/x']);
  });
});

describe('renderers', () => {
  const objects = [
    namespace('shop'),
    a,
    b,
    denyAll('shop'),
    policy('b-in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 'http' }] }] }),
    policy('a-out', 'shop', { podSelector: { matchLabels: { app: 'a' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 8080 }] }, { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443 }] }] }),
  ];

  test('Mermaid flowchart and table', () => {
    const result = analyzeReachability(objects);
    const mermaid = toMermaid(result);
    expect(mermaid).toMatchSnapshot();
    expect(mermaid).toContain('subgraph ns0["namespace shop"]');
    expect(mermaid).toMatch(/n\d+ -->\|"TCP 8080"\| n\d+/);
    const table = toMarkdownTable(result);
    expect(table).toMatchSnapshot();
    expect(table.split('\n').filter((l) => l.startsWith('| Deployment'))).toEqual([
      '| Deployment/shop/a | Deployment/shop/b | TCP 8080 |',
      '| Deployment/shop/a | cidr:203.0.113.0/24 | TCP 443 |',
    ]);
  });

  test('report section: diagram, table, isolation gaps and problems', () => {
    const section = toMarkdownSection(analyzeReachability([...objects, deployment('open', 'other', { app: 'open' }), policy('bad', 'shop', {})]));
    expect(section).toMatchSnapshot();
    expect(section).toContain('```mermaid\nflowchart LR');
    expect(section).toContain('- Deployment/other/open: ingress and egress');
    expect(section).toContain('- NetworkPolicy shop/bad: spec.podSelector is required');
  });

  test('output does not depend on input order', () => {
    const expected = JSON.stringify(analyzeReachability(objects));
    fc.assert(
      fc.property(fc.shuffledSubarray(objects, { minLength: objects.length, maxLength: objects.length }), (shuffled) => {
        expect(JSON.stringify(analyzeReachability(shuffled))).toBe(expected);
      }),
      { numRuns: 30 },
    );
  });
});
