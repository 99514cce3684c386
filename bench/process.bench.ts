/**
 * Whole-process benchmark, as a user runs it: `cdk8s-hardened check --format json FILE` (the npm package's bin,
 * the bundled CLI that the compile task writes) against a Node process that only parses the same file
 * with js-yaml. Both are timed from outside (spawn to exit, Node start-up and module loading included).
 * Rounds are paired (parse, then check, back to back) so that a change in the shared machine's load hits both;
 * the ratio is the median of the per-round ratios.
 *
 * Needs a compiled lib/ with the bundle (`npm run bench` compiles first). Prints a Markdown section.
 * Run: tsx bench/process.bench.ts [objects] [rounds]     (default 10000 objects, 5 rounds)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generate, median } from './checker-input';

const ROOT = path.join(__dirname, '..');
/** What `npx cdk8s-hardened` runs: package.json's bin. */
const CLI = path.join(ROOT, JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin['cdk8s-hardened']);
/** The parse-only floor: read and parse every document, as the CLI's reader has to. */
const PARSE_ONLY = "const yaml = require('js-yaml'); const docs = yaml.loadAll(require('fs').readFileSync(process.argv[1], 'utf8')); if (docs.length === 0) process.exit(3);";

const REPORT_CPU = path.join(__dirname, 'report-cpu.js');

interface RunTime {
  /** Spawn to exit, measured here. */
  readonly wallMs: number;
  /** User + system CPU of the child (all its threads), reported by the preloaded report-cpu.js. */
  readonly cpuMs: number;
}

function timedRun(args: string[], okCodes: number[]): RunTime {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-r', REPORT_CPU, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status === null || !okCodes.includes(run.status)) throw new Error(`${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
  const cpu = /BENCH_CPU_MS=([\d.]+)\s*$/.exec(run.stderr);
  if (!cpu) throw new Error(`${args.join(' ')} did not report its CPU time: ${run.stderr.slice(-500)}`);
  return { wallMs, cpuMs: Number(cpu[1]) };
}

function main(): void {
  const objects = Number(process.argv[2] ?? 10_000);
  const rounds = Number(process.argv[3] ?? 5);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: compile first (npx projen compile)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-process-'));
  try {
    const file = path.join(dir, `objects-${objects}.yaml`);
    const bytes = generate(objects, file);
    const parse = () => timedRun(['-e', PARSE_ONLY, file], [0]);
    // Exit 1: findings (the file has privileged Deployments on purpose).
    const check = () => timedRun([CLI, 'check', '--format', 'json', file], [1]);
    parse();
    check(); // warm the file cache and the disk, not the processes (each run is a new process)
    const parses: RunTime[] = [];
    const checks: RunTime[] = [];
    for (let r = 0; r < rounds; r++) {
      parses.push(parse());
      checks.push(check());
    }
    const wall = (list: RunTime[]) => median(list.map((t) => t.wallMs));
    const cpu = (list: RunTime[]) => median(list.map((t) => t.cpuMs));
    const wallRatio = median(parses.map((p, i) => checks[i].wallMs / p.wallMs));
    const cpuRatio = median(parses.map((p, i) => checks[i].cpuMs / p.cpuMs));
    const cpus = os.cpus();
    console.log(
      [
        '## Whole process: `cdk8s-hardened check --format json` vs `node` + js-yaml parse only',
        '',
        `Node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0].toFixed(1)}; ` +
          `${objects.toLocaleString('en')} objects, ${(bytes / 1e6).toFixed(1)} MB; ${rounds} paired rounds after one warm-up of each.`,
        `Wall: spawn to exit of \`node ${path.relative(ROOT, CLI)} check --format json FILE > /dev/null\` (the npm bin) and of`,
        '`node -e "require(\'js-yaml\').loadAll(...)"`, timed here. CPU: user + system time of each process (all',
        'threads), less sensitive to the load of a shared machine. Ratios: median of the per-round ratios.',
        '',
        '| measure | parse-only process | check process | ratio | rounds (parse / check ms) |',
        '| --- | ---: | ---: | ---: | --- |',
        `| wall | ${wall(parses).toFixed(0)} ms | ${wall(checks).toFixed(0)} ms | ${wallRatio.toFixed(2)}x | ` +
          `${parses.map((p, i) => `${p.wallMs.toFixed(0)}/${checks[i].wallMs.toFixed(0)}`).join(', ')} |`,
        `| CPU | ${cpu(parses).toFixed(0)} ms | ${cpu(checks).toFixed(0)} ms | ${cpuRatio.toFixed(2)}x | ` +
          `${parses.map((p, i) => `${p.cpuMs.toFixed(0)}/${checks[i].cpuMs.toFixed(0)}`).join(', ')} |`,
        '',
      ].join('\n'),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
