/**
 * Wrong-typed fields are judged the same by every entry point: the CLI, the cdk8s validation plugin and
 * `Hardening.enforce` all run the engine's shape checks before the rules, so the same manifests give the same
 * findings and the same input problems per object, each reported once.
 */
import { App, Chart } from 'cdk8s';
import { Hardening, HardenedInclude, HardenedValidation } from '../../src';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import { cli, tempDir, write } from '../cli/helpers';

/** The rules that read the wrong-typed fields below (pinned: the catalog grows in parallel). */
const RULES = ['pod-privileged', 'pod-host-namespaces', 'pod-run-as-user', 'pod-run-as-non-root'];

const pod = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
spec:
${spec}`;

const MANIFESTS = [
  pod('priv', '  containers:\n    - name: app\n      image: nginx\n      securityContext: {privileged: "true"}\n'),
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: strc
  namespace: shop
spec:
  template:
    spec:
      containers: app
`,
  pod('sclist', '  securityContext: {runAsNonRoot: true}\n  containers:\n    - name: app\n      image: nginx\n      securityContext: [privileged]\n'),
  pod('uid', '  securityContext: {runAsUser: "0", runAsNonRoot: true}\n  containers:\n    - name: app\n      image: nginx\n'),
  pod('hostnet', '  hostNetwork: "yes"\n  securityContext: {runAsNonRoot: true}\n  containers:\n    - name: app\n      image: nginx\n'),
  // A wrong type must not hide a real finding elsewhere in the same object.
  pod('mixed', '  securityContext: {runAsNonRoot: true}\n  containers:\n    - name: real\n      image: nginx\n      securityContext: {privileged: true}\n    - name: typo\n      image: nginx\n      securityContext: {runAsUser: "1000"}\n'),
].join('---\n');

/** The shape errors every judge must report, once each. */
const SHAPE_PROBLEMS = [
  'Deployment shop/strc: spec.template.spec.containers must be a list, got a string',
  'Pod shop/hostnet: spec.hostNetwork must be a boolean, got a string',
  'Pod shop/mixed: spec.containers[1].securityContext.runAsUser must be an integer, got a string',
  'Pod shop/priv: spec.containers[0].securityContext.privileged must be a boolean, got a string',
  'Pod shop/sclist: spec.containers[0].securityContext must be a mapping, got a list',
  'Pod shop/uid: spec.securityContext.runAsUser must be an integer, got a string',
];

/** One line per finding (`object rule path`) and per input problem (`problem: message`), sorted. */
type Verdict = string[];

/** `file:line: message` -> `message` (the CLI and the plugin prefix a problem with where it was read). */
const withoutLocation = (text: string) => text.replace(/^[^:]*:\d+: /, '');

async function viaCli(file: string): Promise<Verdict> {
  const run = await cli(['check', ...RULES.flatMap((r) => ['--rule', r]), file, '--format', 'json']);
  expect(run.code).toBe(2);
  const json = JSON.parse(run.stdout);
  return [
    ...json.findings.map((f: any) => `${f.name} ${f.ruleId} ${f.path}`),
    ...json.problems.map((p: any) => `problem: ${p.message}`),
  ].sort();
}

async function viaPlugin(file: string): Promise<Verdict> {
  const violations: any[] = [];
  let status: string | undefined;
  const context = {
    manifests: [file],
    report: { addViolation: (v: any) => violations.push(v), submit: (s: string) => (status = s) },
    logger: { log: () => undefined },
  };
  await new HardenedValidation({ rules: RULES }).validate(context);
  expect(status).toBe('failure');
  const verdict: Verdict = [];
  for (const v of violations) {
    for (const r of v.violatingResources) {
      for (const location of r.locations) {
        if (v.ruleName === 'input-problem') verdict.push(`problem: ${withoutLocation(location)}`);
        else verdict.push(`${r.resourceName} ${v.ruleName.replace(/ \(.*\)$/, '')} ${location.slice(0, location.indexOf(': '))}`);
      }
    }
  }
  return verdict.sort();
}

function viaEnforce(file: string): Verdict {
  const app = new App({ outdir: '/tmp/cdk8s-hardened-test' });
  const chart = new Chart(app, 'c');
  // enforce has no include list: it skips the rest of the catalog.
  Hardening.enforce(chart, { skip: ALL_RULES.map((r) => r.id).filter((id) => !RULES.includes(id)) });
  new HardenedInclude(chart, 'inc', { url: file });
  let message = '';
  try {
    app.synthYaml();
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatch(/cdk8s-hardened: \d+ findings?/);
  const verdict: Verdict = [];
  for (const line of message.split('\n')) {
    const problem = /^\s+input problem: (.*)$/.exec(line);
    if (problem) verdict.push(`problem: ${problem[1]}`);
    // A table row: rule, severity, `Kind/namespace/name (construct path)`, path.
    const row = /^\s+(pod-[a-z-]+)\s+\S+\s+[^/\s]+\/[^/\s]+\/(\S+) \(\S+\)\s+(\S+)$/.exec(line);
    if (row) verdict.push(`${row[2]} ${row[1]} ${row[3]}`);
  }
  return verdict.sort();
}

describe('shape checks run before the rules, for every judge', () => {
  const dir = tempDir();
  const file = write(dir, 'wrong-types.yaml', MANIFESTS);

  test('the CLI, the plugin and Hardening.enforce give identical verdicts, each report once', async () => {
    const verdicts = { cli: await viaCli(file), plugin: await viaPlugin(file), enforce: viaEnforce(file) };
    expect(verdicts.plugin).toEqual(verdicts.cli);
    expect(verdicts.enforce).toEqual(verdicts.cli);
    expect(new Set(verdicts.cli).size).toBe(verdicts.cli.length);
    expect(verdicts.cli.filter((v) => v.startsWith('problem: ')).map((v) => v.slice('problem: '.length))).toEqual(SHAPE_PROBLEMS);
    // The rules still ran on the wrong-typed objects: the real privileged container is found.
    expect(verdicts.cli).toContain('mixed pod-privileged spec.containers[0].securityContext.privileged');
  });

  test('the engine itself reports them, even when no selected rule reads the field', () => {
    const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostNetwork: 'yes', containers: [] } };
    const result = checkObjects([{ object }], { rules: ['pod-privileged'] });
    expect(result.findings).toEqual([]);
    expect(result.problems).toEqual([{ kind: 'Pod', name: 'p', message: 'Pod p: spec.hostNetwork must be a boolean, got a string' }]);
  });

  test('a name or metadata of the wrong type is reported once, as a type error, not also as missing', () => {
    const named = checkObjects([{ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 5 } } }], { rules: ['pod-privileged'] });
    expect(named.problems.map((p) => p.message)).toEqual(['Pod (no name): metadata.name must be a string, got an integer']);
    const metadata = checkObjects([{ object: { apiVersion: 'v1', kind: 'Pod', metadata: 'x' } }], { rules: ['pod-privileged'] });
    expect(metadata.problems.map((p) => p.message)).toEqual(['Pod (no name): metadata must be a mapping, got a string']);
    // Missing, not mistyped: the identity check reports it.
    const missing = checkObjects([{ object: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: {} } } }], { rules: ['pod-privileged'] });
    expect(missing.problems.map((p) => p.message)).toEqual(['Pod has no metadata.name (kubectl refuses it; judged anyway)']);
  });
});
