/**
 * Checker benchmark: `cdk8s-hardened check` (load with file and line, type checks, every catalog rule,
 * exemptions, JSON rendering) against parsing the same YAML with js-yaml alone, at 1k, 10k and 50k objects
 * (half Deployments, half Services; about 800 bytes of YAML per object, so 10k objects are about 8 MB).
 *
 * Each measurement runs in its own child process so that its peak RSS is its own. Prints a Markdown section.
 * Run: tsx bench/checker.bench.ts            (all sizes)
 *      tsx bench/checker.bench.ts 1000 10000 (chosen sizes)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { render } from '../src/check/report';
import { scan } from '../src/cli/run';
import { ALL_RULES } from '../src/rules';

type Mode = 'parse' | 'check';

interface Measurement {
  readonly medianMs: number;
  readonly peakRssMb: number;
  readonly objects: number;
  readonly findings: number;
}

const DEFAULT_SIZES = [1_000, 10_000, 50_000];

/** A realistic Deployment + Service pair; one Deployment in a hundred runs privileged, so findings exist. */
function pair(i: number): string {
  const privileged = i % 100 === 0;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 20}
  labels: {app.kubernetes.io/name: app-${i}, app.kubernetes.io/part-of: shop, tier: backend}
  annotations:
    owner: team-${i % 20}@example.com
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: app-${i}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: app-${i}, tier: backend}
    spec:
      serviceAccountName: app-${i}
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: app
          image: registry.example.com/shop/app-${i}@sha256:${(i * 2654435761).toString(16).padStart(16, '0')}
          ports: [{containerPort: 8080, name: http}]
          env:
            - {name: LOG_LEVEL, value: info}
            - {name: PORT, value: "8080"}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 10}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: ${privileged}
            capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: team-${i % 20}
  labels: {app.kubernetes.io/name: app-${i}}
spec:
  selector: {app.kubernetes.io/name: app-${i}}
  ports: [{name: http, port: 80, targetPort: http}]
---
`;
}

function generate(objects: number, file: string): number {
  const parts: string[] = [];
  for (let i = 0; i < objects / 2; i++) parts.push(pair(i));
  const text = parts.join('');
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Child process: measures one mode over one file, prints JSON. */
async function child(mode: Mode, file: string, rounds: number): Promise<void> {
  const times: number[] = [];
  let objects = 0;
  let findings = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    if (mode === 'parse') {
      // The floor: read the file and parse every document with js-yaml, nothing else.
      objects = yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d !== null && d !== undefined).length;
    } else {
      const { report } = await scan([file]);
      render('json', report);
      objects = report.result.objectCount;
      findings = report.result.findings.length;
    }
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const result: Measurement = { medianMs: median(times), peakRssMb: process.resourceUsage().maxRSS / 1024, objects, findings };
  process.stdout.write(JSON.stringify(result));
}

function measure(mode: Mode, file: string, rounds: number): Measurement {
  const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const out = execFileSync(tsx, [__filename, '--child', mode, file, String(rounds)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out);
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-bench-'));
  const rows: string[] = [];
  try {
    for (const objects of sizes.length ? sizes : DEFAULT_SIZES) {
      const file = path.join(dir, `objects-${objects}.yaml`);
      const bytes = generate(objects, file);
      const rounds = objects <= 1_000 ? 7 : objects <= 10_000 ? 5 : 3;
      const parse = measure('parse', file, rounds);
      const check = measure('check', file, rounds);
      if (check.objects !== objects || parse.objects !== objects) throw new Error(`expected ${objects} objects, parsed ${parse.objects}, checked ${check.objects}`);
      rows.push(
        `| ${objects.toLocaleString('en')} | ${(bytes / 1e6).toFixed(1)} MB | ${parse.medianMs.toFixed(0)} ms | ${check.medianMs.toFixed(0)} ms | ${(check.medianMs / parse.medianMs).toFixed(2)}x | ${parse.peakRssMb.toFixed(0)} MB | ${check.peakRssMb.toFixed(0)} MB | ${check.findings} |`,
      );
      fs.rmSync(file);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  console.log(
    [
      '## Checker: `cdk8s-hardened check` vs js-yaml parse only',
      '',
      `Node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}; catalog of ${ALL_RULES.length} rules. Median of rounds; each column in its own process (peak RSS includes Node and tsx, about 60-80 MB).`,
      '',
      '| objects | YAML | js-yaml parse | load + check | ratio | peak RSS parse | peak RSS check | findings |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
}

if (process.argv[2] === '--child') {
  void child(process.argv[3] as Mode, process.argv[4], Number(process.argv[5]));
} else {
  main();
}
