import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { cli, tempDir, write } from './helpers';
import { fixText } from '../../src/engine/fix/fix';
import { unifiedDiff } from '../../src/engine/fix/unified-diff';
import { hasK8sSchema, validateK8sObjects } from '../util/k8s-schema';

const ADOPT = path.join(__dirname, '..', 'fixtures', 'adopt');
const FIXTURES = fs.readdirSync(ADOPT).filter((f) => f.startsWith('fix-') && f.endsWith('.yaml')).sort();
const read = (file: string) => fs.readFileSync(path.join(ADOPT, file), 'utf8');
const dir = tempDir();

/** The remaining findings fix lists, as `rule-id on Kind ns/name`. */
function listedRemaining(stdout: string): string[] {
  return [...stdout.matchAll(/^ {2}(?:CRITICAL|HIGH|MEDIUM|LOW)\s+(\S+) on (.+?) \(/gm)].map((m) => `${m[1]} on ${m[2]}`).sort();
}

/** What check reports on files, in the same form. */
async function checked(args: string[]): Promise<string[]> {
  const run = await cli(['check', ...args, '--format', 'json']);
  const json = JSON.parse(run.stdout);
  return json.findings.map((f: { ruleId: string; kind: string; namespace: string | null; name: string }) => `${f.ruleId} on ${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}`).sort();
}

test('the fixtures are the ones the issue names', () => {
  expect(FIXTURES).toEqual(['fix-cronjob.yaml', 'fix-daemonset-agent.yaml', 'fix-helm-chart.yaml', 'fix-kubectl-get-deploy.yaml', 'fix-multi-service-app.yaml', 'fix-operator.yaml']);
});

describe.each(FIXTURES)('fix %s', (name) => {
  const original = read(name);
  const first = fixText(original, name);
  const second = fixText(first.text, name);

  test('reads and edits without problems, and changes something', () => {
    expect(first.problems).toEqual([]);
    expect(first.changes.length).toBeGreaterThan(0);
  });

  test('is idempotent: fix on its output changes nothing', () => {
    expect(second.problems).toEqual([]);
    expect(second.changes).toEqual([]);
    expect(second.text).toBe(first.text);
  });

  test('keeps every comment and every untouched line, in order', () => {
    for (const comment of original.split('\n').filter((l) => l.includes('#')).map((l) => l.slice(l.indexOf('#')))) {
      expect([comment, first.text.includes(comment)]).toEqual([comment, true]);
    }
    // Only lines the core completes are replaced: a completed capabilities list, Helm's `{}` placeholders.
    const removed = unifiedDiff(original, first.text, 'a', 'b').split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    const expected: Record<string, number> = { 'fix-multi-service-app.yaml': 1, 'fix-helm-chart.yaml': 2 };
    expect(removed).toHaveLength(expected[name] ?? 0);
    expect(first.text.split('\n---\n').length).toBe(original.split('\n---\n').length);
  });

  test('the output validates against the Kubernetes schemas', () => {
    const objects = (yaml.loadAll(first.text) as any[]).filter((o) => o !== null).flatMap((o) => (o.kind === 'List' ? o.items : [o]));
    // Every kind of the fixtures has a schema: none is skipped silently.
    expect(objects.filter((o) => !hasK8sSchema(o)).map((o) => o.kind)).toEqual([]);
    validateK8sObjects(objects);
  });

  test('check on the output reports exactly the listed remaining findings, and the exit code is check\'s', async () => {
    const input = write(dir, `in-${name}`, original);
    const out = path.join(dir, `out-${name.replace('.yaml', '')}`);
    const run = await cli(['fix', input, '--output-dir', out]);
    const written = path.join(out, `in-${name}`);
    expect(fs.readFileSync(written, 'utf8')).toBe(first.text);
    const remaining = listedRemaining(run.stdout);
    expect(remaining).toEqual(await checked([written]));
    const check = await cli(['check', written]);
    expect(run.code).toBe(check.code);
  });
});

describe('what fix cannot fix is listed with the change or the exact waiver', () => {
  test('a privileged DaemonSet agent keeps its explicit value; the waiver fix names makes check accept it', async () => {
    const input = write(dir, 'agent.yaml', read('fix-daemonset-agent.yaml'));
    const run = await cli(['fix', input, '--external-namespaces', '*', '--in-place']);
    expect(run.code).toBe(1);
    expect(fs.readFileSync(input, 'utf8')).toContain('privileged: true # the vendor\'s default; fix keeps explicit values');
    const hint = /or waive: add (\{"ruleId":"pod-privileged",[^}]*\}) to the hardened\.cdk8s\.io\/waivers annotation at spec\.template\.metadata\.annotations/.exec(run.stdout);
    expect(hint).not.toBeNull();
    expect(JSON.parse(hint![1]).reason).toBe('<why, at least 10 characters>');
    // Follow the hint for every remaining finding: the pod rules go on the template, the others on the object.
    const object = yaml.load(fs.readFileSync(input, 'utf8')) as any;
    const entries = [...run.stdout.matchAll(/or waive: add \{"ruleId":"([a-z0-9-]+)",[^}]*\} to the hardened\.cdk8s\.io\/waivers annotation at (\S+)\.annotations/g)];
    expect(entries.length).toBeGreaterThan(0);
    const byPlace = new Map<string, string[]>();
    for (const [, ruleId, place] of entries) byPlace.set(place, [...(byPlace.get(place) ?? []), ruleId]);
    for (const [place, ids] of byPlace) {
      const metadata = place.split('.').reduce((o, k) => o[k], object);
      metadata.annotations = { 'hardened.cdk8s.io/waivers': JSON.stringify([...new Set(ids)].sort().map((ruleId) => ({ ruleId, reason: 'node log agent reads host logs' }))) };
    }
    const waived = write(dir, 'agent-waived.yaml', yaml.dump(object));
    const check = await cli(['check', waived, '--external-namespaces', '*']);
    expect([check.code, check.stdout]).toEqual([0, expect.stringContaining('OK:')]);
  });

  test('host access on a Deployment: the hint says it needs a DaemonSet, not a waiver the constructs refuse', async () => {
    const input = write(dir, 'hostnet.yaml', read('fix-multi-service-app.yaml').replace('serviceAccountName: storefront # created by the platform team', 'serviceAccountName: storefront\n      hostNetwork: true'));
    const run = await cli(['fix', input, '--rule', 'pod-host-namespaces']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('or waive: pod-host-namespaces is waived only on DaemonSet (node agents): a Deployment needs the change, or a different design');
  });
});

