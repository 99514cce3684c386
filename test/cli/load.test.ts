import * as fs from 'fs';
import { CLEAN_POD, PRIVILEGED_DEPLOYMENT, tempDir, write } from './helpers';
import { loadPaths, parseManifests, splitDocuments } from '../../src/engine/load';

const kinds = (text: string, file = 'm.yaml') => parseManifests(text, file).inputs.map((i) => i.object.kind);
const lines = (text: string, file = 'm.yaml') => parseManifests(text, file).inputs.map((i) => i.source?.line);

describe('parseManifests', () => {
  test('multi-document YAML: each object with the line where its content starts', () => {
    const text = `# leading comment\n---\n${CLEAN_POD}---\n\n# about the deployment\n${PRIVILEGED_DEPLOYMENT}---\n`;
    const parsed = parseManifests(text, 'm.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.inputs.map((i) => [i.object.kind, i.source?.line])).toEqual([
      ['Pod', 3],
      ['Deployment', 15],
    ]);
    expect(text.split('\n')[14]).toBe('apiVersion: apps/v1');
    expect(parsed.inputs[0].source).toEqual({ file: 'm.yaml', line: 3, endLine: 11, documentIndex: 1 });
  });

  test('documents are cut where kubectl cuts them: `--- x`, directives and text after `...` are input problems', () => {
    // kubectl fails on a `---` line followed by content (checked against kubectl in test/check/yaml-parity.test.ts).
    const marker = parseManifests('--- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n', 'm.yaml');
    expect(marker.inputs).toEqual([]);
    expect(marker.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^m\.yaml:1:4: content after `---` on the same line .*kubectl fails/)]);
    // A directive is cut off from its `---` by kubectl, which then fails; go-yaml ignores what follows `...`.
    const text = '%YAML 1.1\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n...\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n';
    const parsed = parseManifests(text, 'm.yaml');
    expect(parsed.inputs.map((i) => [i.object.kind, i.source?.line])).toEqual([['Pod', 3]]);
    expect(parsed.problems.map((p) => [p.line, p.message])).toEqual([
      [1, expect.stringMatching(/^m\.yaml:1:1: a `%` directive: kubectl cuts documents at `---` lines/)],
      [6, expect.stringMatching(/^m\.yaml:6: text after the document end marker `\.\.\.` is ignored by kubectl/)],
    ]);
  });

  test('`---` inside a block scalar is indented and does not cut the document', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  x: |\n    ---\n    not a marker\n';
    const parsed = parseManifests(text, 'm.yaml');
    expect(parsed.inputs).toHaveLength(1);
    expect((parsed.inputs[0].object.data as Record<string, string>).x).toBe('---\nnot a marker\n');
  });

  test('List kinds expand into their items, each with its own line', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: a}\n\n  # b\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: b}\n';
    const parsed = parseManifests(text, 'm.yaml');
    expect(parsed.inputs.map((i) => [i.object.kind, i.source?.line])).toEqual([
      ['Pod', 4],
      ['Service', 9],
    ]);
    expect(kinds('apiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a}}\n')).toEqual(['Pod']);
  });

  test('List items keep their lines in a later document of the file', () => {
    const text = `${CLEAN_POD}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n`;
    expect(lines(text)).toEqual([1, 14]);
    expect(text.split('\n')[13]).toBe('- apiVersion: v1');
  });

  test('JSON: a single object, and a List whose items get their lines', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' } }] }, null, 2);
    const parsed = parseManifests(json, 'list.json');
    expect(parsed.inputs.map((i) => i.object.kind)).toEqual(['Pod', 'Service']);
    const jsonLines = json.split('\n');
    expect(jsonLines[(parsed.inputs[1].source?.line ?? 0) - 1]).toContain('{');
    expect(jsonLines[parsed.inputs[1].source?.line ?? 0]).toContain('"apiVersion": "v1"');
    expect(kinds('\n\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}', 'p.json')).toEqual(['Pod']);
    expect(lines('\n\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}', 'p.json')).toEqual([3]);
  });

  test('invalid JSON in a .json file names the file and line', () => {
    const parsed = parseManifests('{\n  "kind": "Pod",\n  "x": [1,,2]\n}\n', 'bad.json');
    expect(parsed.inputs).toEqual([]);
    expect(parsed.problems).toEqual([{ file: 'bad.json', line: 3, message: expect.stringMatching(/^bad\.json:3:\d+: invalid JSON: /) }]);
    // Where neither parser can say where, the file is still named.
    expect(parseManifests('{\n  "x": }\n', 'b.json').problems).toEqual([{ file: 'b.json', message: expect.stringMatching(/^b\.json: invalid JSON: /) }]);
  });

  test('flow-style YAML that starts with { is still YAML', () => {
    expect(kinds('{apiVersion: v1, kind: Pod, metadata: {name: a}}\n', 'flow.yaml')).toEqual(['Pod']);
  });

  test('a YAML error names file, line and column, and does not hide the other documents', () => {
    const text = `${CLEAN_POD}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n---\n${CLEAN_POD}`;
    const parsed = parseManifests(text, 'm.yaml');
    expect(parsed.inputs).toHaveLength(2);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toEqual({ file: 'm.yaml', line: expect.any(Number), message: expect.stringMatching(/^m\.yaml:\d+:\d+: invalid YAML: /) });
    expect(parsed.problems[0].line).toBeGreaterThanOrEqual(13);
    expect(parsed.problems[0].line).toBeLessThanOrEqual(15);
  });

  test('BOM and CRLF are accepted and lines stay right', () => {
    const crlf = `\ufeff${CLEAN_POD}---\n${PRIVILEGED_DEPLOYMENT}`.replace(/\n/g, '\r\n');
    const parsed = parseManifests(crlf, 'crlf.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.inputs.map((i) => [i.object.kind, i.source?.line])).toEqual([
      ['Pod', 1],
      ['Deployment', 11],
    ]);
    expect((parsed.inputs[0].object.metadata as { name: string }).name).toBe('ok');
  });

  test('empty documents are skipped, a file with no objects at all is a problem', () => {
    expect(kinds(`---\n---\n${CLEAN_POD}---\n# only a comment\n`)).toEqual(['Pod']);
    expect(parseManifests('', 'empty.yaml').problems).toEqual([{ file: 'empty.yaml', message: 'empty.yaml holds no Kubernetes objects' }]);
    expect(parseManifests('# nothing\n---\n', 'c.yaml').problems[0].message).toBe('c.yaml holds no Kubernetes objects');
  });

  test('binary text is rejected by name', () => {
    expect(parseManifests('abc\u0000def', 'bin.yaml').problems[0].message).toBe('bin.yaml is a binary file (it contains NUL bytes), not YAML or JSON');
  });

  test('alias bombs and cyclic aliases are refused before anything walks them', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = parseManifests(`${levels.join('\n')}\n`, 'bomb.yaml');
    expect(bomb.inputs).toEqual([]);
    expect(bomb.problems[0].message).toMatch(/^bomb\.yaml:1: YAML aliases expand this document/);
    const cyclic = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: &m {name: p, self: *m}\n', 'cycle.yaml');
    expect(cyclic.inputs).toEqual([]);
    expect(cyclic.problems[0].message).toMatch(/^cycle\.yaml:1: YAML aliases expand this document/);
    // Modest alias use (a shared env list) is normal YAML and stays accepted.
    const shared = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: x, env: &env [{name: A, value: "1"}]}\n  - {name: b, image: y, env: *env}\n';
    expect(parseManifests(shared, 's.yaml')).toEqual(expect.objectContaining({ problems: [] }));
  });
});

