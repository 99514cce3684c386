/**
 * The reader sends a document to its precise path when one of three hints matches (merge keys, tags and anchors,
 * number keys). The hints are tested one by one, each only when a character it needs is present; together they
 * must decide exactly as the single expression they replaced, which is kept here as the oracle.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { needsPrecisePath } from '../../src/core/yaml-reader';

const ORACLE = /<<(?=[ \t]*(?::|\r?$))|(?:^|[\s[{,])(?:!|[&*][A-Za-z0-9_-]*[^A-Za-z0-9_\-\s,[\]{}])|(?:^|[\s{,?])[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?[ \t]*:(?:[ \t]|$)/m;

/** The characters the hints look at, and a few they do not. */
const ALPHABET = ['<', '<<', '!', '&', '*', ':', ': ', ' ', '\t', '\n', '\r\n', '\r', '\u2028', '\u2029', '0', '1', '9', '.', '_', 'e', 'E', '+', '-', 'a', 'x', '{', '}', '[', ']', ',', '?', '#', '"', "'", '|'];

describe('needsPrecisePath', () => {
  test.each([
    ['a merge key', 'base: &b {x: 1}\nx:\n  <<: *b\n', true],
    ['a heredoc is no merge key', 'command: ["sh", "-c", "cat <<EOF"]\n', false],
    ['a tag', 'value: !!str 10\n', true],
    ['an anchor go-yaml cuts short', 'a: &x:y 1\n', true],
    ['a number key', 'data:\n  1.5: a\n', true],
    ['a key ending in a digit is no number key', 'http2: true\nk8s: 1\n', false],
    ['an ordinary manifest', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n', false],
  ])('%s', (_name, text, expected) => {
    expect(needsPrecisePath(text)).toBe(expected);
    expect(ORACLE.test(text)).toBe(expected);
  });

  test('fast-check: decides as the single expression on text made of the characters the hints read', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(needsPrecisePath(text)).toBe(ORACLE.test(text));
      }),
      { numRuns: 20_000 },
    );
  });

  test('decides as the single expression on every YAML fixture of the repository', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.ya?ml$/.test(entry.name)) files.push(file);
      }
    };
    walk(path.join(__dirname, '..'));
    expect(files.length).toBeGreaterThan(100);
    let precise = 0;
    for (const file of files) {
      for (const chunk of fs.readFileSync(file, 'utf8').split(/^---/m)) {
        expect(needsPrecisePath(chunk)).toBe(ORACLE.test(chunk));
        if (ORACLE.test(chunk)) precise++;
      }
    }
    // Some fixtures take the precise path on purpose (merge keys, tags), so both answers are compared.
    expect(precise).toBeGreaterThan(0);
  });
});
