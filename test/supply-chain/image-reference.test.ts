import * as fc from 'fast-check';
import { familiarReference } from './arbitraries';
import {
  familiarName,
  formatImageReference,
  fullName,
  ImageReferenceError,
  parseImageReference,
  tryParseImageReference,
} from '../../src/analysis/images/image-reference';

const SHA256 = `sha256:${'a1'.repeat(32)}`;
const SHA512 = `sha512:${'0f'.repeat(64)}`;

describe('parseImageReference: valid references', () => {
  test.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['index.docker.io/library/nginx:stable', { registry: 'docker.io', repository: 'library/nginx', tag: 'stable' }],
    ['bitnami/redis:7.2', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7.2' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/team/app:v1', { registry: 'localhost:5000', repository: 'team/app', tag: 'v1' }],
    [`registry.example.com/team/app@${SHA256}`, { registry: 'registry.example.com', repository: 'team/app', digest: SHA256 }],
    [`registry.example.com:8443/a/b/c:1.0@${SHA512}`, { registry: 'registry.example.com:8443', repository: 'a/b/c', tag: '1.0', digest: SHA512 }],
    ['192.168.1.10:5000/app', { registry: '192.168.1.10:5000', repository: 'app' }],
    ['[::1]:5000/app:dev', { registry: '[::1]:5000', repository: 'app', tag: 'dev' }],
    ['Registry.Example.COM/app', { registry: 'registry.example.com', repository: 'app' }],
    ['ghcr.io/org/my_app__x.y-z---w:V_1.2-rc.3', { registry: 'ghcr.io', repository: 'org/my_app__x.y-z---w', tag: 'V_1.2-rc.3' }],
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
  ])('%s', (text, expected) => {
    expect(parseImageReference(text)).toEqual({ tag: undefined, digest: undefined, ...expected });
  });

  test('familiar and full names', () => {
    const official = parseImageReference('nginx:1.27');
    expect(fullName(official)).toBe('docker.io/library/nginx');
    expect(familiarName(official)).toBe('nginx');
    expect(familiarName(parseImageReference('docker.io/bitnami/redis'))).toBe('bitnami/redis');
    expect(familiarName(parseImageReference('docker.io/library/a/b'))).toBe('library/a/b');
    expect(familiarName(parseImageReference('quay.io/x/y'))).toBe('quay.io/x/y');
    expect(formatImageReference(official)).toBe('docker.io/library/nginx:1.27');
    expect(formatImageReference(official, { familiar: true })).toBe('nginx:1.27');
  });
});

describe('parseImageReference: invalid references', () => {
  test.each([
    ['', /empty/],
    [' nginx', /whitespace/],
    ['NGINX', /must be lower-case/],
    ['team/App', /must be lower-case/],
    ['nginx:', /tag after ":" is empty/],
    ['nginx:-1', /tag "-1" is not valid/],
    [`nginx:${'a'.repeat(129)}`, /is not valid/],
    ['/nginx', /empty component/],
    ['nginx/', /empty component/],
    ['team//app', /empty component/],
    ['foo_/bar', /path component "foo_"/],
    ['nginx@', /digest after "@" is empty/],
    ['nginx@sha256', /must be "algorithm:hex"/],
    ['nginx@sha256:abc', /has 64 hex digits, "sha256:abc" has 3/],
    [`nginx@sha256:${'A'.repeat(64)}`, /lower-case hex/],
    [`nginx@sha256:${'g'.repeat(64)}`, /must end in hex digits/],
    [`nginx@md5:${'a'.repeat(32)}`, /algorithm "md5" is not supported/],
    ['a'.repeat(64).replace(/a/g, 'f'), /image id/],
    ['registry.example.com:99999/app', /port 99999 is out of range/],
    ['registry.example.com:abc:1/app', /not a number/],
    ['-bad.example.com/app', /not a valid host name/],
    [`registry.example.com/${'a'.repeat(250)}`, /longer than 255/],
    ['[zz]:5000/app', /IPv6/],
  ])('%s', (text, error) => {
    expect(() => parseImageReference(text)).toThrow(ImageReferenceError);
    expect(() => parseImageReference(text)).toThrow(error);
  });

  test('errors quote the reference', () => {
    expect(() => parseImageReference('nginx:')).toThrow('invalid image reference "nginx:"');
  });

  test('tryParseImageReference reports non-strings without throwing', () => {
    expect(tryParseImageReference(42)).toEqual({ ok: false, error: 'invalid image reference: expected a string, got number' });
    expect(tryParseImageReference(null)).toEqual({ ok: false, error: 'invalid image reference: expected a string, got null' });
    expect(tryParseImageReference('nginx')).toMatchObject({ ok: true });
  });
});

describe('properties', () => {
  test('familiar format(parse(x)) is x for every reference in the grammar', () => {
    fc.assert(
      fc.property(familiarReference, (text) => {
        expect(formatImageReference(parseImageReference(text), { familiar: true })).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  test('parse(format(parse(x))) equals parse(x), in both full and familiar form', () => {
    fc.assert(
      fc.property(familiarReference, fc.boolean(), (text, familiar) => {
        const parsed = parseImageReference(text);
        expect(parseImageReference(formatImageReference(parsed, { familiar }))).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });

  test('the full form always names a registry and a repository with a slash', () => {
    fc.assert(
      fc.property(familiarReference, (text) => {
        const parsed = parseImageReference(text);
        expect(fullName(parsed).startsWith(`${parsed.registry}/`)).toBe(true);
        expect(parsed.repository).not.toBe('');
        if (parsed.registry === 'docker.io') expect(parsed.repository).toContain('/');
      }),
    );
  });

  test('any string: parse either succeeds or throws ImageReferenceError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('a', 'B', '1', ':', '/', '@', '.', '-', '_', '[', ']') })), (text) => {
        try {
          parseImageReference(text);
        } catch (e) {
          expect(e).toBeInstanceOf(ImageReferenceError);
        }
        expect(() => tryParseImageReference(text)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});