describe('splitDocuments', () => {
  test('numbers documents and their first and last lines', () => {
    expect(splitDocuments('a: 1\n---\nb: 2\nc: 3\n').map((d) => [d.index, d.startLine, d.endLine])).toEqual([
      [0, 1, 1],
      [1, 2, 4],
    ]);
  });
});

describe('loadPaths', () => {
  const dir = tempDir();
  write(dir, 'app/deploy.yaml', PRIVILEGED_DEPLOYMENT);
  write(dir, 'app/pod.yml', CLEAN_POD);
  write(dir, 'app/construct-metadata.json', '{"version":"1.0.0","resources":{}}');
  write(dir, 'app/README.md', '# not a manifest');
  const hidden = 'apiVersion: v1\nkind: Pod\nmetadata: {name: hidden}\n';
  const dependency = 'apiVersion: v1\nkind: Pod\nmetadata: {name: dependency}\n';
  write(dir, 'app/.hidden/x.yaml', hidden);
  write(dir, 'app/node_modules/y.yaml', dependency);

  test('walks directories as kubectl apply -R does: hidden folders and node_modules too, in name order; cdk8s metadata is not an object', async () => {
    const loaded = await loadPaths([`${dir}/app`]);
    expect(loaded.problems).toEqual([]);
    expect(loaded.files.map((f) => f.slice(dir.length))).toEqual(['/app/.hidden/x.yaml', '/app/construct-metadata.json', '/app/deploy.yaml', '/app/node_modules/y.yaml', '/app/pod.yml']);
    expect(loaded.inputs.map((i) => `${i.object.kind}/${(i.object.metadata as any).name}`)).toEqual(['Pod/hidden', 'Deployment/web', 'Pod/dependency', 'Pod/ok']);
  });

  test('a construct-metadata.json that holds a Kubernetes object is judged (kubectl -R applies it)', async () => {
    write(dir, 'disguise/construct-metadata.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'disguised' } }));
    const loaded = await loadPaths([`${dir}/disguise`]);
    expect(loaded.inputs.map((i) => (i.object.metadata as any).name)).toEqual(['disguised']);
  });

  test('follows symbolic links without looping, and reads a file named twice once', async () => {
    fs.symlinkSync(`${dir}/app`, `${dir}/app/loop`);
    fs.symlinkSync(write(dir, 'outside.yaml', CLEAN_POD), `${dir}/app/z-link.yaml`);
    fs.symlinkSync(`${dir}/app/pod.yml`, `${dir}/app/z-same.yaml`);
    try {
      const loaded = await loadPaths([`${dir}/app`, `${dir}/app/pod.yml`, `${dir}/app/../app/deploy.yaml`]);
      expect(loaded.files.map((f) => f.slice(dir.length))).toEqual(['/app/.hidden/x.yaml', '/app/construct-metadata.json', '/app/deploy.yaml', '/app/node_modules/y.yaml', '/app/pod.yml', '/app/z-link.yaml']);
    } finally {
      fs.unlinkSync(`${dir}/app/loop`);
      fs.unlinkSync(`${dir}/app/z-link.yaml`);
      fs.unlinkSync(`${dir}/app/z-same.yaml`);
    }
  });

  test('missing paths, empty directories and UTF-16 files are problems', async () => {
    fs.mkdirSync(`${dir}/empty`, { recursive: true });
    const utf16 = write(dir, 'u16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: Pod\n', 'utf16le')]));
    const loaded = await loadPaths([`${dir}/nope.yaml`, `${dir}/empty`, utf16]);
    expect(loaded.problems.map((p) => p.message)).toEqual([
      `cannot read ${dir}/nope.yaml: no such file or directory`,
      `directory ${dir}/empty holds no *.yaml, *.yml or *.json files`,
      `${utf16} is UTF-16 encoded; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)`,
    ]);
  });

  test('an empty file in a walked directory is normal (cdk8s writes one per chart without objects); a named one or an all-empty directory is a problem', async () => {
    write(dir, 'synth/0000-parent.k8s.yaml', '');
    write(dir, 'synth/0001-tenant.k8s.yaml', CLEAN_POD);
    write(dir, 'blank/0000-parent.k8s.yaml', '');
    const walked = await loadPaths([`${dir}/synth`]);
    expect(walked.problems).toEqual([]);
    expect(walked.inputs.map((i) => i.object.kind)).toEqual(['Pod']);
    const named = await loadPaths([`${dir}/synth/0000-parent.k8s.yaml`, `${dir}/blank`]);
    expect(named.problems.map((p) => p.message)).toEqual([
      `${dir}/synth/0000-parent.k8s.yaml holds no Kubernetes objects`,
      `directory ${dir}/blank holds no Kubernetes objects`,
    ]);
  });

  test('reads stdin for `-` and reports progress in bytes', async () => {
    const progress: Array<[number, number]> = [];
    const loaded = await loadPaths(['-', `${dir}/app/pod.yml`], { readStdin: async () => PRIVILEGED_DEPLOYMENT, onProgress: (d, t) => progress.push([d, t]) });
    expect(loaded.inputs.map((i) => [i.object.kind, i.source?.file])).toEqual([
      ['Deployment', '-'],
      ['Pod', `${dir}/app/pod.yml`],
    ]);
    expect(progress[progress.length - 1][0]).toBe(loaded.bytes);
  });
});

