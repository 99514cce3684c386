/**
 * The parity corpus through cdk8s `Include` and `Hardening.enforce`: enforce judges each included ApiObject's
 * JSON, and the cluster gets the YAML cdk8s writes for it. So every included object either reads back, in
 * kubectl, as exactly the JSON enforce judged, or enforce refuses it (the synthesis guard).
 * Include itself reads the file with the `yaml` package (YAML 1.1 mode), not as kubectl does: where the two
 * differ, the cluster gets Include's reading (the judged one); the list of such cases is pinned below.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { ApiObject, App, Chart, Include, Yaml } from 'cdk8s';
import { Hardening, HardenedInclude } from '../../src';
import { yamlMismatch } from '../../src/constructs/synth-yaml';
import { PARITY_CORPUS } from '../fixtures/yaml-parity/corpus';
import { describeWithKubectl, kubectlRead } from '../util/kubectl';

/**
 * Cases kubectl itself reads at random: two keys become one JSON key and Go's map order decides which value stays
 * (measured: 30 reads of the collide case gave "1": 3 26 times and "1": 2 four times). There is no one reading of the
 * original to compare Include's with; what the cluster gets is still checked below like every other case.
 */
const KUBECTL_READS_AT_RANDOM: ReadonlySet<string> = new Set(['a merge makes the int key 1 and the string key "1" collide']);

/** The cases that decide a security control (Include spawns a process per file, so not the whole corpus). */
const CASES = PARITY_CORPUS.filter((c) => c.expect !== 'kubectl-fails' && /octal|privileged|merge|U\+20|NEL|duplicate|integer beyond|List|tags|\.\.\.|booleans/.test(c.name));

describeWithKubectl('Include + Hardening.enforce judge what the cluster gets', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-include-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every included object reads back in kubectl as the judged JSON, or is refused', () => {
    const differsFromKubectl: string[] = [];
    const refused: string[] = [];
    const written: string[] = [];
    const judged: unknown[] = [];
    for (const [i, c] of CASES.entries()) {
      const file = path.join(dir, `case-${i}.yaml`);
      fs.writeFileSync(file, c.text);
      const chart = new Chart(new App(), 'c');
      let objects: unknown[];
      try {
        objects = new Include(chart, 'inc', { url: file }).apiObjects.map((o) => o.toJson());
      } catch {
        refused.push(c.name); // cdk8s refuses the file: nothing synthesizes
        continue;
      }
      if (!KUBECTL_READS_AT_RANDOM.has(c.name)) {
        const original = kubectlRead(c.text);
        if (!('objects' in original) || !isDeepStrictEqual(original.objects, objects)) differsFromKubectl.push(c.name);
      }
      for (const object of objects) {
        if (yamlMismatch(object)) {
          refused.push(c.name);
          continue;
        }
        written.push(Yaml.stringify(object));
        // kubectl applies the items of a List (enforce expands lists the same way: issue 11, other half).
        const items = (object as { items?: unknown }).items;
        for (const o of Array.isArray(items) ? items : [object]) judged.push(o);
      }
    }
    const read = kubectlRead(written.join('---\n'));
    expect(read).toHaveProperty('objects');
    expect((read as { objects: unknown[] }).objects).toEqual(judged);
    expect(refused.length).toBeGreaterThan(0);
    expect(CASES.length).toBeGreaterThanOrEqual(15);
    for (const name of KUBECTL_READS_AT_RANDOM) expect(CASES.map((c) => c.name)).toContain(name);
    // What Include reads differently from kubectl reading the original file (the cluster gets Include's reading).
    expect(differsFromKubectl).toMatchSnapshot();
  });

  test('enforce reports the refusal with the construct path of the included object', () => {
    const file = path.join(dir, 'ps.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\ndata:\n  a: "x\\Py"\n');
    const app = new App();
    const chart = new Chart(app, 'c');
    Hardening.enforce(chart);
    new Include(chart, 'inc', { url: file });
    expect(chart.node.findAll().filter((x) => ApiObject.isApiObject(x))).toHaveLength(1);
    expect(() => app.synthYaml()).toThrow(/\[c\/inc\/c-configmap-shop\] ConfigMap\/c data\.a: the value "x<U\+2029>y" is written with a raw U\+2029/);
  });
});

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

describeWithKubectl('HardenedInclude reads the original file as kubectl does', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-hinclude-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(PARITY_CORPUS.filter((c) => c.expect !== 'kubectl-fails').map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const file = path.join(dir, `case-${i}.yaml`);
    fs.writeFileSync(file, c.text);
    const chart = new Chart(new App(), 'c');
    if (c.expect === 'refused') {
      // Documents cut off by a `---` become non-objects; everything else refused is named with file and line.
      expect(() => new HardenedInclude(chart, 'inc', { url: file })).toThrow(new RegExp(`^c/inc: HardenedInclude cannot read ${file.replace(/[.]/g, '\\.')} the way kubectl reads it:\\n  ${file.replace(/[.]/g, '\\.')}:\\d+`));
      return;
    }
    const objects = new HardenedInclude(chart, 'inc', { url: file }).apiObjects.map((o) => o.toJson());
    const theirs = kubectlRead(c.text);
    expect(theirs).toHaveProperty('objects');
    // cdk8s drops null values from every ApiObject (kubectl would send them): the cluster reads both the same.
    expect(objects).toEqual((theirs as { objects: unknown[] }).objects.map(withoutNulls));
  });

  test('enforce judges the merge that kubectl applies: the pod is privileged', () => {
    const file = path.join(dir, 'merge.yaml');
    fs.writeFileSync(file, PARITY_CORPUS.find((c) => c.name === 'merge after an explicit key wins')!.text);
    const app = new App();
    const chart = new Chart(app, 'c');
    Hardening.enforce(chart);
    new HardenedInclude(chart, 'inc', { url: file });
    expect(() => app.synthYaml()).toThrow(/pod-privileged\s+critical\s+Pod\/p \(c\/inc\/p-pod\)\s+spec\.containers\[0\]\.securityContext\.privileged/);
  });

  test('remote URLs are refused', () => {
    expect(() => new HardenedInclude(new Chart(new App(), 'c'), 'inc', { url: 'https://example.com/x.yaml' })).toThrow(/reads local files only/);
  });
});
