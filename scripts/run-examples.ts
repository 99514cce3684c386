/**
 * `npm run example`: synthesizes every examples/<app>/main.ts into dist/examples/<app> and checks the output.
 * The check runs the rule engine in-process over the synthesized YAML (the same engine as the CLI; the lead
 * switches this to `cdk8s-hardened check <dir>` once the CLI is merged). Every object is also validated against
 * the Kubernetes schema of its kind (kubernetes-models).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { DaemonSet, Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { RuntimeClass } from 'kubernetes-models/node.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { checkObjects } from '../src/check/engine';
import type { CheckInput } from '../src/check/types';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');

/** Kubernetes schemas of the kinds the examples emit; an unknown kind is reported rather than skipped. */
const SCHEMAS: Record<string, new (data: any) => { validate(): void }> = {
  ConfigMap, CronJob, DaemonSet, Deployment, Job, PodDisruptionBudget, RuntimeClass, Service, ServiceAccount, StatefulSet,
};

function schemaErrors(inputs: CheckInput[]): string[] {
  return inputs.flatMap(({ object, source }) => {
    const Model = SCHEMAS[String(object.kind)];
    const where = `${source?.file}#${source?.documentIndex} ${String(object.kind)}`;
    if (!Model) return [`  schema ${where}: no schema model for this kind in scripts/run-examples.ts`];
    try {
      new Model(object).validate();
      return [];
    } catch (e) {
      return [`  schema ${where}: ${(e as Error).message}`];
    }
  });
}

function checkDirectory(dir: string): { objects: number; findings: number; waived: number; problems: number; report: string[] } {
  const inputs: CheckInput[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    yaml.loadAll(text).forEach((object, documentIndex) => {
      if (object) inputs.push({ object: object as CheckInput['object'], source: { file: path.relative(root, path.join(dir, file)), documentIndex } });
    });
  }
  const result = checkObjects(inputs);
  const schema = schemaErrors(inputs);
  const report = [
    ...schema,
    ...result.findings.map((f) => `  FAIL ${f.ruleId} ${f.kind}/${f.name} ${f.path}: ${f.message}`),
    ...result.waived.map((f) => `  waived ${f.ruleId} ${f.kind}/${f.name}: ${f.waiver?.reason}`),
    ...result.problems.map((p) => `  problem ${p.file ?? ''}: ${p.message}`),
  ];
  return {
    objects: result.objectCount,
    findings: result.findings.length,
    waived: result.waived.length,
    problems: result.problems.length + schema.length,
    report,
  };
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