describe('YAML schema', () => {
  test('timestamps stay strings (as kubectl reads them) and merge keys work', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: &a {built: 2026-11-23T10:00:00Z}\n  labels:\n    <<: {team: shop}\n    tier: web\ndata: {day: 2026-11-23}\n';
    const object = parseManifests(text, 'm.yaml').inputs[0].object as any;
    expect(object.metadata.annotations.built).toBe('2026-11-23T10:00:00Z');
    expect(object.data.day).toBe('2026-11-23');
    expect(object.metadata.labels).toEqual({ team: 'shop', tier: 'web' });
  });
});

describe('YAML 1.1 as kubectl reads it (go-yaml v2; proven against kubectl in test/check/yaml-parity.test.ts)', () => {
  const data = (body: string) => (parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n${body}`, 'm.yaml').inputs[0]?.object as any)?.data;

  test('octal, booleans and merge overrides', () => {
    expect(data('  uid: 010000\n  on: yes\n  hex: 0x1F\n  sep: 1_000\n  word: yEs\n')).toEqual({ uid: 4096, true: true, hex: 31, sep: 1000, word: 'yEs' });
    expect(data('  sc:\n    privileged: false\n    <<: {privileged: true}\n')).toEqual({ sc: { privileged: true } });
  });

  test('huge numbers and long digit runs are read in linear time, as go-yaml reads them', () => {
    // Beyond float64: go-yaml keeps the text. Leading zeros: still octal.
    expect(data(`  a: ${'1'.repeat(2_000_000)}\n`).a).toHaveLength(2_000_000);
    expect(data(`  a: ${'0'.repeat(1_000_000)}17\n`).a).toBe(15);
    expect(Object.keys(data(`  ${'1'.repeat(200_000)}x: y\n`))[0]).toHaveLength(200_001);
  });

  test('U+2028 is refused with file, line and column', () => {
    const parsed = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {} # c\u2028hostPID: true\n', 'm.yaml');
    expect(parsed.inputs).toEqual([]);
    expect(parsed.problems).toEqual([{ file: 'm.yaml', line: 4, message: expect.stringMatching(/^m\.yaml:4:13: U\+2028 \(LINE SEPARATOR\) is a line break to kubectl's YAML reader/) }]);
  });
});
