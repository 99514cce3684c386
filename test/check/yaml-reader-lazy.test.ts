/**
 * The `yaml` package serves only the reader's precise path (merge keys, tags, duplicate keys, big numbers): it is
 * loaded by the first document that takes that path, so a plain `check` does not pay for loading it.
 */
type Reader = typeof import('../../src/core/yaml-reader');

/** The reader in a fresh module registry, with `yaml` replaced by a stub that records whether it was loaded. */
function freshReader(): { reader: Reader; loaded: () => boolean } {
  let loaded = false;
  let reader: Reader | undefined;
  jest.isolateModules(() => {
    jest.doMock('yaml', () => {
      loaded = true;
      return jest.requireActual('yaml');
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    reader = require('../../src/core/yaml-reader') as Reader;
  });
  return { reader: reader!, loaded: () => loaded };
}

afterEach(() => jest.dontMock('yaml'));

describe('yaml-reader loads the yaml package lazily', () => {
  test('ordinary documents are read without loading it', () => {
    const { reader, loaded } = freshReader();
    const result = reader.readYamlChunk('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: "v", x: "1"}\n');
    expect(result).toEqual({ value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v', x: '1' } } });
    expect(loaded()).toBe(false);
  });

  test('a document with a merge key loads it and is read by the precise path', () => {
    const { reader, loaded } = freshReader();
    const result = reader.readYamlChunk('base: &b {a: 1}\nmerged:\n  <<: *b\n  c: 2\n');
    expect(result).toEqual({ value: { base: { a: 1 }, merged: { a: 1, c: 2 } } });
    expect(loaded()).toBe(true);
  });
});
