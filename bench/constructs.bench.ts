/**
 * Construct + synth cost of hardening: N HardenedDeployments + Services against N plain cdk8s-plus-27
 * Deployments + Services with the same containers, measured in the same process, alternating rounds.
 * Run: `tsx bench/constructs.bench.ts [N] [rounds]`. Prints a Markdown section.
 */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HardenedDeployment } from '../src';

const N = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 5);

const container = (i: number): kplus.ContainerProps => ({
  name: 'app',
  image: `registry.example.com/team/app${i}@sha256:${'a'.repeat(64)}`,
  portNumber: 8080,
  resources: {
    cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
    memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
  },
  liveness: kplus.Probe.fromHttpGet('/healthz'),
  readiness: kplus.Probe.fromHttpGet('/ready'),
});

type Variant = 'plain' | 'hardened';

/** Builds and synthesizes one app (synthYaml runs validation, like `cdk8s synth`); returns milliseconds and bytes. */
function run(variant: Variant): { ms: number; bytes: number; objects: number } {
  const start = process.hrtime.bigint();
  const app = new App({ outdir: '/tmp/cdk8s-hardened-bench' });
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < N; i++) {
    const deployment = variant === 'plain'
      ? new kplus.Deployment(chart, `d${i}`, { containers: [container(i)] })
      : new HardenedDeployment(chart, `d${i}`, { containers: [container(i)] });
    deployment.exposeViaService();
  }
  const yaml = app.synthYaml();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, bytes: yaml.length, objects: yaml.split('\n---\n').length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function heapAfter(variant: Variant): number {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const app = new App({ outdir: '/tmp/cdk8s-hardened-bench' });
  const chart = new Chart(app, 'bench');
  for (let i = 0; i < N; i++) {
    const d = variant === 'plain' ? new kplus.Deployment(chart, `d${i}`, { containers: [container(i)] }) : new HardenedDeployment(chart, `d${i}`, { containers: [container(i)] });
    d.exposeViaService();
  }
  const used = process.memoryUsage().heapUsed - before;
  void app;
  return used;
}

// Warm-up (JIT, module loading), then alternate so both variants see the same machine load.
run('plain');
run('hardened');
const times: Record<Variant, number[]> = { plain: [], hardened: [] };
let objects: Record<Variant, number> = { plain: 0, hardened: 0 };
let bytes: Record<Variant, number> = { plain: 0, hardened: 0 };
for (let r = 0; r < ROUNDS; r++) {
  for (const variant of (r % 2 ? ['hardened', 'plain'] : ['plain', 'hardened']) as Variant[]) {
    const result = run(variant);
    times[variant].push(result.ms);
    objects = { ...objects, [variant]: result.objects };
    bytes = { ...bytes, [variant]: result.bytes };
  }
}
const plain = median(times.plain);
const hardened = median(times.hardened);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

console.log(`## Constructs: HardenedDeployment vs cdk8s-plus-27 Deployment (N = ${N})

Construct + synth (\`app.synthYaml()\`, which runs validation) of N Deployments + Services, median of ${ROUNDS} alternating rounds after a warm-up, Node ${process.version}.

| variant | objects | YAML MiB | median ms | min ms | max ms | heap after construct (MiB, gc ${global.gc ? 'on' : 'off'}) |
| --- | --- | --- | --- | --- | --- | --- |
| plain cdk8s-plus-27 | ${objects.plain} | ${mib(bytes.plain)} | ${plain.toFixed(0)} | ${Math.min(...times.plain).toFixed(0)} | ${Math.max(...times.plain).toFixed(0)} | ${mib(heapAfter('plain'))} |
| HardenedDeployment | ${objects.hardened} | ${mib(bytes.hardened)} | ${hardened.toFixed(0)} | ${Math.min(...times.hardened).toFixed(0)} | ${Math.max(...times.hardened).toFixed(0)} | ${mib(heapAfter('hardened'))} |

Ratio hardened / plain: **${(hardened / plain).toFixed(2)}x** on medians, ${(Math.min(...times.hardened) / Math.min(...times.plain)).toFixed(2)}x on best rounds (target <= 1.3x).`);
