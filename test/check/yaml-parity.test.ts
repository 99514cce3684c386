/**
 * Differential suite: every corpus document is read by the checker's reader and by kubectl itself. The checker
 * must judge exactly the JSON kubectl sends, or refuse the document with an input problem naming file and line.
 * Under CI=true a missing kubectl fails this suite (.ci/run installs it).
 */
import { isDeepStrictEqual } from 'util';
import * as yaml from 'js-yaml';
import { parseManifests } from '../../src/check/load';
import { PARITY_CORPUS } from '../fixtures/yaml-parity/corpus';
import { describeWithKubectl, kubectlRead, requireKubectl } from '../util/kubectl';

const kubectlCache = new Map<string, ReturnType<typeof kubectlRead>>();
const kubectl = (text: string) => {
  if (!kubectlCache.has(text)) kubectlCache.set(text, kubectlRead(text));
  return kubectlCache.get(text)!;
};

describeWithKubectl('the reader judges what kubectl applies, or refuses', () => {
  test('kubectl is installed', () => requireKubectl());

  test.each(PARITY_CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const file = 'case.yaml';
    const ours = parseManifests(c.text, file);
    const judged: unknown[] = ours.inputs.map((i) => i.object);
    const theirs = kubectl(c.text);
    // Every problem names the file and a line.
    for (const p of ours.problems) expect(p.message).toMatch(/^case\.yaml(:\d+)+: |^case\.yaml holds no/);
    if (c.expect === 'same') {
      expect(theirs).toHaveProperty('objects');
      expect(ours.problems).toEqual([]);
      expect(judged).toEqual((theirs as { objects: unknown[] }).objects);
    } else if (c.expect === 'refused') {
      // A document that is not an object (a scalar cut off by a `---`) is an input problem of the engine's shape check.
      const notObjects = judged.filter((o) => o === null || typeof o !== 'object' || Array.isArray(o));
      expect(ours.problems.length + notObjects.length).toBeGreaterThan(0);
      // Whatever is still judged is exactly something kubectl sends (when kubectl fails on the file, it sends
      // nothing, and the other documents of the file may still be judged).
      if ('objects' in theirs) for (const object of judged.filter((o) => !notObjects.includes(o))) expect(theirs.objects.some((o) => isDeepStrictEqual(o, object))).toBe(true);
    } else {
      expect(theirs).toHaveProperty('error');
    }
  });

  test('the corpus bites: plain js-yaml (YAML 1.2) reads many of these cases differently from kubectl', () => {
    let differ = 0;
    for (const c of PARITY_CORPUS.filter((x) => x.expect !== 'kubectl-fails')) {
      const theirs = kubectl(c.text);
      let plain: unknown[];
      try {
        plain = yaml.loadAll(c.text).filter((d) => d !== null && d !== undefined);
      } catch {
        continue;
      }
      if (!('objects' in theirs) || !isDeepStrictEqual(plain, theirs.objects)) differ++;
    }
    expect(differ).toBeGreaterThanOrEqual(20);
  });
});
