/**
 * Robustness: every file of test/cli/corpus/ (and a few large or binary inputs generated here) ends in a
 * clear input problem (exit 2) or a correct finding: never a crash, a stack trace, a hang or a silent pass.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cli, PINNED, tempDir, write } from './helpers';

const CORPUS = path.join(__dirname, 'corpus');

interface Expectation {
  readonly code: 0 | 1 | 2;
  /** Every line of stderr ... */
  readonly stderr?: RegExp[];
  /** Names of the objects with findings (JSON output). */
  readonly findings?: string[];
  /** Text that must appear on stdout (text output). */
  readonly stdout?: RegExp;
}

const EXPECTED: Record<string, Expectation> = {
  'array-document.yaml': { code: 2, stderr: [/:1: expected a Kubernetes object, got an array$/] },
  'billion-laughs.yaml': { code: 2, stderr: [/:1: YAML aliases expand this document beyond .* alias bomb/] },
  'bom.yaml': { code: 1, findings: ['bom'] },
  'comments-only.yaml': { code: 2, stderr: [/comments-only\.yaml holds no Kubernetes objects$/] },
  'cyclic-alias.yaml': { code: 2, stderr: [/:1: YAML aliases expand this document/] },
  'duplicate-key.yaml': { code: 2, stderr: [/:3:1: duplicated mapping key "kind" \(kubectl keeps the last one\); remove one of them$/] },
  'empty.yaml': { code: 2, stderr: [/empty\.yaml holds no Kubernetes objects$/] },
  'kind-not-string.yaml': { code: 2, stderr: [/:1: object has no kind$/] },
  'list-items-not-list.yaml': { code: 2, stderr: [/:1: List has an "items" key, so kubectl reads it as a list, but items is a string, not a list of objects \(kubectl refuses the file\)$/] },
  'list-with-junk.yaml': { code: 2, stderr: [/:1: List items\[0\] is a number, not an object \(kubectl refuses the file\)$/], findings: ['in-list'] },
  'malformed-indent.yaml': { code: 2, stderr: [/:5:\d+: invalid YAML: bad indentation of a mapping entry$/] },
  // Judged all the same: the missing identity is a problem, the privileged container a finding.
  'missing-apiversion.yaml': { code: 2, stderr: [/:1: Pod has no apiVersion \(kubectl refuses it; judged anyway\)$/], findings: ['p'] },
  'missing-kind.yaml': { code: 2, stderr: [/:1: object has no kind$/] },
  'missing-metadata.yaml': { code: 2, stderr: [/:1: Pod has no metadata \(kubectl refuses it without metadata\.name; judged anyway\)$/] },
  'missing-name.yaml': { code: 2, stderr: [/:1: Pod has no metadata\.name \(kubectl refuses it; judged anyway\)$/] },
  'null-documents.yaml': { code: 2, stderr: [/null-documents\.yaml holds no Kubernetes objects$/] },
  'number-document.yaml': { code: 2, stderr: [/:1: expected a Kubernetes object, got number$/] },
  'scalar-document.yaml': { code: 2, stderr: [/:1: expected a Kubernetes object, got string$/] },
  'tab-indent.yaml': { code: 2, stderr: [/:4:1: invalid YAML: tab characters must not be used in indentation$/] },
  'truncated.json': { code: 2, stderr: [/truncated\.json:3:1: invalid JSON: /] },
  'unclosed-flow.yaml': { code: 2, stderr: [/:4:1: invalid YAML: /] },
  'unknown-kind.yaml': { code: 0, stdout: /Not judged by any selected rule: FooBar \(1\)/ },
  // kubectl ignores tags it does not know: `spec: !Ref Something` is the string "Something".
  'unknown-tag.yaml': { code: 2, stderr: [/:1: Pod p: spec must be a mapping, got a string$/] },
  // kubectl (go-yaml v2) reads these as a privileged pod; so must the checker.
  'merge-overrides.yaml': { code: 1, findings: ['merged'] },
  'yaml11-boolean.yaml': { code: 1, findings: ['yes-privileged'] },
  // A U+2028 after `#` hides hostPID from a YAML 1.2 reader; kubectl applies it.
  'yaml11-line-separator.yaml': { code: 2, stderr: [/:5:\d+: U\+2028 \(LINE SEPARATOR\) is a line break to kubectl's YAML reader/] },
  'wrong-types.yaml': {
    code: 2,
    // pod-privileged reports both the privileged container and the one with privileged: "true".
    findings: ['p2', 'p2'],
    stderr: [
      /:3: Deployment types: metadata\.namespace must be a string, got a list$/,
      /:3: Deployment types: metadata\.labels must be a mapping of strings, got a list$/,
      /:3: Deployment types: metadata\.annotations\.hardened\.cdk8s\.io\/waivers must be a string, got an integer$/,
      /:3: Deployment types: spec\.template must be a mapping, got a string$/,
      /:13: Pod p1: spec\.containers must be a list, got a string$/,
      /:13: Pod p1: spec\.initContainers\[0\] must be a mapping, got an integer$/,
      /:13: Pod p1: spec\.initContainers\[1\] must be a mapping, got a string$/,
      /:13: Pod p1: spec\.initContainers\[2\] must not be null$/,
      /:13: Pod p1: spec\.initContainers\[3\] must be a mapping, got a list$/,
      /:13: Pod p1: spec\.ephemeralContainers must be a list, got a mapping$/,
      /:13: Pod p1: spec\.securityContext must be a mapping, got a list$/,
      /:13: Pod p1: spec\.hostNetwork must be a boolean, got a string$/,
      /:13: Pod p1: spec\.os must be a mapping, got an integer$/,
      /:24: Pod p2: spec\.containers\[0\]\.name must be a string, got a list$/,
      /:24: Pod p2: spec\.containers\[0\]\.image must be a string, got an integer$/,
      /:24: Pod p2: spec\.containers\[0\]\.securityContext must be a mapping, got a string$/,
      /:24: Pod p2: spec\.containers\[1\]\.securityContext\.privileged must be a boolean, got a string$/,
      /:24: Pod p2: spec\.containers\[1\]\.securityContext\.capabilities must be a mapping, got a string$/,
      /:37: CronJob c: spec\.jobTemplate must be a mapping, got a list$/,
    ],
  },
};

function expectNoCrash(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
  expect(stderr).not.toMatch(/TypeError|RangeError|ReferenceError|Maximum call stack/);
}

test('every corpus file has an expectation', () => {
  expect(fs.readdirSync(CORPUS).sort()).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(Object.entries(EXPECTED))('%s', (file, expected) => {
  test(`exit ${expected.code}`, async () => {
    const json = await cli(['check', ...PINNED, path.join(CORPUS, file), '--format', 'json']);
    expectNoCrash(json.stderr);
    expect(json.code).toBe(expected.code);
    expect(JSON.parse(json.stdout).findings.map((f: { name: string }) => f.name)).toEqual(expected.findings ?? []);
    // Notes (objects not judged, namespaces read as default) change no verdict: the errors are what is asserted.
    const errors = json.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('note: '));
    expect(errors).toHaveLength(expected.stderr?.length ?? 0);
    errors.forEach((line, i) => {
      expect(line.startsWith(`error: ${path.join(CORPUS, file)}`)).toBe(true);
      expect(line).toMatch(expected.stderr![i]);
    });
    if (expected.stdout) expect((await cli(['check', ...PINNED, path.join(CORPUS, file)])).stdout).toMatch(expected.stdout);
  });
});

describe('generated inputs', () => {
  const dir = tempDir();

  // Generated rather than committed: the repository normalizes line endings to LF (.gitattributes).
  test('CRLF line endings', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: crlf\nspec:\n  containers:\n  - name: a\n    image: x\n    securityContext:\n      privileged: true\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n';
    const file = write(dir, 'crlf.yaml', text.replace(/\n/g, '\r\n'));
    const run = await cli(['check', ...PINNED, file, '--format', 'json']);
    expectNoCrash(run.stderr);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toEqual([expect.objectContaining({ name: 'crlf', line: 1, path: 'spec.containers[0].securityContext.privileged' })]);
  });

  test('a binary file', async () => {
    const bytes = crypto.randomBytes(64 * 1024);
    bytes[100] = 0;
    const file = write(dir, 'random.yaml', bytes);
    const run = await cli(['check', ...PINNED, file]);
    expectNoCrash(run.stderr);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`${file} is a binary file (it contains NUL bytes), not YAML or JSON`);
  });

  test('a huge string value (16 MB on one line) is read and judged', async () => {
    const big = 'x'.repeat(16 * 1024 * 1024);
    const file = write(dir, 'huge.yaml', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\n  annotations: {note: "${big}"}\nspec:\n  containers: [{name: a, image: x, securityContext: {privileged: true}}]\n`);
    const run = await cli(['check', ...PINNED, file, '--format', 'json']);
    expectNoCrash(run.stderr);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toEqual([expect.objectContaining({ name: 'huge', line: 1 })]);
  });

  test('deep nesting (100,000 levels) never overflows the stack', async () => {
    const depth = 100_000;
    // js-yaml bounds nesting (maxDepth): the document is refused with a clear message.
    const yamlFile = write(dir, 'deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    const yamlRun = await cli(['check', ...PINNED, yamlFile]);
    expectNoCrash(yamlRun.stderr);
    expect(yamlRun.code).toBe(2);
    expect(yamlRun.stdout).toMatch(new RegExp(`${yamlFile.replace(/[.]/g, '\\.')}:4:\\d+: invalid YAML: nesting exceeded maxDepth`));
    // JSON.parse copes: the object is read and, as no rule judges ConfigMaps, reported as not judged.
    const jsonFile = write(dir, 'deep.json', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const jsonRun = await cli(['check', ...PINNED, jsonFile]);
    expectNoCrash(jsonRun.stderr);
    expect(jsonRun.code).toBe(0);
    expect(jsonRun.stdout).toContain('Not judged by any selected rule: ConfigMap (1)');
  });

  test('many documents with an error in the last still report every finding before it', async () => {
    const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: a, image: x, securityContext: {privileged: ${i % 2 === 0}}}]}\n`;
    const docs = Array.from({ length: 2000 }, (_, i) => doc(i));
    const file = write(dir, 'many.yaml', `${docs.join('---\n')}---\nkind: [\n`);
    const run = await cli(['check', ...PINNED, file, '--format', 'json']);
    expect(run.code).toBe(2);
    const findings = JSON.parse(run.stdout).findings;
    expect(findings).toHaveLength(1000);
    expect(findings[1]).toMatchObject({ name: 'p2', line: 11 });
    expect(run.stderr).toMatch(/many\.yaml:1000[12]:\d+: invalid YAML/);
  });
});
