/**
 * Differential suite: every corpus document is read by the checker's reader and by kubectl itself. The checker
 * must judge exactly the JSON kubectl sends, or refuse the document with an input problem naming file and line.
 * Under CI=true a missing kubectl fails this suite (.ci/run installs it).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as yaml from 'js-yaml';
import { HardenedValidation } from '../../src';
import { parseManifests } from '../../src/engine/load';
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

describe('the cdk8s validation plugin reads manifests through the same reader', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-parity-plugin-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('refused corpus cases are input problems naming file and line; a merge that makes a pod privileged is a finding', async () => {
    const refused = PARITY_CORPUS.filter((c) => c.expect === 'refused' && !c.name.startsWith('--- at column 0'));
    const files = refused.map((c, i) => {
      const file = path.join(dir, `refused-${i}.yaml`);
      fs.writeFileSync(file, c.text);
      return file;
    });
    const merged = path.join(dir, 'merged.yaml');
    fs.writeFileSync(merged, PARITY_CORPUS.find((c) => c.name === 'merge after an explicit key wins')!.text);
    const violations: Array<{ ruleName: string; violatingResources: Array<{ manifestPath: string; locations: string[] }> }> = [];
    let status: string | undefined;
    await new HardenedValidation({ rules: ['pod-privileged'] }).validate({
      manifests: [...files, merged],
      report: { addViolation: (v: (typeof violations)[number]) => violations.push(v), submit: (s: string) => (status = s) },
      logger: { log: () => undefined },
    } as never);
    expect(status).toBe('failure');
    const problemFiles = new Set(violations.filter((v) => v.ruleName === 'input-problem').flatMap((v) => v.violatingResources.map((r) => r.manifestPath)));
    for (const file of files) expect([file, problemFiles.has(file)]).toEqual([file, true]);
    const lines = violations.filter((v) => v.ruleName === 'input-problem').flatMap((v) => v.violatingResources.flatMap((r) => r.locations));
    for (const line of lines) expect(line).toMatch(/refused-\d+\.yaml(:\d+)+: /);
    expect(violations.filter((v) => v.ruleName.startsWith('pod-privileged')).flatMap((v) => v.violatingResources.map((r) => r.manifestPath))).toEqual([merged]);
  });
});
