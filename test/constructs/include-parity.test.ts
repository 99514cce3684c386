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
import { Hardening } from '../../src';
import { yamlMismatch } from '../../src/constructs/synth-yaml';
import { PARITY_CORPUS } from '../fixtures/yaml-parity/corpus';
import { describeWithKubectl, kubectlRead } from '../util/kubectl';

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
      const original = kubectlRead(c.text);
      if (!('objects' in original) || !isDeepStrictEqual(original.objects, objects)) differsFromKubectl.push(c.name);
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
