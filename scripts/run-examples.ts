/**
 * `npm run example`: synthesizes every examples/<app>/main.ts into dist/examples/<app> and checks the output.
 * The check runs the rule engine in-process over the synthesized YAML (the same engine as the CLI; the lead
 * switches this to `cdk8s-hardened check <dir>` once the CLI is merged).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { checkObjects } from '../src/check/engine';
import type { CheckInput } from '../src/check/types';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');

function checkDirectory(dir: string): { objects: number; findings: number; waived: number; problems: number; report: string[] } {
  const inputs: CheckInput[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    yaml.loadAll(text).forEach((object, documentIndex) => {
      if (object) inputs.push({ object: object as CheckInput['object'], source: { file: path.relative(root, path.join(dir, file)), documentIndex } });
    });
  }
  const result = checkObjects(inputs);
  const report = [
    ...result.findings.map((f) => `  FAIL ${f.ruleId} ${f.kind}/${f.name} ${f.path}: ${f.message}`),
    ...result.waived.map((f) => `  waived ${f.ruleId} ${f.kind}/${f.name}: ${f.waiver?.reason}`),
    ...result.problems.map((p) => `  problem ${p.file ?? ''}: ${p.message}`),
  ];
  return { objects: result.objectCount, findings: result.findings.length, waived: result.waived.length, problems: result.problems.length, report };
}

let failed = false;
for (const name of fs.readdirSync(examplesDir).sort()) {
  const main = path.join(examplesDir, name, 'main.ts');
  if (!fs.existsSync(main)) continue;
  const outdir = path.join(root, 'dist', 'examples', name);
  fs.rmSync(outdir, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('tsx/cli'), main], { cwd: root, stdio: 'inherit', env: { ...process.env, CDK8S_OUTDIR: outdir } });
  const summary = checkDirectory(outdir);
  const ok = summary.findings === 0 && summary.problems === 0;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'FAIL'} examples/${name}: ${summary.objects} objects, ${summary.findings} findings, ${summary.waived} waived, ${summary.problems} problems -> ${path.relative(root, outdir)}`);
  summary.report.forEach((line) => console.log(line));
}
process.exit(failed ? 1 : 0);
