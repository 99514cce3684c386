import * as fc from 'fast-check';
import { familiarReference } from './arbitraries';
import { isTrustedSource, parseImagePolicy } from '../../src/analysis/images/image-policy';
import { fullName, parseImageReference } from '../../src/analysis/images/image-reference';
import {
  coveringGlob,
  globsFromImagePolicy,
  globMatches,
  hasTrustPolicy,
  sigstoreName,
  TrustGlob,
  trustGlobError,
  trustGlobsOf,
} from '../../src/analysis/images/trust-globs';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('sigstoreName: the name policy-controller matches', () => {
  test.each([
    ['nginx', 'index.docker.io/library/nginx:latest'],
    ['nginx:1.27', 'index.docker.io/library/nginx:1.27'],
    ['docker.io/nginx', 'index.docker.io/library/nginx:latest'],
    ['index.docker.io/nginx', 'index.docker.io/library/nginx:latest'],
    ['team/app:v1', 'index.docker.io/team/app:v1'],
    ['ghcr.io/org/app', 'ghcr.io/org/app:latest'],
    [`ghcr.io/org/app@${DIGEST}`, `ghcr.io/org/app@${DIGEST}`],
    // The tag of a tag-and-digest reference is dropped: the digest is what runs.
    [`ghcr.io/org/app:1.0@${DIGEST}`, `ghcr.io/org/app@${DIGEST}`],
    ['localhost:5000/app:dev', 'localhost:5000/app:dev'],
  ])('%s', (image, name) => {
    expect(sigstoreName(image)).toBe(name);
  });

  test('an invalid reference has no name and matches no glob', () => {
    expect(sigstoreName('invalid&name')).toBeUndefined();
    expect(globMatches('**', 'sigstore', 'invalid&name')).toBe(false);
  });
});

describe('sigstore glob matching', () => {
  test.each([
    // Docker Hub normalisation.
    ['index.docker.io/library/foo:latest', 'foo', true],
    ['index.docker.io/library/*', 'foo', true],
    ['index.docker.io/*/*', 'foo', true],
    ['index.docker.io/**', 'myuser/myapp', true],
    ['index.docker.io/myuser/*', 'myuser/myapp:2', true],
    ['docker.io/library/*', 'foo', false], // the host is index.docker.io after normalisation
    // The bare shorthands.
    ['*', 'foo', true],
    ['*', 'myuser/myapp', false],
    ['*/*', 'myuser/myapp', true],
    // The deprecated fallback to the reference as written.
    ['foo', 'foo', true],
    ['myuser/myapp', 'myuser/myapp', true],
    // One segment versus many.
    ['ghcr.io/*/*', 'ghcr.io/foo/bar', true],
    ['ghcr.io/*/*', 'ghcr.io/foo', false],
    ['ghcr.io/org/*', 'ghcr.io/org/team/app', false],
    ['ghcr.io/org/**', 'ghcr.io/org/team/app', true],
    ['ghcr.io/org/*', `ghcr.io/org/app@${DIGEST}`, true],
    ['ghcr.io/org/app:*', `ghcr.io/org/app@${DIGEST}`, false], // a digest reference has no tag
    ['ghcr.io/org/app@*', `ghcr.io/org/app@${DIGEST}`, false], // "@" is not a glob character: invalid
    // Whole-string match, literal dots.
    ['ghcr.io/foo', 'prefix-ghcr.io/foo', false],
    ['ghcr.io/foo', 'ghcr.io/foo-suffix', false],
    ['ghcr.io/**', 'ghcrxio/foo', false],
    ['*/**', 'ghcr.io/foo', true],
  ])('%s vs %s: %s', (glob, image, expected) => {
    expect(globMatches(glob, 'sigstore', image)).toBe(expected);
  });

  test('invalid sigstore globs are reported and match nothing', () => {
    expect(trustGlobError('ghcr.io/org/**', 'sigstore')).toBeUndefined();
    expect(trustGlobError('*', 'sigstore')).toBeUndefined();
    expect(trustGlobError('[a-z]*', 'sigstore')).toMatch(/may only hold/);
    expect(trustGlobError('.+', 'sigstore')).toMatch(/may only hold/);
    expect(globMatches('[a-z]*', 'sigstore', 'a')).toBe(false);
    expect(trustGlobError('', 'sigstore')).toMatch(/empty/);
  });
});

