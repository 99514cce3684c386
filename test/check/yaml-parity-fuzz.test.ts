/**
 * Fuzz against kubectl: random YAML text (fragments of YAML syntax, indented at random) inside a ConfigMap. Every
 * sample the checker accepts must be read exactly as kubectl reads it. This found the divergences the reader now
 * refuses or routes to its precise path: anchor names go-yaml cuts short (`&x:y`), tags that run into flow
 * indicators, a bare `!` before a scalar on the next line, and lone carriage returns.
 */
import * as fc from 'fast-check';
import { parseManifests } from '../../src/engine/load';
import { describeWithKubectl, kubectlReadEach } from '../util/kubectl';

const fragment = fc.constantFrom('a', 'b: c', 'yes', 'on', '010', '0o7', ':', ': ', ' ', '  ', '\t', '-', '- ', '#', ' #x', '"q"', "'s'", '"a\\"b"', '{', '}', '[', ']', ',',
  '&x', '*x', '!', '!!str', '|', '>', '|-', '>+', '?', '? ', '<<', '...', '---', '%', '@', '`', '\\', 'é', '\r', '~', 'null', '1.5', '0x1F', '1e3', '=');
const line = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fragment, { minLength: 1, maxLength: 5 })).map(([indent, parts]) => '  '.repeat(indent) + parts.join(''));
const body = fc.array(line, { minLength: 1, maxLength: 5 }).map((lines) => lines.map((l) => `  ${l}`).join('\n'));

describeWithKubectl('fuzz: random YAML syntax is read as kubectl reads it, or refused', () => {
  test.each([1, 2, 3])('seed %d', (seed) => {
    const texts = fc.sample(body, { numRuns: 1000, seed }).map((b, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s${i}\ndata:\n${b}\n`);
    const ours = texts.map((t) => parseManifests(t, 'fuzz.yaml'));
    const accepted = texts.map((_, i) => i).filter((i) => ours[i].problems.length === 0 && ours[i].inputs.length === 1);
    const theirs = kubectlReadEach(accepted.map((i) => texts[i]));
    let compared = 0;
    for (const i of accepted) {
      if (!theirs.has(`s${i}`)) continue; // kubectl refuses this sample: nothing would be applied
      expect([texts[i], ours[i].inputs[0].object]).toEqual([texts[i], theirs.get(`s${i}`)]);
      compared++;
    }
    expect(compared).toBeGreaterThan(250);
  });
});
