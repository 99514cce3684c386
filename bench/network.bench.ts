/**
 * Reachability analysis benchmark: N workloads and N NetworkPolicies (10 workloads a namespace, one policy a
 * workload with ingress and egress rules, pod and namespace selectors, named ports), for N = 250, 1000, 4000.
 * Prints a Markdown section for docs/benchmarks.md. Run: `tsx bench/network.bench.ts`.
 */
import { performance } from 'node:perf_hooks';
import { analyzeReachability, toMermaid } from '../src/analysis/network';

const PER_NAMESPACE = 10;
const NAMESPACES_PER_TEAM = 5;

/** A synthetic cluster: namespaces labelled by team, a chain of flows inside each, some cross-namespace flows. */
export function syntheticCluster(workloads: number): unknown[] {
  const objects: unknown[] = [];
  const namespaces = Math.ceil(workloads / PER_NAMESPACE);
  // Teams of NAMESPACES_PER_TEAM namespaces: the fan-out of a team-wide selector stays constant as the cluster grows.
  const teams = Math.max(1, Math.ceil(namespaces / NAMESPACES_PER_TEAM));
  for (let n = 0; n < namespaces; n++) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}`, labels: { team: `team-${n % teams}` } } });
  }
  for (let i = 0; i < workloads; i++) {
    const nsIndex = Math.floor(i / PER_NAMESPACE);
    const ns = `ns-${nsIndex}`;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `w-${i}`, namespace: ns },
      spec: {
        selector: { matchLabels: { app: `w-${i}` } },
        template: {
          metadata: { labels: { app: `w-${i}`, tier: i % 3 === 0 ? 'web' : 'backend' } },
          spec: { containers: [{ name: 'main', image: 'app', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] },
        },
      },
    });
    const next = (i + 1) % PER_NAMESPACE === 0 ? i + 1 - PER_NAMESPACE : i + 1;
    const previous = i % PER_NAMESPACE === 0 ? i + PER_NAMESPACE - 1 : i - 1;
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `w-${i}`, namespace: ns },
      spec: {
        podSelector: { matchLabels: { app: `w-${i}` } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: `w-${previous}` } } }], ports: [{ port: 'http' }] },
          // Monitoring from every namespace of one team: a namespaceSelector AND podSelector peer.
          { from: [{ namespaceSelector: { matchLabels: { team: `team-${nsIndex % teams}` } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] } }], ports: [{ port: 9090 }] },
        ],
        egress: [
          { to: [{ podSelector: { matchLabels: { app: `w-${next}` } } }], ports: [{ port: 8080 }] },
          { to: [{ namespaceSelector: { matchLabels: { team: `team-${nsIndex % teams}` } } }], ports: [{ port: 9090 }] },
          { to: [{ ipBlock: { cidr: `10.${i % 250}.0.0/16`, except: [`10.${i % 250}.1.0/24`] } }], ports: [{ port: 443, endPort: 450 }] },
        ],
      },
    });
  }
  return objects;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export interface NetworkBenchPoint {
  readonly workloads: number;
  readonly policies: number;
  readonly flows: number;
  readonly analyzeMs: number;
  readonly mermaidMs: number;
}

export function runNetworkBench(sizes: readonly number[] = [250, 1000, 4000], runs = 5): NetworkBenchPoint[] {
  // Warm up the JIT so the first point is not penalised by compilation.
  const warmUp = syntheticCluster(500);
  for (let i = 0; i < 3; i++) toMermaid(analyzeReachability(warmUp));
  return sizes.map((size) => {
    const objects = syntheticCluster(size);
    const times: number[] = [];
    const mermaid: number[] = [];
    let flows = 0;
    for (let r = 0; r < runs; r++) {
      const start = performance.now();
      const result = analyzeReachability(objects);
      times.push(performance.now() - start);
      const renderStart = performance.now();
      toMermaid(result);
      mermaid.push(performance.now() - renderStart);
      flows = result.flows.length;
    }
    return { workloads: size, policies: size, flows, analyzeMs: median(times), mermaidMs: median(mermaid) };
  });
}

export function formatNetworkBench(points: readonly NetworkBenchPoint[]): string {
  const lines = [
    '## Network reachability analysis',
    '',
    `Synthetic cluster: ${PER_NAMESPACE} workloads a namespace, ${NAMESPACES_PER_TEAM} namespaces a team, one NetworkPolicy a workload (ingress by podSelector with a named port,`,
    'ingress from the own team by namespaceSelector AND podSelector with matchExpressions, egress by podSelector, to the own team by',
    'namespaceSelector, and by ipBlock with except and endPort). Median of 5 runs, `analyzeReachability` on parsed objects, then `toMermaid` on its result.',
    '',
    '| workloads | policies | flows | analysis (ms) | Mermaid (ms) | analysis per workload (µs) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...points.map(
      (p) => `| ${p.workloads} | ${p.policies} | ${p.flows} | ${p.analyzeMs.toFixed(1)} | ${p.mermaidMs.toFixed(1)} | ${((p.analyzeMs * 1000) / p.workloads).toFixed(1)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  process.stdout.write(formatNetworkBench(runNetworkBench()));
}