describe('Kyverno glob matching (gobwas/glob, no separators, image as written)', () => {
  test.each([
    ['ghcr.io/org/*', 'ghcr.io/org/team/app:1', true], // "*" crosses "/"
    ['ghcr.io/org/*', 'ghcr.io/other/app', false],
    ['nginx*', 'nginx:1.27', true],
    ['docker.io/library/nginx*', 'nginx:1.27', false], // no normalisation
    ['ghcr.io/org/ap?', 'ghcr.io/org/app', true],
    ['ghcr.io/org/[a-c]pp', 'ghcr.io/org/bpp', true],
    ['ghcr.io/org/[!a-c]pp', 'ghcr.io/org/bpp', false],
    ['{ghcr.io,quay.io}/org/*', 'quay.io/org/app', true],
    ['{ghcr.io,quay.io}/org/*', 'gcr.io/org/app', false],
    ['ghcr.io/org/app\\*', 'ghcr.io/org/app*', true],
    ['ghcr.io/org/app\\*', 'ghcr.io/org/apps', false],
    ['ghcr.io/org.app', 'ghcr.io/orgxapp', false], // "." is literal
  ])('%s vs %s: %s', (glob, image, expected) => {
    expect(globMatches(glob, 'kyverno', image)).toBe(expected);
  });

  test('invalid Kyverno globs are reported', () => {
    expect(trustGlobError('ghcr.io/[abc', 'kyverno')).toMatch(/not closed/);
    expect(trustGlobError('{a,b', 'kyverno')).toMatch(/not closed/);
    expect(trustGlobError('abc\\', 'kyverno')).toMatch(/escape/);
    expect(trustGlobError('ghcr.io/**', 'kyverno')).toBeUndefined();
    expect(globMatches('ghcr.io/[abc', 'kyverno', 'ghcr.io/[abc')).toBe(false);
  });
});

describe('trustGlobsOf', () => {
  const cip = (name: string, spec: Record<string, unknown>, apiVersion = 'policy.sigstore.dev/v1beta1') => ({
    apiVersion,
    kind: 'ClusterImagePolicy',
    metadata: { name },
    spec,
  });
  const ivp = (name: string, spec: Record<string, unknown>, apiVersion = 'policies.kyverno.io/v1') => ({
    apiVersion,
    kind: 'ImageValidatingPolicy',
    metadata: { name },
    spec,
  });

  test('reads the globs of both verifiers with their mode, in object order', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
      cip('signed', { images: [{ glob: 'ghcr.io/org/**' }, { regex: 'ignored' }, { glob: 'quay.io/org/*' }], authorities: [] }),
      cip('trial', { mode: 'warn', images: [{ glob: 'gcr.io/**' }] }, 'policy.sigstore.dev/v1alpha1'),
      ivp('kv', { validationActions: ['Deny'], matchImageReferences: [{ glob: 'registry.example.com/*' }, { expression: 'true' }] }),
      ivp('kv-audit', { validationActions: ['Audit', 'Warn'], matchImageReferences: [{ glob: 'x.io/*' }] }),
      ivp('kv-all', { validationActions: ['Deny'] }),
    ];
    expect(hasTrustPolicy(objects)).toBe(true);
    expect(trustGlobsOf(objects)).toEqual<TrustGlob[]>([
      { glob: 'ghcr.io/org/**', policy: 'ClusterImagePolicy/signed', verifier: 'sigstore', mode: 'enforce' },
      { glob: 'quay.io/org/*', policy: 'ClusterImagePolicy/signed', verifier: 'sigstore', mode: 'enforce' },
      { glob: 'gcr.io/**', policy: 'ClusterImagePolicy/trial', verifier: 'sigstore', mode: 'warn' },
      { glob: 'registry.example.com/*', policy: 'ImageValidatingPolicy/kv', verifier: 'kyverno', mode: 'enforce' },
      { glob: 'x.io/*', policy: 'ImageValidatingPolicy/kv-audit', verifier: 'kyverno', mode: 'warn' },
      // No matchImageReferences: Kyverno checks every image.
      { glob: '*', policy: 'ImageValidatingPolicy/kv-all', verifier: 'kyverno', mode: 'enforce' },
    ]);
  });

  test('ignores other kinds, unknown versions and malformed objects', () => {
    const objects: unknown[] = [
      null,
      'text',
      cip('other-version', { images: [{ glob: '**' }] }, 'policy.sigstore.dev/v2'),
      { apiVersion: 'example.com/v1', kind: 'ClusterImagePolicy', spec: { images: [{ glob: '**' }] } },
      cip('no-spec', {}),
      cip('bad-images', { images: 'ghcr.io/**' }),
    ];
    expect(trustGlobsOf(objects)).toEqual([]);
    expect(hasTrustPolicy([objects[0], objects[1], objects[3]])).toBe(false);
  });

  test('coveringGlob returns the first glob that covers the image, per verifier semantics', () => {
    const globs: TrustGlob[] = [
      { glob: 'ghcr.io/org/*', policy: 'ClusterImagePolicy/a', verifier: 'sigstore', mode: 'enforce' },
      { glob: 'ghcr.io/org/*', policy: 'ImageValidatingPolicy/b', verifier: 'kyverno', mode: 'enforce' },
    ];
    expect(coveringGlob('ghcr.io/org/app:1', globs)?.policy).toBe('ClusterImagePolicy/a');
    // Two segments: only Kyverno's "*" crosses the "/".
    expect(coveringGlob('ghcr.io/org/team/app:1', globs)?.policy).toBe('ImageValidatingPolicy/b');
    expect(coveringGlob('quay.io/org/app', globs)).toBeUndefined();
    expect(coveringGlob('ghcr.io/org/app', [])).toBeUndefined();
  });
});

