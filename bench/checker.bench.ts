/**
 * Checker benchmark: `cdk8s-hardened check` (load with file and line, type checks, every catalog rule,
 * exemptions, JSON rendering) against parsing the same YAML with js-yaml alone, at 1k, 10k and 50k objects
 * (half Deployments, half Services; about 800 bytes of YAML per object, so 10k objects are about 8 MB).
 *
 * Times come from one child process that alternates parse and check; each peak RSS from a child process of
 * its own. Prints a Markdown section.
 * Run: tsx bench/checker.bench.ts            (all sizes)
 *      tsx bench/checker.bench.ts 1000 10000 (chosen sizes)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { render } from '../src/report';
import { scan } from '../src/engine/scan';
import { ALL_RULES } from '../src/rules';
import { generate, median } from './checker-input';

type Mode = 'parse' | 'check';

interface Timing {
  readonly parseMs: number;
  readonly checkMs: number;
  /** Median of the per-round ratios check / parse. */
  readonly ratio: number;
  readonly objects: number;
  readonly findings: number;
}

const DEFAULT_SIZES = [1_000, 10_000, 50_000];

/** One run of a mode over the file: the number of objects and findings. */
async function runOnce(mode: Mode, file: string): Promise<{ objects: number; findings: number }> {
  if (mode === 'parse') {
    // The floor: read the file and parse every document with js-yaml, nothing else.
    return { objects: yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d !== null && d !== undefined).length, findings: 0 };
  }
  const { report } = await scan([file]);
  render('json', report);
  return { objects: report.result.objectCount, findings: report.result.findings.length };
}

async function timed(mode: Mode, file: string): Promise<{ ms: number; objects: number; findings: number }> {
  const start = process.hrtime.bigint();
  const counts = await runOnce(mode, file);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, ...counts };
}

/**
 * Child process for times: parse and check alternate round by round in one process, so that a change in
 * the machine's load (it is shared) hits both sides alike; the ratio is the median of per-round ratios.
 */
async function timeChild(file: string, rounds: number): Promise<void> {
  await runOnce('parse', file); // warm-up: module loading and JIT for both paths
  await runOnce('check', file);
  const parse: number[] = [];
  const check: number[] = [];
  const ratios: number[] = [];
  let objects = 0;
  let findings = 0;
  for (let r = 0; r < rounds; r++) {
    const p = await timed('parse', file);
    const c = await timed('check', file);
    parse.push(p.ms);
    check.push(c.ms);
    ratios.push(c.ms / p.ms);
    if (p.objects !== c.objects) throw new Error(`parse saw ${p.objects} objects, check ${c.objects}`);
    objects = c.objects;
    findings = c.findings;
  }
  const result: Timing = { parseMs: median(parse), checkMs: median(check), ratio: median(ratios), objects, findings };
  process.stdout.write(JSON.stringify(result));
}

/** Child process for memory: one run of one mode; its peak RSS is that run's. */
async function memoryChild(mode: Mode, file: string): Promise<void> {
  await runOnce(mode, file);
  process.stdout.write(JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function child<T>(args: string[]): T {
  const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  return JSON.parse(execFileSync(tsx, [__filename, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }));
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-bench-'));
  const rows: string[] = [];
  try {
    for (const objects of sizes.length ? sizes : DEFAULT_SIZES) {
      const file = path.join(dir, `objects-${objects}.yaml`);
      const bytes = generate(objects, file);
      const rounds = objects <= 1_000 ? 9 : objects <= 10_000 ? 5 : 3;
      const time = child<Timing>(['time', file, String(rounds)]);
      const parseRss = child<{ peakRssMb: number }>(['memory', 'parse', file]).peakRssMb;
      const checkRss = child<{ peakRssMb: number }>(['memory', 'check', file]).peakRssMb;
      if (time.objects !== objects) throw new Error(`expected ${objects} objects, checked ${time.objects}`);
      rows.push(
        `| ${objects.toLocaleString('en')} | ${(bytes / 1e6).toFixed(1)} MB | ${time.parseMs.toFixed(0)} ms | ${time.checkMs.toFixed(0)} ms | ${time.ratio.toFixed(2)}x | ${parseRss.toFixed(0)} MB | ${checkRss.toFixed(0)} MB | ${time.findings} |`,
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
      `Node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}; catalog of ${ALL_RULES.length} rules.`,
      'Times: median of rounds after a warm-up, parse and check alternating in one process; ratio: median of per-round ratios.',
      'Peak RSS: one run per process (includes Node and tsx, about 60-80 MB).',
      '',
      '| objects | YAML | js-yaml parse | load + check | ratio | peak RSS parse | peak RSS check | findings |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
}

if (process.argv[2] === '--child' && process.argv[3] === 'time') {
  void timeChild(process.argv[4], Number(process.argv[5]));
} else if (process.argv[2] === '--child' && process.argv[3] === 'memory') {
  void memoryChild(process.argv[4] as Mode, process.argv[5]);
} else {
  main();
}
