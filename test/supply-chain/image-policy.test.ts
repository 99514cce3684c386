import * as fc from 'fast-check';
import { familiarReference } from './arbitraries';
import {
  defaultPullPolicy,
  ImagePolicyError,
  isTrustedSource,
  parseImagePolicy,
  qualifyRepositoryPattern,
  repositoryPatternRegExp,
  requiresDigest,
} from '../../src/analysis/images/image-policy';
import { fullName, parseImageReference } from '../../src/analysis/images/image-reference';

const ref = parseImageReference;

describe('parseImagePolicy', () => {
  test('no policy means the defaults: digests required, any registry', () => {
    expect(parseImagePolicy(undefined)).toEqual({});
    expect(parseImagePolicy(null)).toEqual({});
    expect(requiresDigest(parseImagePolicy({}))).toBe(true);
    expect(isTrustedSource(ref('evil.example.net/x'), parseImagePolicy({}))).toBe(true);
  });

  test('normalises registries and repository patterns', () => {
    expect(
      parseImagePolicy({
        allowedRegistries: ['Registry.Example.com', 'index.docker.io', '*.corp.example', 'localhost:5000'],
        allowedRepositories: ['nginx', 'bitnami/*', 'quay.io/org/**'],
        requireDigest: false,
        allowedPullPolicies: ['Always'],
        requiredPullSecrets: [{ registry: 'Registry.Example.com', secretNames: ['regcred'] }],
      }),
    ).toEqual({
      allowedRegistries: ['registry.example.com', 'docker.io', '*.corp.example', 'localhost:5000'],
      allowedRepositories: ['docker.io/library/nginx', 'docker.io/bitnami/*', 'quay.io/org/**'],
      requireDigest: false,
      allowedPullPolicies: ['Always'],
      requiredPullSecrets: [{ registry: 'registry.example.com', secretNames: ['regcred'] }],
    });
  });

  test.each([
    ['a list', [], /^imagePolicy: must be a mapping/],
    ['a string', 'docker.io', /^imagePolicy: must be a mapping/],
    ['an unknown key', { allowRegistries: ['x.io'] }, /^imagePolicy\.allowRegistries: unknown key/],
    ['registries not a list', { allowedRegistries: 'x.io' }, /^imagePolicy\.allowedRegistries: must be a list of strings/],
    ['an empty registry', { allowedRegistries: ['x.io', ''] }, /^imagePolicy\.allowedRegistries\[1\]: must be a non-empty string/],
    ['a registry with a path', { allowedRegistries: ['x.io/team'] }, /^imagePolicy\.allowedRegistries\[0\]: "x.io\/team" is not a registry/],
    ['a repository with a tag', { allowedRepositories: ['x.io/app:1.0'] }, /^imagePolicy\.allowedRepositories\[0\]: .*without a tag or digest/],
    ['a repository with a digest', { allowedRepositories: ['x.io/app@sha256:00'] }, /^imagePolicy\.allowedRepositories\[0\]: .*without a tag or digest/],
    ['a registry as repository', { allowedRepositories: ['x.io'] }, /^imagePolicy\.allowedRepositories\[0\]: "x.io" is a registry.*"x.io\/\*\*"/],
    ['an upper-case repository', { allowedRepositories: ['x.io/App'] }, /^imagePolicy\.allowedRepositories\[0\]: .*not a repository pattern/],
    ['requireDigest as a string', { requireDigest: 'yes' }, /^imagePolicy\.requireDigest: must be true or false/],
    ['a bad pull policy', { allowedPullPolicies: ['always'] }, /^imagePolicy\.allowedPullPolicies\[0\]: "always" is not one of Always, IfNotPresent, Never/],
    ['no pull policy', { allowedPullPolicies: [] }, /^imagePolicy\.allowedPullPolicies: must list at least one entry/],
    ['an empty registry list', { allowedRegistries: [] }, /^imagePolicy\.allowedRegistries: must list at least one entry \(omit the key/],
    ['an empty repository list', { allowedRepositories: [] }, /^imagePolicy\.allowedRepositories: must list at least one entry/],
    ['pull secrets as a map', { requiredPullSecrets: { 'x.io': ['s'] } }, /^imagePolicy\.requiredPullSecrets: must be a list/],
    ['a pull secret without registry', { requiredPullSecrets: [{ secretNames: ['s'] }] }, /^imagePolicy\.requiredPullSecrets\[0\]\.registry: must be a registry/],
    ['a wildcard pull secret registry', { requiredPullSecrets: [{ registry: '*.x.io', secretNames: ['s'] }] }, /requiredPullSecrets\[0\]\.registry/],
    ['no secret names', { requiredPullSecrets: [{ registry: 'x.io', secretNames: [] }] }, /^imagePolicy\.requiredPullSecrets\[0\]\.secretNames: must list at least one/],
    ['a bad secret name', { requiredPullSecrets: [{ registry: 'x.io', secretNames: ['Bad_Name'] }] }, /^imagePolicy\.requiredPullSecrets\[0\]\.secretNames\[0\]: must be a Secret name/],
    ['an unknown pull secret key', { requiredPullSecrets: [{ registry: 'x.io', secretNames: ['s'], extra: 1 }] }, /^imagePolicy\.requiredPullSecrets\[0\]\.extra: unknown key/],
  ])('rejects %s, naming the key', (_what, raw, error) => {
    expect(() => parseImagePolicy(raw)).toThrow(ImagePolicyError);
    expect(() => parseImagePolicy(raw)).toThrow(error);
  });

  test('the key prefix is configurable (the CLI names its config file key)', () => {
    expect(() => parseImagePolicy({ requireDigest: 1 }, 'config.yaml: imagePolicy')).toThrow(/^config\.yaml: imagePolicy\.requireDigest:/);
  });

  test('any JSON value: a policy or an ImagePolicyError, never another exception', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        try {
          parseImagePolicy(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(ImagePolicyError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('trusted sources', () => {
  const policy = parseImagePolicy({
    allowedRegistries: ['registry.example.com', '*.corp.example'],
    allowedRepositories: ['nginx', 'bitnami/*', 'quay.io/org/**'],
  });

  test.each([
    ['registry.example.com/team/app', true],
    ['REGISTRY.example.com/team/app', true],
    ['registry.example.com:5000/team/app', false],
    ['eu.corp.example/app', true],
    ['corp.example/app', false],
    ['nginx:1.27', true],
    ['docker.io/library/nginx', true],
    ['library/nginx', true],
    ['nginx-extra', false],
    ['bitnami/redis', true],
    ['bitnami/redis/sub', false],
    ['quay.io/org/a/b/c', true],
    ['quay.io/org', false],
    ['quay.io/other/a', false],
    ['evil.example.net/registry.example.com/app', false],
  ])('%s → %s', (image, trusted) => {
    expect(isTrustedSource(ref(image), policy)).toBe(trusted);
  });

  test('pattern qualification and compilation', () => {
    expect(qualifyRepositoryPattern('team/*')).toBe('docker.io/team/*');
    expect(qualifyRepositoryPattern('localhost/app')).toBe('localhost/app');
    expect(repositoryPatternRegExp('x.io/a.b/*').test('x.io/aXb/c')).toBe(false);
    expect(repositoryPatternRegExp('x.io/**').test('x.io/a/b')).toBe(true);
  });
});

describe('trusted source properties', () => {
  test('an image is trusted by its own registry, its own name, or a ** pattern under its registry; not by another registry', () => {
    fc.assert(
      fc.property(familiarReference, (text) => {
        const reference = ref(text);
        expect(isTrustedSource(reference, parseImagePolicy({ allowedRegistries: [reference.registry] }))).toBe(true);
        expect(isTrustedSource(reference, parseImagePolicy({ allowedRepositories: [fullName(reference)] }))).toBe(true);
        expect(isTrustedSource(reference, parseImagePolicy({ allowedRepositories: [`${reference.registry}/**`] }))).toBe(true);
        expect(isTrustedSource(reference, parseImagePolicy({ allowedRegistries: [`other-${reference.registry.replace(/[[\]:]/g, '')}.invalid`] }))).toBe(false);
        // `<parent>/*` matches exactly the repositories one component below parent, this one included.
        const parent = fullName(reference).split('/').slice(0, -1).join('/');
        if (parent.includes('/')) expect(isTrustedSource(reference, parseImagePolicy({ allowedRepositories: [`${parent}/*`] }))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

test('Kubernetes default pull policy', () => {
  expect(defaultPullPolicy(ref('nginx'))).toBe('Always');
  expect(defaultPullPolicy(ref('nginx:latest'))).toBe('Always');
  expect(defaultPullPolicy(ref('nginx:1.27'))).toBe('IfNotPresent');
  expect(defaultPullPolicy(ref(`nginx@sha256:${'0'.repeat(64)}`))).toBe('IfNotPresent');
  expect(defaultPullPolicy(ref(`nginx:latest@sha256:${'0'.repeat(64)}`))).toBe('Always');
});
