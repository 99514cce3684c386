/**
 * Safe synthesis: what kubectl reads from the YAML cdk8s writes is exactly the JSON that was judged, or synth
 * fails naming the construct path and the JSON path. kubectl itself is the reader (see test/util/kubectl.ts).
 */
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { newChart, webContainer } from './helpers';
import { Hardening, HardenedDeployment, LockedNamespace } from '../../src';
import { yamlMismatch } from '../../src/constructs/synth-yaml';
import { describeWithKubectl, kubectlRead } from '../util/kubectl';

const LS = '\u2028';
const PS = '\u2029';
const NEL = '\u0085';

const configMap = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...extra }, data });

describeWithKubectl('what cdk8s writes, as kubectl reads it', () => {
  test('the trap: cdk8s writes these values so that kubectl reads something else', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['U+2029 in a value is a line break to kubectl', configMap({ a: `x${PS}y` })],
      ['U+2028 inside the quotes cdk8s writes is folded to a space', configMap({ a: `x${LS}  hostPID: true` })],
      ['NEL in a value', configMap({ a: `x${NEL}y` })],
      ['0o17 is written unquoted and read as 15', configMap({ a: '0o17' })],
      ['a << key is written unquoted and merged', { ...configMap({}), metadata: { name: 'c', labels: { '<<': { team: 'x' } } } }],
    ];
    for (const [name, object] of cases) {
      const read = kubectlRead(Yaml.stringify(object));
      const same = 'objects' in read && JSON.stringify(read.objects) === JSON.stringify([object]);
      expect([name, same]).toEqual([name, false]);
      // ... and the guard sees it.
      expect([name, yamlMismatch(object)]).toEqual([name, expect.objectContaining({ path: expect.any(String) })]);
    }
  });

  test('YAML 1.1 words and numbers in strings are quoted by cdk8s and read back as strings: no refusal', () => {
    const words = ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'YES', 'True', '~', 'null', '', '010', '0x1F', '0b11', '-0b11', '1e3', '.5', '+.inf', '.nan', '1:20', '1_000', '09', '2001-12-14', '<<', '0', '-0', '+1'];
    const object = configMap(Object.fromEntries(words.map((w, i) => [`k${i}`, w])));
    const mismatch = yamlMismatch(object);
    const read = kubectlRead(Yaml.stringify(object));
    expect(mismatch).toBeUndefined();
    expect(read).toEqual({ objects: [object] });
  });
});

describe('synthesis refuses what kubectl would read differently', () => {
  test('an env value of a HardenedDeployment with U+2028', () => {
    const { app, chart } = newChart();
    new HardenedDeployment(chart, 'web', { containers: [{ ...webContainer(), envVariables: { MODE: kplus.EnvValue.fromValue(`fast${LS}hostPID: true`) } }] });
    expect(() => app.synthYaml()).toThrow(/\[test\/web\] Deployment\/\S+ spec\.template\.spec\.containers\[0\]\.env\[0\]\.value: the value "fast<U\+2028>hostPID: true" is written with a raw U\+2028, which kubectl's YAML reader \(YAML 1\.1\) reads as a line break.*Fix: remove line separators/);
  });

  test('the ServiceAccount a HardenedDeployment brings along, with U+0085 in its purpose', () => {
    const { app, chart } = newChart();
    new HardenedDeployment(chart, 'web', { containers: [webContainer()], purpose: `serves${NEL}the shop` });
    expect(() => app.synthYaml()).toThrow(/\[test\/webServiceAccount\/Resource\] ServiceAccount\/\S+ metadata\.annotations\["\S+"\]: the value "serves<U\+0085>the shop" is written with a raw U\+0085/);
  });

  test('a LockedNamespace purpose with U+2029', () => {
    const { app, chart } = newChart();
    new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop', purpose: `shop${PS}pod-security.kubernetes.io/enforce: privileged` });
    expect(() => app.synthYaml()).toThrow(/\[test\/shop\/\S+\] Namespace\/shop metadata\.annotations\["\S+"\]: the value "shop<U\+2029>pod-security/);
  });

  test('Hardening.enforce: any ApiObject in scope, a << key or an unquoted YAML 1.1 number', () => {
    const app = new App();
    const chart = new Chart(app, 'raw');
    Hardening.enforce(chart);
    new ApiObject(chart, 'merge', configMap({ a: 'b' }, { namespace: 'shop', annotations: { '<<': { 'pod-security.kubernetes.io/enforce': 'privileged' } } }) as never);
    new ApiObject(chart, 'octal', configMap({ uid: '0o17' }, { namespace: 'shop' }) as never);
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[raw\/merge\] ConfigMap\/c metadata\.annotations\["<<"\]: the key "<<" is written as YAML that kubectl reads as nothing/);
    expect(message).toMatch(/\[raw\/octal\] ConfigMap\/c data\.uid: the value "0o17" is written as YAML that kubectl reads as 15/);
  });

  test('plain text, non-ASCII text and quoted YAML 1.1 words pass', () => {
    expect(yamlMismatch(configMap({ a: 'café ✓ 中文', b: 'yes', c: 'x\ny\n', d: ' lead', e: 'a: b', f: '#x' }))).toBeUndefined();
  });
});

/** Strings that stress YAML: separators, YAML 1.1 words, indicators, whitespace, non-ASCII. */
const piece = fc.constantFrom(LS, PS, NEL, '\ufeff', '\n', '\t', ' ', ': ', ' #', '- ', '---', '...', '"', "'", '{', '[', '&a', '*a', '!x', '%', '@', '`', '|', '>', '<<',
  'yes', 'on', 'y', 'n', '~', 'null', '010', '0o17', '0x1F', '09', '1e3', '.inf', '1_0', 'é', '中', '✓', 'hostPID: true', 'a', 'b');
const nasty = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));

describeWithKubectl('property: synthesized YAML reads back, in kubectl, as exactly the judged JSON, or synth names the field', () => {
  test('random env values, args, labels and annotations of a HardenedDeployment', () => {
    const written: string[] = [];
    const judged: unknown[] = [];
    let refused = 0;
    fc.assert(
      fc.property(fc.record({ env: nasty, arg: nasty, label: nasty, annotation: nasty, annotationKey: fc.constantFrom('note', '<<', 'x.io/y', 'yes') }), (sample) => {
        const { app, chart } = newChart();
        new HardenedDeployment(chart, 'web', {
          metadata: { labels: { tier: sample.label }, annotations: { [sample.annotationKey]: sample.annotation } },
          containers: [{ ...webContainer(), args: [sample.arg], envVariables: { MODE: kplus.EnvValue.fromValue(sample.env) } }],
        });
        let yaml: string;
        try {
          yaml = app.synthYaml();
        } catch (e) {
          // A refusal names the construct path and a JSON path.
          expect((e as Error).message).toMatch(/\[test\/web[^\]]*\] \w+\/\S+ \S+: the (value|key) .* (kubectl reads as|kubectl cannot read|a line break)/);
          refused++;
          return;
        }
        written.push(yaml);
        for (const object of chart.toJson()) judged.push(object);
      }),
      { numRuns: 60, seed: 2026 },
    );
    // One kubectl call for every sample that synthesized.
    const read = kubectlRead(written.join('---\n'));
    expect(read).toHaveProperty('objects');
    expect((read as { objects: unknown[] }).objects).toEqual(JSON.parse(JSON.stringify(judged)));
    expect(refused).toBeGreaterThan(0);
    expect(written.length).toBeGreaterThan(0);
  });
});
