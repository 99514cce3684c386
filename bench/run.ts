/**
 * Runs every benchmark under bench/ (files named *.bench.ts), each in its own Node process so that time and
 * memory figures of one do not leak into another, and prints their Markdown sections in order.
 * The figures are recorded by hand in docs/benchmarks.md; the full output is also written to
 * bench/results/latest.md (ignored by git).
 *
 *   npm run bench                 # every benchmark
 *   npm run bench -- checker      # only benchmarks whose file name contains "checker"
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const benchDir = __dirname;
const filters = process.argv.slice(2);
const files = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`);
  process.exit(2);
}

const tsx = path.join(benchDir, '..', 'node_modules', '.bin', 'tsx');
const header = [
  `# Benchmark run ${new Date().toISOString()}`,
  '',
  `Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  '',
].join('\n');
const sections: string[] = [header];
let failed = false;
for (const file of files) {
  console.error(`running ${file} ...`);
  const run = spawnSync(tsx, [path.join(benchDir, file)], {
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) {
    failed = true;
    sections.push(`## ${file}\n\nFAILED with exit code ${run.status}\n`);
  } else {
    sections.push(run.stdout.trim() + '\n');
  }
}
const report = sections.join('\n');
console.log(report);
fs.mkdirSync(path.join(benchDir, 'results'), { recursive: true });
fs.writeFileSync(path.join(benchDir, 'results', 'latest.md'), report);
process.exit(failed ? 1 : 0);
