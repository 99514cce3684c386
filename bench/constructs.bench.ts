/**
 * Construct + synth cost of hardening: N HardenedDeployments + Services against N plain cdk8s-plus-27
 * Deployments + Services with the same containers, and against plain cdk8s-plus-27 that emits the same extra
 * objects and fields by hand, measured in the same process, in rotating order.
 * Run: `tsx bench/constructs.bench.ts [N] [rounds]`. Prints a Markdown section.
 */
import { ApiObject, App, Chart, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HardenedDeployment } from '../src';

const N = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 7);

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

/**
 * - `plain`: what issue 3 asks to compare against: a cdk8s-plus-27 Deployment + Service with the same containers.
 * - `matched`: the same plain cdk8s-plus-27 code, plus by hand what HardenedDeployment adds to the output
 *   (ServiceAccount with owner/purpose annotations, PodDisruptionBudget, 2 replicas, pod security context,
 *   dropped capabilities, seccomp and AppArmor profiles, /tmp emptyDir, topology spread). Its output is the
 *   hardened output minus nothing that matters for size, so hardened / matched is the cost of our code alone
 *   (defaults, harden, self-check) and matched / plain the cost of the larger output.
 * - `hardened`: HardenedDeployment + Service.
 * Every variant lives in a namespaced chart (a hardened workload without a namespace fails synth).
 */
type Variant = 'plain' | 'matched' | 'hardened';
const VARIANTS: Variant[] = ['plain', 'matched', 'hardened'];
const OWNER = 'team-bench';

function matchedDeployment(chart: Chart, i: number): kplus.Deployment {
  const serviceAccount = new kplus.ServiceAccount(chart, `d${i}ServiceAccount`, {
    automountToken: false,
    metadata: { annotations: { 'hardened.cdk8s.io/owner': OWNER, 'hardened.cdk8s.io/purpose': `Identity of HardenedDeployment bench/d${i}` } },
  });
  const deployment = new kplus.Deployment(chart, `d${i}`, {
    replicas: 2,
    serviceAccount,
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true, user: 65532, group: 65532, fsGroup: 65532, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH },
    containers: [container(i)],
  });
  const tmp = kplus.Volume.fromEmptyDir(deployment, 'tmp', 'tmp', { sizeLimit: Size.mebibytes(64) });
  deployment.containers[0].mount('/tmp', tmp);
  const selector = () => ({ matchLabels: deployment.matchLabels });
  const spread = (topologyKey: string) => ({ labelSelector: selector(), maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway' });
  const apiObject = ApiObject.of(deployment);
  apiObject.addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [spread('kubernetes.io/hostname'), spread('topology.kubernetes.io/zone')]),
  );
  // cdk8s-plus-27's Kubernetes 1.27 types drop appArmorProfile even from JSON patches: add it to the final JSON.
  const serialize = apiObject.toJson.bind(apiObject);
  apiObject.toJson = () => {
    const json = serialize();
    json.spec.template.spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' };
    return json;
  };
  new ApiObject(deployment, 'DisruptionBudget', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { namespace: 'bench' },
    spec: Lazy.any({ produce: () => ({ maxUnavailable: 1, selector: selector() }) }),
  });
  return deployment;
}

/** N workloads + Services of one variant, constructed (not synthesized). */
function build(variant: Variant): App {
  const app = new App({ outdir: '/tmp/cdk8s-hardened-bench' });
  const chart = new Chart(app, 'bench', { namespace: 'bench', labels: { 'hardened.cdk8s.io/owner': OWNER } });
  for (let i = 0; i < N; i++) {
    const deployment = variant === 'plain'
      ? new kplus.Deployment(chart, `d${i}`, { containers: [container(i)] })
      : variant === 'matched'
        ? matchedDeployment(chart, i)
        : new HardenedDeployment(chart, `d${i}`, { containers: [container(i)] });
    deployment.exposeViaService();
  }
  return app;
}

/** Builds and synthesizes one app (`app.synthYaml()` runs validation, like `cdk8s synth`); returns milliseconds and bytes. */
function run(variant: Variant): { ms: number; bytes: number; objects: number } {
  const start = process.hrtime.bigint();
  const yaml = build(variant).synthYaml();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, bytes: yaml.length, objects: yaml.split('\n---\n').length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const mib = (n: number) => (n / 1024 / 1024).toFixed(2);

/** Heap held by a constructed (not synthesized) app; only meaningful with a forced GC before (`--expose-gc`). */
function heapAfter(variant: Variant): string {
  if (!global.gc) return 'n/a';
  global.gc();
  const before = process.memoryUsage().heapUsed;
  const app = build(variant);
  const used = process.memoryUsage().heapUsed - before;
  void app;
  return mib(used);
}

// Warm-up (JIT, module loading), then rotate the order so every variant sees the same machine load.
VARIANTS.forEach((variant) => run(variant));
const times: Record<Variant, number[]> = { plain: [], matched: [], hardened: [] };
const ratios: Record<'hardened' | 'matched' | 'ours', number[]> = { hardened: [], matched: [], ours: [] };
const objects: Record<Variant, number> = { plain: 0, matched: 0, hardened: 0 };
const bytes: Record<Variant, number> = { plain: 0, matched: 0, hardened: 0 };
for (let r = 0; r < ROUNDS; r++) {
  const order = [...VARIANTS.slice(r % 3), ...VARIANTS.slice(0, r % 3)];
  const round: Partial<Record<Variant, number>> = {};
  for (const variant of order) {
    const result = run(variant);
    times[variant].push(result.ms);
    round[variant] = result.ms;
    objects[variant] = result.objects;
    bytes[variant] = result.bytes;
  }
  ratios.hardened.push(round.hardened! / round.plain!);
  ratios.matched.push(round.matched! / round.plain!);
  ratios.ours.push(round.hardened! / round.matched!);
}
const row = (label: string, variant: Variant) =>
  `| ${label} | ${objects[variant]} | ${mib(bytes[variant])} | ${median(times[variant]).toFixed(0)} | ${Math.min(...times[variant]).toFixed(0)} | ${Math.max(...times[variant]).toFixed(0)} | ${heapAfter(variant)} |`;

console.log(`## Constructs: HardenedDeployment vs cdk8s-plus-27 Deployment (N = ${N})

Construct + synth (\`app.synthYaml()\`, which runs validation, like \`cdk8s synth\`) of N Deployments + Services, ${ROUNDS} rounds after a warm-up, the order of the variants rotated each round, Node ${process.version}. Ratios are medians of the per-round ratios.

| variant | objects | YAML MiB | median ms | min ms | max ms | heap after construct (MiB; needs NODE_OPTIONS=--expose-gc) |
| --- | --- | --- | --- | --- | --- | --- |
${row('plain cdk8s-plus-27', 'plain')}
${row('plain cdk8s-plus-27 + the same extra objects and fields by hand', 'matched')}
${row('HardenedDeployment', 'hardened')}

- Required comparison, hardened / plain: **${median(ratios.hardened).toFixed(2)}x** (target <= 1.3x).
- Cost of the larger output, matched / plain: ${median(ratios.matched).toFixed(2)}x.
- Cost of our code at equal output, hardened / matched: ${median(ratios.ours).toFixed(2)}x.`);