describe('the command', () => {
  const app = () => write(dir, 'app/app.yaml', read('fix-cronjob.yaml'));

  test('without --in-place or --output-dir it writes nothing and lists every change with its rules', async () => {
    const input = app();
    const before = fs.readFileSync(input, 'utf8');
    const run = await cli(['fix', input]);
    expect(fs.readFileSync(input, 'utf8')).toBe(before);
    expect(run.stdout).toContain('Changes (15 in 1 file)');
    expect(run.stdout).toContain('  CronJob reports/nightly-report (line 2): 15 changes');
    expect(run.stdout).toContain('    spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot: true  [pod-run-as-non-root]');
    expect(run.stdout).toContain('    spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.drop: ["ALL"]  [pod-capabilities-restricted]');
    expect(run.stdout).toMatch(/fix: 15 changes in 1 file; check on the output: 1 object checked against \d+ rules, 5 findings/);
  });

  test('--diff prints a unified diff of each changed file', async () => {
    const input = app();
    const run = await cli(['fix', input, '--diff']);
    expect(run.stdout).toContain(`--- a/${input}\n+++ b/${input}\n@@ -24,3 +24,29 @@\n             resources:`);
    expect(run.stdout).toContain('+          automountServiceAccountToken: false\n');
    expect(run.stdout).not.toContain('Changes (');
  });

  test('--in-place rewrites only changed files; --output-dir writes every file, directories by their contents', async () => {
    const tree = path.join(dir, 'tree');
    write(tree, 'a/job.yaml', read('fix-cronjob.yaml'));
    write(tree, 'b/sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: x, namespace: tools}\nautomountServiceAccountToken: false\n');
    const out = path.join(dir, 'tree-out');
    const run = await cli(['fix', tree, '--output-dir', out]);
    expect(run.stdout).toContain(`wrote ${path.join(out, 'a/job.yaml')}\nwrote ${path.join(out, 'b/sa.yaml')}`);
    expect(fs.readFileSync(path.join(out, 'b/sa.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(tree, 'b/sa.yaml'), 'utf8'));
    const inPlace = await cli(['fix', tree, '--in-place']);
    expect(inPlace.stdout).toContain(`wrote ${path.join(tree, 'a/job.yaml')}`);
    expect(inPlace.stdout).not.toContain('sa.yaml');
    expect(fs.readFileSync(path.join(tree, 'a/job.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(out, 'a/job.yaml'), 'utf8'));
  });

  test('standard input is fixed like a file (printed, or written as stdin.yaml)', async () => {
    const run = await cli(['fix', '-', '--diff'], { stdin: read('fix-cronjob.yaml') });
    expect(run.stdout).toContain('--- a/-\n+++ b/-\n');
    const out = path.join(dir, 'stdin-out');
    await cli(['fix', '-', '--output-dir', out], { stdin: read('fix-cronjob.yaml') });
    expect(fs.readFileSync(path.join(out, 'stdin.yaml'), 'utf8')).toBe(fixText(read('fix-cronjob.yaml'), '-').text);
  });

  test('usage errors exit 2', async () => {
    const input = app();
    expect((await cli(['fix', input, '--in-place', '--output-dir', dir])).stderr).toContain('give --in-place or --output-dir, not both');
    const stdin = await cli(['fix', '-', '--in-place'], { stdin: read('fix-cronjob.yaml') });
    expect([stdin.code, stdin.stderr]).toEqual([2, expect.stringContaining('--in-place cannot rewrite standard input')]);
    const over = await cli(['fix', input, '--output-dir', path.dirname(input)]);
    expect([over.code, over.stderr]).toEqual([2, expect.stringContaining('--output-dir would overwrite')]);
  });

  test('kubectl get -A output: with --external-namespaces * the fixed Deployments pass (exit 0)', async () => {
    const run = await cli(['fix', '-', '--external-namespaces', '*'], { stdin: read('fix-kubectl-get-deploy.yaml') });
    expect(run.stdout).toContain('Changes (12 in 1 file)');
    expect(run.stdout).toContain('  Deployment shop/storefront (line 5): 5 changes');
    expect(run.code).toBe(0);
  });
});

describe('refuses, as check does, what it cannot read or edit like kubectl', () => {
  test('input kubectl refuses: nothing is written, exit 2', async () => {
    const input = write(dir, 'bad.yaml', `${read('fix-cronjob.yaml')}--- trailing\nkind: Pod\n`);
    const before = fs.readFileSync(input, 'utf8');
    const run = await cli(['fix', input, '--in-place']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Input problems (1): nothing was fixed or written');
    expect(run.stdout).toContain('content after `---` on the same line');
    expect(fs.readFileSync(input, 'utf8')).toBe(before);
  });

  test('a field of the wrong type is an input problem, as in check', async () => {
    const input = write(dir, 'wrong-type.yaml', read('fix-cronjob.yaml').replace('restartPolicy: OnFailure', 'restartPolicy: OnFailure\n          securityContext: strict'));
    const run = await cli(['fix', input, '--in-place']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/Input problems \(\d\): nothing was fixed or written/);
    expect(run.stdout).toContain('securityContext');
  });

  test('a pod template shared through a YAML alias is not edited behind the alias: the document is refused with the changes to make by hand', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: a, namespace: shop}
  spec:
    selector: {matchLabels: {app: a}}
    template: &pod
      metadata: {labels: {app: a}}
      spec:
        containers: [{name: c, image: x}]
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: b, namespace: shop}
  spec:
    selector: {matchLabels: {app: a}}
    template: *pod
`;
    const result = fixText(text, 'alias.yaml');
    expect(result.text).toBe(text);
    expect(result.changes).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0].message).toMatch(/^alias\.yaml:4: .*; harden it by hand: Deployment shop\/a items\[0\]\.spec\.template\.spec\.securityContext\.runAsNonRoot: true;/);
  });

  test('JSON files are fixed as JSON', () => {
    const object = yaml.load(read('fix-cronjob.yaml').replace(/^#.*\n/gm, '')) as object;
    const text = `${JSON.stringify(object, null, 2)}\n`;
    const result = fixText(text, 'job.json');
    expect(result.problems).toEqual([]);
    expect(result.notes).toEqual([]);
    const fixed = JSON.parse(result.text);
    expect(fixed.spec.jobTemplate.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(fixText(result.text, 'job.json').changes).toEqual([]);
  });
});

test('an object defined in two files is a problem check reports on the output: nothing is written', async () => {
  const tree = path.join(dir, 'dup');
  write(tree, 'a.yaml', read('fix-cronjob.yaml'));
  write(tree, 'b.yaml', read('fix-cronjob.yaml'));
  const out = path.join(dir, 'dup-out');
  const run = await cli(['fix', tree, '--output-dir', out]);
  expect(run.code).toBe(2);
  expect(run.stdout).toContain('Input problems in the output (1): check would refuse it, so nothing was written');
  expect(run.stdout).toContain('is defined twice');
  expect(fs.existsSync(out)).toBe(false);
});
