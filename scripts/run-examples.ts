/**
 * `npm run example`: synthesizes every examples/<app>/main.ts into dist/examples/<app>, then for each app
 *   1. checks the output with the CLI, exactly as a user would (`cdk8s-hardened check dist/examples/<app>`),
 *      printing its text output;
 *   2. writes the posture report (`cdk8s-hardened report`) to dist/examples/<app>/REPORT.md;
 *   3. validates every object against the schema of its kind: the Kubernetes OpenAPI schemas
 *      (kubernetes-models, test/util/k8s-schema.ts), the configuration-file schemas of the cluster area
 *      (test/cluster/config-schemas.ts) and the prometheus-operator CRD for PrometheusRule;
 *   4. when the app ships admission policies, applies its objects to a simulated API server running them with
 *      their params (test/admission/admit.ts, a real CEL engine): every object must be admitted;
 * prints one summary line per app and exits non-zero when any app has findings, input problems or schema errors.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { admissionVerdicts } from '../test/admission/admit';
import { CONFIG_SCHEMAS } from '../test/cluster/config-schemas';
import { configSchemaErrors } from '../test/cluster/validate-config';
import { prometheusRuleValidator } from '../test/monitoring/prometheus-rule-schema';
import { hasK8sSchema, k8sSchemaError } from '../test/util/k8s-schema';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const cli = path.join(root, 'src', 'cli', 'main.ts');

/** Schema errors of every object of the YAML files of `dir`, each prefixed with its file and document index. */
function schemaErrors(dir: string): string[] {
  let validatePrometheusRule: ReturnType<typeof prometheusRuleValidator> | undefined;
  const errors: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')).forEach((object: any, index) => {
      if (!object) return;
      const where = `${path.relative(root, path.join(dir, file))}#${index}`;
      let found: string[];
      if (hasK8sSchema(object)) {
        const error = k8sSchemaError(object);
        found = error === undefined ? [] : [error];
      } else if (CONFIG_SCHEMAS[String(object.kind)]) {
        found = configSchemaErrors(object);
      } else if (object.apiVersion === 'monitoring.coreos.com/v1' && object.kind === 'PrometheusRule') {
        validatePrometheusRule ??= prometheusRuleValidator();
        found = validatePrometheusRule(object) ? [] : (validatePrometheusRule.errors ?? []).map((e) => `PrometheusRule${e.instancePath} ${e.message}`);
      } else {
        found = [`no schema for ${object.apiVersion}/${object.kind} (add it to test/util/k8s-schema.ts)`];
      }
      errors.push(...found.map((e) => `${where}: ${e}`));
    });
  }
  return errors;
}

interface CliRun {
  readonly status: number;
  readonly output: string;
}

function runCli(args: string[]): CliRun {
  const run = spawnSync(tsx, [cli, ...args, '--no-progress'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (run.error) throw run.error;
  return { status: run.status ?? 2, output: `${run.stdout}${run.stderr}` };
}

/** The counts of the CLI's last line: `OK: 127 objects checked against 71 rules, 0 findings, 4 waived, 0 input problems`
 * (with findings: `..., 22 findings (6 high, 11 medium, 5 low), 0 waived, ...`). */
function summaryOf(output: string): { objects: number; findings: number; waived: number; problems: number } | undefined {
  const match = /(\d+) objects? checked against \d+ rules?, (\d+) findings?(?: \([^)]*\))?, (\d+) waived, (\d+) input problems?/.exec(output);
  if (!match) return undefined;
  const [objects, findings, waived, problems] = match.slice(1).map(Number);
  return { objects, findings, waived, problems };
}

const summaries: string[] = [];
let failed = false;
for (const name of fs.readdirSync(examplesDir).sort()) {
  const main = path.join(examplesDir, name, 'main.ts');
  if (!fs.existsSync(main)) continue;
  const outdir = path.join(root, 'dist', 'examples', name);
  const relOut = path.relative(root, outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  console.log(`== examples/${name}: synth -> ${relOut}`);
  try {
    execFileSync(tsx, [main], { cwd: root, stdio: 'inherit', env: { ...process.env, CDK8S_OUTDIR: outdir } });
  } catch {
    failed = true;
    summaries.push(`FAIL examples/${name}: synth failed (see above)`);
    continue;
  }

  console.log(`$ cdk8s-hardened check ${relOut}`);
  const check = runCli(['check', relOut, '--no-color']);
  process.stdout.write(check.output);
  const report = runCli(['report', relOut, '--output', path.join(relOut, 'REPORT.md')]);
  if (report.status !== check.status) process.stdout.write(report.output);
  const schema = schemaErrors(outdir);
  schema.forEach((e) => console.log(`  schema ${e}`));

  const objects = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(outdir, f), 'utf8')) as any[]).filter((o) => o);
  const admission = admissionVerdicts(objects);
  if (admission.policies > 0) {
    console.log(`admission: ${admission.policies} policies, ${admission.judged} (policy, object) pairs judged, ${admission.denials.length} denied`);
    admission.denials.forEach((d) => console.log(`  denied ${d}`));
  }

  const counts = summaryOf(check.output);
  const ok = check.status === 0 && counts !== undefined && counts.findings === 0 && counts.problems === 0 && schema.length === 0 && report.status === 0
    && admission.denials.length === 0;
  failed ||= !ok;
  summaries.push(
    counts
      ? `${ok ? 'ok  ' : 'FAIL'} examples/${name}: ${counts.objects} objects, ${counts.findings} findings, ${counts.waived} waived, ${counts.problems} problems, ${schema.length} schema errors (check exit ${check.status}) -> ${relOut}, ${relOut}/REPORT.md`
      : `FAIL examples/${name}: the CLI printed no summary (exit ${check.status}), ${schema.length} schema errors`,
  );
}
console.log('');
summaries.forEach((line) => console.log(line));
process.exit(failed ? 1 : 0);
