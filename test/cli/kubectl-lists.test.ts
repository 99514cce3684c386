import { spawnSync } from 'child_process';
import { tempDir, write } from './helpers';
import { loadPaths, parseManifests } from '../../src/engine/load';

/**
 * Lists and directory walks against kubectl itself: `kubectl annotate --local` reads files exactly as `kubectl
 * apply` does and needs no cluster. For each document the loader must judge the objects kubectl applies, in the
 * same order, or refuse the document when kubectl refuses it. kubectl comes from Debian's kubernetes-client; under
 * CI=true its absence fails the suite instead of skipping it.
 */

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const available = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;

test('kubectl is installed where CI runs this suite', () => {
  if (process.env.CI === 'true' || process.env.CI === '1') expect(available).toBe(true);
});

/** The names kubectl applies from a file or directory, or `refused` when it reports an error. */
function kubectl(target: string, recursive = false): { names: string[]; refused: boolean } {
  const run = spawnSync(KUBECTL, ['annotate', '--local', ...(recursive ? ['-R'] : []), '-f', target, 'parity=1', '-o', 'name'], { encoding: 'utf8', timeout: 60_000 });
  const names = run.stdout.split('\n').filter((l) => l !== '').map((l) => l.slice(l.indexOf('/') + 1));
  return { names, refused: run.status !== 0 || /error/i.test(run.stderr) };
}

const pod = (name: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\n${extra}`;
const indent = (text: string) => text.trimEnd().split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n');
const list = (kind: string, items: string[], head = '') => `apiVersion: v1\nkind: ${kind}\n${head}items:\n${items.map(indent).join('\n')}\n`;

const CASES: Record<string, string> = {
  'configmap-with-items': list('ConfigMap', [pod('in-configmap')], 'metadata: {name: cm}\n'),
  'pod-with-items': list('Pod', [pod('inner')], 'metadata: {name: outer}\n'),
  'pod-list': list('PodList', [pod('a'), pod('b')]),
  'empty-list': 'apiVersion: v1\nkind: List\nitems: []\n',
  'null-items': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\nitems: null\n',
  'list-kind-without-items': 'apiVersion: v1\nkind: PodList\nmetadata: {name: plain}\n',
  'item-with-null-items': list('List', [pod('odd', 'items: null\n')]),
  'item-with-string-items': list('List', [pod('odd2', 'items: x\n')]),
  'nested-list': list('List', [pod('first'), list('List', [pod('deep')])]),
  'item-with-list-items': list('List', [pod('holder', `items:\n${indent(pod('held'))}\n`)]),
  'number-item': list('List', ['7', pod('after-number')]),
  'string-items': 'apiVersion: v1\nkind: List\nitems: abc\n',
  'mapping-items': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nitems: {a: 1}\n',
  'list-then-pod': `${list('List', [pod('l1')])}---\n${pod('after-list')}`,
  'json-list': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'in-json' } }] }),
};

(available ? describe : describe.skip)('lists are read as kubectl reads them', () => {
  const dir = tempDir();

  test.each(Object.entries(CASES))('%s', (name, text) => {
    const file = write(dir, `${name}.${text.startsWith('{') ? 'json' : 'yaml'}`, text);
    const expected = kubectl(file);
    const ours = parseManifests(text, file);
    const names = ours.inputs.map((i) => (i.object.metadata as { name?: string } | undefined)?.name);
    const refused = ours.problems.some((p) => !p.message.endsWith('holds no Kubernetes objects'));
    if (expected.refused) {
      expect(refused).toBe(true);
    } else {
      expect(refused).toBe(false);
      expect(names).toEqual(expected.names);
    }
  });

  test('a directory walk reads every manifest kubectl apply -R reads', async () => {
    write(dir, 'tree/.hidden/p.yaml', pod('in-hidden-folder'));
    write(dir, 'tree/node_modules/x/p.yaml', pod('in-node-modules'));
    write(dir, 'tree/.dotfile.yaml', pod('dotfile'));
    write(dir, 'tree/sub/p.yml', pod('yml'));
    write(dir, 'tree/sub/p.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'json' } }));
    write(dir, 'tree/construct-metadata.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'disguised' } }));
    write(dir, 'tree/sub/notes.txt', pod('txt'));
    const expected = kubectl(`${dir}/tree`, true);
    expect(expected.refused).toBe(false);
    const loaded = await loadPaths([`${dir}/tree`]);
    const ours = loaded.inputs.map((i) => (i.object.metadata as { name: string }).name);
    expect(expected.names.length).toBeGreaterThanOrEqual(6);
    expect(ours.sort()).toEqual([...expected.names].sort());
  });
});
