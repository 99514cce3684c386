/**
 * The reachability analysis against a direct reading of the NetworkPolicy specification: for random small
 * clusters, every (client, server, port) probe must be allowed by the analysis exactly when the naive
 * per-connection evaluation below allows it.
 */
import fc from 'fast-check';
import { deployment, namespace, policy } from './fixtures';
import { analyzeReachability, NetworkFlow } from '../../src/analysis/network';

type Labels = Record<string, string>;
interface Probe { protocol: string; port: number }
const PROBES: Probe[] = [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8050 }, { protocol: 'UDP', port: 53 }];
const NAMESPACES = ['a', 'b'];

const labelsArb = fc.record({ app: fc.constantFrom('x', 'y', 'z'), tier: fc.constantFrom('web', 'db') }, { requiredKeys: ['app'] });
const selectorArb = fc.oneof(fc.constant({}), fc.record({ matchLabels: labelsArb }), fc.record({
  matchExpressions: fc.constant([{ key: 'tier', operator: 'NotIn', values: ['db'] }]),
}));
const peerArb = fc.oneof(
  fc.record({ podSelector: selectorArb }),
  fc.record({ namespaceSelector: fc.oneof(fc.constant({}), fc.record({ matchLabels: fc.record({ env: fc.constantFrom('prod', 'dev') }) })) }),
  fc.record({ namespaceSelector: fc.record({ matchLabels: fc.record({ env: fc.constantFrom('prod', 'dev') }) }), podSelector: selectorArb }),
);
const portArb = fc.constantFrom<object>({ port: 80 }, { port: 8000, endPort: 8100 }, { port: 'http' }, { protocol: 'UDP', port: 53 }, { protocol: 'UDP' });
const ruleArb = fc.record({
  peers: fc.option(fc.array(peerArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  ports: fc.option(fc.array(portArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
});
const policyArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selectorArb,
  policyTypes: fc.constantFrom<string[] | undefined>(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(ruleArb, { maxLength: 2 }),
  egress: fc.array(ruleArb, { maxLength: 2 }),
});
const workloadArb = fc.record({ namespace: fc.constantFrom(...NAMESPACES), labels: labelsArb, http: fc.constantFrom(8080, 8050, 80) });
const clusterArb = fc.record({
  envs: fc.tuple(fc.constantFrom('prod', 'dev'), fc.constantFrom('prod', 'dev')),
  workloads: fc.array(workloadArb, { minLength: 1, maxLength: 4 }),
  policies: fc.array(policyArb, { maxLength: 4 }),
});
type Cluster = typeof clusterArb extends fc.Arbitrary<infer T> ? T : never;

function selects(selector: any, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) if (e.operator === 'NotIn' && e.values.includes(labels[e.key])) return false;
  return true;
}

/** Straight from the spec: is a connection from `client` to `server` on `probe` allowed? */
function oracle(cluster: Cluster, client: number, server: number, probe: Probe): boolean {
  const nsLabels = (ns: string) => ({ 'kubernetes.io/metadata.name': ns, 'env': cluster.envs[NAMESPACES.indexOf(ns)] });
  const w = cluster.workloads;
  const typesOf = (p: Cluster['policies'][number]) => p.policyTypes ?? ['Ingress', ...(p.egress.length > 0 ? ['Egress'] : [])];
  const peerMatches = (peer: any, policyNs: string, other: number) => {
    if (peer.namespaceSelector === undefined) return w[other].namespace === policyNs && selects(peer.podSelector, w[other].labels);
    return (
      selects(peer.namespaceSelector, nsLabels(w[other].namespace)) &&
      (peer.podSelector === undefined || selects(peer.podSelector, w[other].labels))
    );
  };
  const portMatches = (port: any) => {
    const protocol = port.protocol ?? 'TCP';
    if (protocol !== probe.protocol) return false;
    if (port.port === undefined) return true;
    // Named port `http` resolves against the server's container port of that name (TCP).
    if (port.port === 'http') return probe.protocol === 'TCP' && w[server].http === probe.port;
    return port.endPort === undefined ? port.port === probe.port : port.port <= probe.port && probe.port <= port.endPort;
  };
  const direction = (subject: number, other: number, type: 'Ingress' | 'Egress') => {
    const applying = cluster.policies.filter(
      (p) => p.namespace === w[subject].namespace && selects(p.podSelector, w[subject].labels) && typesOf(p).includes(type),
    );
    if (applying.length === 0) return true;
    return applying.some((p) => (type === 'Ingress' ? p.ingress : p.egress).some((rule) =>
      (rule.peers === undefined || rule.peers.some((peer) => peerMatches(peer, p.namespace, other))) &&
      (rule.ports === undefined || rule.ports.some(portMatches))));
  };
  return direction(server, client, 'Ingress') && direction(client, server, 'Egress');
}

function covers(flow: NetworkFlow, probe: Probe): boolean {
  if (flow.protocol === 'any') return true;
  if (flow.protocol !== probe.protocol || flow.portName !== undefined) return false;
  if (flow.port === undefined) return true;
  return flow.port <= probe.port && probe.port <= (flow.endPort ?? flow.port);
}

test('the analysis agrees with a per-connection reading of the spec', () => {
  fc.assert(
    fc.property(clusterArb, (cluster) => {
      const objects = [
        ...NAMESPACES.map((ns, i) => namespace(ns, { env: cluster.envs[i] })),
        ...cluster.workloads.map((w, i) => deployment(`w${i}`, w.namespace, w.labels, [{ containerPort: w.http, name: 'http' }])),
        ...cluster.policies.map((p, i) => {
          const rules = (list: typeof p.ingress, field: string) =>
            list.map((r) => ({ ...(r.peers ? { [field]: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) }));
          return policy(`p${i}`, p.namespace, {
            podSelector: p.podSelector,
            ...(p.policyTypes ? { policyTypes: p.policyTypes } : {}),
            ingress: rules(p.ingress, 'from'),
            egress: rules(p.egress, 'to'),
          });
        }),
      ];
      const result = analyzeReachability(objects);
      expect(result.problems).toEqual([]);
      const id = (i: number) => `Deployment/${cluster.workloads[i].namespace}/w${i}`;
      cluster.workloads.forEach((_, client) => cluster.workloads.forEach((__, server) => {
        const between = result.flows.filter((f) => f.from === id(client) && f.to === id(server));
        for (const probe of PROBES) {
          const allowed = between.some((f) => covers(f, probe));
          expect({ client, server, probe, allowed }).toEqual({ client, server, probe, allowed: oracle(cluster, client, server, probe) });
        }
      }));
    }),
    { numRuns: 300 },
  );
});