describe('globsFromImagePolicy', () => {
  test('registries and repository patterns in each verifier\'s syntax', () => {
    const policy = parseImagePolicy({ allowedRegistries: ['registry.example.com', '*.corp.example', 'docker.io'], allowedRepositories: ['nginx', 'ghcr.io/org/*', 'quay.io/org/**'] });
    expect(globsFromImagePolicy(policy, 'sigstore')).toEqual([
      'registry.example.com/**', '*.corp.example/**', 'index.docker.io/**', 'index.docker.io/library/nginx*', 'ghcr.io/org/*', 'quay.io/org/**',
    ]);
    expect(globsFromImagePolicy(policy, 'kyverno')).toEqual([
      'registry.example.com/*', '*.corp.example/*', 'docker.io/*', 'index.docker.io/*', 'docker.io/library/nginx*', 'index.docker.io/library/nginx*', 'ghcr.io/org/*', 'quay.io/org/**',
    ]);
    expect(globsFromImagePolicy({}, 'sigstore')).toEqual([]);
    for (const verifier of ['sigstore', 'kyverno'] as const) {
      for (const glob of globsFromImagePolicy(policy, verifier)) expect([glob, trustGlobError(glob, verifier)]).toEqual([glob, undefined]);
    }
  });

  // The derived globs may only over-match: an image the policy trusts is always one the verifier checks.
  test('fast-check: every image the policy trusts by registry or repository is covered (sigstore: any form; Kyverno: fully qualified)', () => {
    fc.assert(
      fc.property(familiarReference, fc.boolean(), (text, byRegistry) => {
        const reference = parseImageReference(text);
        const policy = parseImagePolicy(byRegistry ? { allowedRegistries: [reference.registry] } : { allowedRepositories: [fullName(reference)] });
        expect(isTrustedSource(reference, policy)).toBe(true);
        const globsOf = (verifier: TrustGlob['verifier']): TrustGlob[] =>
          globsFromImagePolicy(policy, verifier).map((glob) => ({ glob, verifier, policy: 'p', mode: 'enforce' }));
        expect([text, coveringGlob(text, globsOf('sigstore')) !== undefined]).toEqual([text, true]);
        const qualified = `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
        expect([qualified, coveringGlob(qualified, globsOf('kyverno')) !== undefined]).toEqual([qualified, true]);
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
