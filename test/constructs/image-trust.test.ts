import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { batchContainer, image, webContainer } from './helpers';
import {
  AttestationPolicy,
  AttestationPredicate,
  Hardening,
  HardenedDeployment,
  HardenedJob,
  ImageTrust,
  ImageTrustMode,
  ImageVerifier,
  LockedNamespace,
  TrustAuthority,
} from '../../src';
import { coveringGlob, trustGlobsOf } from '../../src/analysis/images/trust-globs';
import { checkObjects } from '../../src/engine/engine';
import { findRule } from '../../src/rules';
import { crdValidator } from '../util/crd-schema';

/** A P-256 public key generated for these tests (`openssl ecparam -genkey | openssl ec -pubout`); never used to sign. */
const PEM = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQFvcqge09+Nxv/c3D3UrR5YREIfO
/j8lLOUa1MnR0xYOl/P7N6Z6E2j2emt/dxGVLOyJM9D8V0c4G3PYy7XWXg==
-----END PUBLIC KEY-----`;
const ISSUER = 'https://token.actions.githubusercontent.com';
const SUBJECT = 'https://github.com/example/shop/.github/workflows/release.yml@refs/heads/main';

const validateCip = crdValidator('crds/sigstore-clusterimagepolicy.crd.yaml', 'v1beta1');
const validateIvp = crdValidator('crds/kyverno-imagevalidatingpolicies.crd.yaml', 'v1');

function schemaErrors(object: any): string[] {
  const validate = object.kind === 'ClusterImagePolicy' ? validateCip : validateIvp;
  return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

function app(): { app: App; chart: Chart } {
  const a = new App({ outdir: '/tmp/cdk8s-hardened-image-trust' });
  return { app: a, chart: new Chart(a, 'platform') };
}

function synth(a: App): any[] {
  return yaml.loadAll(a.synthYaml()) as any[];
}

/** An app with a LockedNamespace, a Deployment and a Job from registry.example.com, and the given ImageTrust. */
function shop(trust: (chart: Chart) => void): any[] {
  const { app: a, chart } = app();
  const ns = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop' });
  new HardenedDeployment(ns, 'web', { replicas: 2, containers: [webContainer()] });
  new HardenedJob(ns, 'migrate', { containers: [batchContainer()] });
  trust(chart);
  return synth(a);
}

describe('ImageTrust with sigstore policy-controller', () => {
  test('public key: one ClusterImagePolicy that validates against the CRD, namespace opted in, app clean', () => {
    const objects = shop((chart) => new ImageTrust(chart, 'signed', {
      name: 'signed-images',
      images: ['registry.example.com/team/**'],
      authorities: [TrustAuthority.publicKey({ pem: PEM })],
    }));
    const policies = objects.filter((o) => o.kind === 'ClusterImagePolicy');
    expect(policies).toHaveLength(1);
    expect(policies[0]).toMatchSnapshot();
    expect(policies[0].apiVersion).toBe('policy.sigstore.dev/v1beta1');
    expect(policies[0].metadata).toEqual({ name: 'signed-images' });
    expect(policies[0].spec).toEqual({
      images: [{ glob: 'registry.example.com/team/**' }],
      authorities: [{ name: 'key-1', key: { data: PEM } }],
      mode: 'enforce',
    });
    expect(schemaErrors(policies[0])).toEqual([]);
    const namespace = objects.find((o) => o.kind === 'Namespace');
    expect(namespace.metadata.labels['policy.sigstore.dev/include']).toBe('true');
    // The whole app passes the catalog, the three signature rules included.
    const result = checkObjects(objects.map((object) => ({ object })));
    expect(result.findings.map((f) => `${f.ruleId} ${f.kind}/${f.name}`)).toEqual([]);
    // Semantics: the glob covers both workload images, as policy-controller matches them.
    const globs = trustGlobsOf(objects);
    expect(coveringGlob(image('web'), globs)?.policy).toBe('ClusterImagePolicy/signed-images');
    expect(coveringGlob(image('task', 'b'), globs)?.policy).toBe('ClusterImagePolicy/signed-images');
  });

  test('keyless with a subject regexp, a Rekor URL, a KMS key and attestations', () => {
    const objects = shop((chart) => new ImageTrust(chart, 'signed', {
      name: 'release',
      images: ['registry.example.com/**'],
      authorities: [
        TrustAuthority.keyless({ name: 'release-workflow', issuer: ISSUER, subjectRegExp: '^https://github\\.com/example/.+@refs/tags/v.+$', rekorUrl: 'https://rekor.example.com' }),
        TrustAuthority.publicKey({ kms: 'awskms:///arn:aws:kms:eu-west-1:111122223333:key/release' }),
      ],
      attestations: [
        { name: 'sbom', predicateType: AttestationPredicate.CYCLONEDX, policy: AttestationPolicy.cue('predicateType: "https://cyclonedx.org/bom"') },
        { name: 'scan', predicateType: AttestationPredicate.VULN, policy: AttestationPolicy.rego('package sigstore\ndefault isCompliant = false\nisCompliant { input.predicate.scanner.result.summary.CRITICAL == 0 }') },
      ],
    }));
    const [policy] = objects.filter((o) => o.kind === 'ClusterImagePolicy');
    expect(policy).toMatchSnapshot();
    expect(schemaErrors(policy)).toEqual([]);
    const [keyless, kms] = policy.spec.authorities;
    // The Fulcio URL is written out (policy-controller requires url or ca-cert; only its defaulting webhook fills it).
    expect(keyless.keyless).toEqual({ url: 'https://fulcio.sigstore.dev', identities: [{ issuer: ISSUER, subjectRegExp: '^https://github\\.com/example/.+@refs/tags/v.+$' }] });
    expect(keyless.ctlog).toEqual({ url: 'https://rekor.example.com' });
    expect(kms.key).toEqual({ kms: 'awskms:///arn:aws:kms:eu-west-1:111122223333:key/release' });
    // Every authority must carry every attestation (policy-controller judges attestations per authority).
    for (const authority of policy.spec.authorities) {
      expect(authority.attestations.map((a: any) => [a.name, a.predicateType, a.policy.type])).toEqual([
        ['sbom', 'https://cyclonedx.org/bom', 'cue'],
        ['scan', 'https://cosign.sigstore.dev/attestation/vuln/v1', 'rego'],
      ]);
    }
  });

  test('a private Fulcio instance', () => {
    const { app: a, chart } = app();
    new ImageTrust(chart, 'trust', {
      images: ['registry.example.com/**'],
      authorities: [TrustAuthority.keyless({ issuer: 'https://dex.example.com', subject: 'ci@example.com', fulcioUrl: 'https://fulcio.example.com', rekorUrl: 'https://rekor.example.com' })],
    });
    const [policy] = synth(a);
    expect(policy.spec.authorities[0]).toEqual({
      name: 'keyless-1',
      keyless: { url: 'https://fulcio.example.com', identities: [{ issuer: 'https://dex.example.com', subject: 'ci@example.com' }] },
      ctlog: { url: 'https://rekor.example.com' },
    });
    expect(schemaErrors(policy)).toEqual([]);
  });

  test('authorities scoped to globs give one policy per set of authorities', () => {
    const { app: a, chart } = app();
    new ImageTrust(chart, 'trust', {
      name: 'team',
      images: ['registry.example.com/team/**', 'registry.example.com/base/**'],
      authorities: [
        TrustAuthority.publicKey({ name: 'team', pem: PEM, images: ['registry.example.com/team/**'] }),
        TrustAuthority.keyless({ name: 'base', issuer: ISSUER, subject: SUBJECT, images: ['registry.example.com/base/**'] }),
      ],
    });
    const policies = synth(a);
    expect(policies.map((p) => [p.metadata.name, p.spec.images, p.spec.authorities.map((x: any) => x.name)])).toEqual([
      ['team', [{ glob: 'registry.example.com/team/**' }], ['team']],
      ['team-2', [{ glob: 'registry.example.com/base/**' }], ['base']],
    ]);
    for (const p of policies) expect(schemaErrors(p)).toEqual([]);
  });

  test('default globs come from the enclosing Hardening.enforce image policy', () => {
    const { app: a, chart } = app();
    Hardening.enforce(a, { imagePolicy: { allowedRegistries: ['registry.example.com', 'docker.io'], allowedRepositories: ['ghcr.io/example/*', 'quay.io/example/tool'] } });
    const trust = new ImageTrust(chart, 'trust', { authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    expect(trust.images).toEqual(['registry.example.com/**', 'index.docker.io/**', 'ghcr.io/example/*', 'quay.io/example/tool*']);
    const kyverno = new ImageTrust(chart, 'kyverno', {
      verifier: ImageVerifier.KYVERNO,
      imagePolicy: { allowedRegistries: ['docker.io'], allowedRepositories: ['quay.io/example/tool'] },
      authorities: [TrustAuthority.publicKey({ pem: PEM })],
    });
    expect(kyverno.images).toEqual(['docker.io/*', 'index.docker.io/*', 'quay.io/example/tool*']);
  });
});

describe('ImageTrust with Kyverno', () => {
  test('keyless: one ImageValidatingPolicy that validates against the CRD, selecting opted-in namespaces', () => {
    const objects = shop((chart) => new ImageTrust(chart, 'signed', {
      verifier: ImageVerifier.KYVERNO,
      name: 'signed-images',
      images: ['registry.example.com/team/*'],
      authorities: [TrustAuthority.keyless({ name: 'release', issuer: ISSUER, subject: SUBJECT })],
      attestations: [{ name: 'sbom', predicateType: AttestationPredicate.SPDX, policy: AttestationPolicy.cel("extractPayload(image, attestations.sbom).spdxVersion.startsWith('SPDX-')") }],
    }));
    const [policy] = objects.filter((o) => o.kind === 'ImageValidatingPolicy');
    expect(policy).toMatchSnapshot();
    expect(policy.apiVersion).toBe('policies.kyverno.io/v1');
    expect(schemaErrors(policy)).toEqual([]);
    expect(policy.spec.validationActions).toEqual(['Deny']);
    expect(policy.spec.matchConstraints.namespaceSelector).toEqual({ matchLabels: { 'hardened.cdk8s.io/verify-images': 'true' } });
    expect(policy.spec.attestors).toEqual([{ name: 'release', cosign: { keyless: { identities: [{ issuer: ISSUER, subject: SUBJECT }] } } }]);
    expect(policy.spec.attestations).toEqual([{ name: 'sbom', intoto: { type: 'https://spdx.dev/Document' } }]);
    // Every image category (containers, init and ephemeral containers) is verified, not only containers.
    expect(policy.spec.validations.map((v: any) => v.expression)).toEqual([
      'images.all(category, images[category].all(image, verifyImageSignatures(image, [attestors["release"]]) > 0))',
      'images.all(category, images[category].all(image, verifyAttestationSignatures(image, attestations["sbom"], [attestors["release"]]) > 0))',
      "images.all(category, images[category].all(image, extractPayload(image, attestations.sbom).spdxVersion.startsWith('SPDX-')))",
    ]);
    const namespace = objects.find((o) => o.kind === 'Namespace');
    expect(namespace.metadata.labels['hardened.cdk8s.io/verify-images']).toBe('true');
    expect(namespace.metadata.labels['policy.sigstore.dev/include']).toBeUndefined();
    expect(checkObjects(objects.map((object) => ({ object }))).findings.map((f) => f.ruleId)).toEqual([]);
  });

  test('public key with a Rekor URL', () => {
    const { app: a, chart } = app();
    new ImageTrust(chart, 'trust', {
      verifier: ImageVerifier.KYVERNO,
      name: 'keyed',
      images: ['registry.example.com/*'],
      authorities: [TrustAuthority.publicKey({ pem: PEM, rekorUrl: 'https://rekor.example.com' }), TrustAuthority.publicKey({ kms: 'gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k' })],
    });
    const [policy] = synth(a);
    expect(policy).toMatchSnapshot();
    expect(schemaErrors(policy)).toEqual([]);
    expect(policy.spec.attestors.map((x: any) => x.cosign)).toEqual([
      { key: { data: PEM }, ctlog: { url: 'https://rekor.example.com' } },
      { key: { kms: 'gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k' } },
    ]);
    // Any one authority suffices, as with policy-controller.
    expect(policy.spec.validations[0].expression).toContain('[attestors["key-1"], attestors["key-2"]]) > 0');
  });

  test('WARN mode with a waiver warns instead of denying and records the waiver on the policy', () => {
    const { app: a, chart } = app();
    new ImageTrust(chart, 'trust', {
      verifier: ImageVerifier.KYVERNO,
      name: 'trial',
      images: ['registry.example.com/*'],
      authorities: [TrustAuthority.publicKey({ pem: PEM })],
      mode: ImageTrustMode.WARN,
      waivers: [{ ruleId: 'image-signature-enforced', reason: 'roll-out: warn until 2027-01-31' }],
    });
    const [policy] = synth(a);
    expect(policy.spec.validationActions).toEqual(['Warn']);
    expect(policy.metadata.labels).toEqual({ 'waive.hardened.cdk8s.io/image-signature-enforced': 'true' });
    expect(schemaErrors(policy)).toEqual([]);
    const result = checkObjects([{ object: policy }], { catalog: [findRule('image-signature-enforced')!] });
    expect([result.findings.length, result.waived.length]).toEqual([0, 1]);
  });
});

describe('ImageTrust: loud errors name the construct and the fix', () => {
  const make = (props: any, setup?: (chart: Chart) => void) => () => {
    const { chart } = app();
    setup?.(chart);
    new ImageTrust(chart, 'trust', { images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })], ...props });
  };

  test.each([
    ['an empty authority list', { authorities: [] }, /platform\/trust: authorities is empty.*Fix: add TrustAuthority/],
    ['a keyless authority without a subject', { authorities: [TrustAuthority.keyless({ issuer: ISSUER })] }, /platform\/trust: authorities\[0\]: a keyless authority without subject or subjectRegExp .*any signer would do/],
    ['an unanchored subject regexp', { authorities: [TrustAuthority.keyless({ issuer: ISSUER, subjectRegExp: 'example' })] }, /must be anchored/],
    ['a glob no authority vouches for', {
      images: ['registry.example.com/**', 'quay.io/**'],
      authorities: [TrustAuthority.publicKey({ pem: PEM, images: ['registry.example.com/**'] })],
    }, /platform\/trust: image glob "quay.io\/\*\*" has no authority that vouches for it.*Fix: add "quay.io\/\*\*" to an authority's images/],
    ['WARN mode without a waiver', { mode: ImageTrustMode.WARN }, /platform\/trust: mode WARN .* violates image-signature-enforced\. Use ImageTrustMode.ENFORCE, or add waivers: \[\{ ruleId: 'image-signature-enforced'/],
    ['a key with both pem and kms', { authorities: [TrustAuthority.publicKey({ pem: PEM, kms: 'awskms:///x' })] }, /exactly one of pem or kms/],
    ['a pem that is not a public key', { authorities: [TrustAuthority.publicKey({ pem: 'ssh-ed25519 AAAA' })] }, /pem must be a PEM public key/],
    ['a PEM block that does not parse', { authorities: [TrustAuthority.publicKey({ pem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' })] }, /pem must be a PEM public key .* that parses/],
    ['an AWS KMS reference that is not a key or alias ARN', { authorities: [TrustAuthority.publicKey({ kms: 'awskms:///release-key' })] }, /must name a key or alias ARN/],
    ['a Fulcio URL for Kyverno', {
      verifier: ImageVerifier.KYVERNO,
      images: ['registry.example.com/*'],
      authorities: [TrustAuthority.keyless({ issuer: ISSUER, subject: SUBJECT, fulcioUrl: 'https://fulcio.example.com' })],
    }, /Kyverno takes no Fulcio URL/],
    ['an invalid sigstore glob', { images: ['registry.example.com/[a-z]*'] }, /images\[0\]: sigstore glob .* may only hold/],
    ['no globs and no image policy', { images: undefined }, /platform\/trust: no image globs: pass images/],
    ['an image policy pattern sigstore cannot express', { images: undefined, imagePolicy: { allowedRepositories: ['ghcr.io/org/[ab]pp'] } },
      /platform\/trust: the glob derived from the image policy \(ghcr.io\/org\/\[ab\]pp\*\): sigstore glob .* Fix: pass images/],
    ['a CEL attestation policy for sigstore', {
      attestations: [{ name: 'sbom', predicateType: AttestationPredicate.CYCLONEDX, policy: AttestationPolicy.cel('true') }],
    }, /attestations\[0\]: sigstore judges attestations with cue or rego, not cel/],
    ['an unknown verifier', { verifier: undefined }, /verifier undefined is not one of sigstore, kyverno/],
  ])('%s', (_label, props, error) => {
    expect(make(props)).toThrow(error);
  });

  test('a workload image that no glob covers fails synth naming the workload, the image and the fix', () => {
    const { app: a, chart } = app();
    const ns = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop' });
    new HardenedDeployment(ns, 'web', { replicas: 2, containers: [{ ...webContainer(), image: `quay.io/other/web@sha256:${'c'.repeat(64)}` }] });
    new ImageTrust(chart, 'trust', { images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    expect(() => a.synthYaml()).toThrow(
      /platform\/trust: Deployment\/shop\/[a-z0-9-]+ spec\.template\.spec\.containers\[0\]\.image: image "quay\.io\/other\/web@sha256:c+" of container "web" matches no image glob .*\(rule image-signature-covered\)\. Fix: Add a glob/,
    );
  });

  test('a workload outside every glob passes with a waiver for image-signature-covered, reported as waived', () => {
    const { app: a, chart } = app();
    const ns = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop' });
    new HardenedDeployment(ns, 'vendor', {
      replicas: 2,
      containers: [{ ...webContainer(), image: `quay.io/vendor/app@sha256:${'c'.repeat(64)}` }],
      waivers: [{ ruleId: 'image-signature-covered', reason: 'vendor ships unsigned images until 2027-03' }],
    });
    new ImageTrust(chart, 'trust', { images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    const objects = synth(a);
    const result = checkObjects(objects.map((object) => ({ object })));
    expect(result.findings.map((f) => f.ruleId)).toEqual([]);
    expect(result.waived.map((f) => f.ruleId)).toEqual(['image-signature-covered']);
  });

  test('two ImageTrusts cover the app together and report an uncovered image once', () => {
    const { app: a, chart } = app();
    new ApiObject(chart, 'pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop' },
      spec: {
        containers: [
          { name: 'a', image: `registry.example.com/a@sha256:${'e'.repeat(64)}` },
          { name: 'b', image: `quay.io/org/b@sha256:${'e'.repeat(64)}` },
          { name: 'c', image: `gcr.io/org/c@sha256:${'e'.repeat(64)}` },
        ],
      },
    });
    new ImageTrust(chart, 'one', { images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    new ImageTrust(chart, 'two', { verifier: ImageVerifier.KYVERNO, images: ['quay.io/org/*'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    let message = '';
    try {
      a.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/matches no image glob/g)).toHaveLength(1);
    expect(message).toMatch(/image "gcr\.io\/org\/c@sha256:e+" of container "c" matches no image glob of the signature policies \(ClusterImagePolicy\/[a-z0-9-]+, ImageValidatingPolicy\/[a-z0-9-]+\)/);
  });

  test('a plain ApiObject pod outside every glob fails synth too', () => {
    const { app: a, chart } = app();
    new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } });
    new ImageTrust(chart, 'trust', { images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    expect(() => a.synthYaml()).toThrow(/Pod\/shop\/debug .*image "busybox" of container "sh" matches no image glob/);
  });
});

describe('LockedNamespace and ImageTrust', () => {
  test('no ImageTrust: no verification label', () => {
    const { app: a, chart } = app();
    new LockedNamespace(chart, 'ns', { name: 'shop', owner: 'team-shop' });
    const namespace = synth(a).find((o) => o.kind === 'Namespace');
    expect(Object.keys(namespace.metadata.labels).filter((k) => k.includes('verify') || k.includes('sigstore'))).toEqual([]);
  });

  test('an ImageTrust created after the namespace still opts it in; both verifiers give both labels', () => {
    const { app: a, chart } = app();
    new LockedNamespace(chart, 'ns', { name: 'shop', owner: 'team-shop' });
    new ImageTrust(chart, 'sig', { images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    new ImageTrust(chart, 'kyv', { verifier: ImageVerifier.KYVERNO, images: ['registry.example.com/*'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    const namespace = synth(a).find((o) => o.kind === 'Namespace');
    expect(namespace.metadata.labels).toMatchObject({ 'policy.sigstore.dev/include': 'true', 'hardened.cdk8s.io/verify-images': 'true' });
  });

  test('opting out needs a waiver, which the rule then honours', () => {
    expect(() => new LockedNamespace(app().chart, 'ns', { name: 'shop', owner: 'team-shop', verifyImages: false })).toThrow(
      /platform\/ns: verifyImages false .* violates ns-signature-verification\. Keep verifyImages true, or add waivers/,
    );
    const { app: a, chart } = app();
    new LockedNamespace(chart, 'ns2', { name: 'legacy', owner: 'team-shop', verifyImages: false, waivers: [{ ruleId: 'ns-signature-verification', reason: 'vendor images, unsigned until Q2' }] });
    new ImageTrust(chart, 'sig', { images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    const objects = synth(a);
    const namespace = objects.find((o) => o.kind === 'Namespace');
    expect(namespace.metadata.labels['policy.sigstore.dev/include']).toBeUndefined();
    const result = checkObjects(objects.map((object) => ({ object })), { catalog: [findRule('ns-signature-verification')!] });
    expect([result.findings.length, result.waived.map((f) => f.name)]).toEqual([0, ['legacy']]);
  });

  test('a conflicting user label is an error, not overwritten', () => {
    const { app: a, chart } = app();
    new LockedNamespace(chart, 'ns', { name: 'shop', owner: 'team-shop', labels: { 'policy.sigstore.dev/include': 'false' } });
    new ImageTrust(chart, 'sig', { images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    expect(() => synth(a)).toThrow(/platform\/ns: label "policy.sigstore.dev\/include: false" conflicts with the app's ImageTrust/);
  });
});

describe('every generated policy validates against its CRD', () => {
  const keyless = TrustAuthority.keyless({ issuer: ISSUER, subject: SUBJECT, rekorUrl: 'https://rekor.example.com' });
  const keylessRe = TrustAuthority.keyless({ name: 'ci', issuer: ISSUER, subjectRegExp: '^https://github\\.com/example/.+$' });
  const pem = TrustAuthority.publicKey({ pem: PEM });
  const kms = TrustAuthority.publicKey({ name: 'kms', kms: 'hashivault://release' });
  const cases: Array<[string, ImageVerifier, TrustAuthority[], boolean, ImageTrustMode]> = [];
  for (const verifier of [ImageVerifier.SIGSTORE, ImageVerifier.KYVERNO]) {
    for (const [label, authorities] of [['keyless', [keyless]], ['keyless regexp + kms', [keylessRe, kms]], ['pem', [pem]]] as const) {
      for (const attest of [false, true]) {
        for (const mode of [ImageTrustMode.ENFORCE, ImageTrustMode.WARN]) cases.push([`${verifier} ${label}${attest ? ' + attestations' : ''} ${mode}`, verifier, [...authorities], attest, mode]);
      }
    }
  }

  test.each(cases)('%s', (_label, verifier, authorities, attest, mode) => {
    const { app: a, chart } = app();
    const policy = verifier === ImageVerifier.SIGSTORE ? AttestationPolicy.cue('predicate: {}') : AttestationPolicy.cel('true');
    new ImageTrust(chart, 'trust', {
      verifier,
      images: ['registry.example.com/**', 'ghcr.io/example/*'],
      authorities,
      mode,
      waivers: mode === ImageTrustMode.WARN ? [{ ruleId: 'image-signature-enforced', reason: 'staged roll-out until 2027-01-31' }] : undefined,
      attestations: attest ? [
        { name: 'sbom', predicateType: AttestationPredicate.CYCLONEDX, policy },
        { name: 'vulns', predicateType: AttestationPredicate.of('https://cosign.sigstore.dev/attestation/vuln/v1'), policy },
      ] : undefined,
    });
    const objects = synth(a);
    expect(objects).toHaveLength(1);
    expect(schemaErrors(objects[0])).toEqual([]);
    // The schema check can fail: a policy without its required fields is rejected.
    expect(schemaErrors({ ...objects[0], spec: { images: 'x', authorities: {}, validations: 'x', attestors: 'x' } })).not.toEqual([]);
  });
});

describe('ImageTrust inside a namespaced chart', () => {
  test('the cluster-scoped policy carries no namespace', () => {
    const { chart } = app();
    const ns = new LockedNamespace(chart, 'ns', { name: 'shop', owner: 'team-shop' });
    new ImageTrust(ns, 'sig', { name: 'in-ns', images: ['registry.example.com/**'], authorities: [TrustAuthority.publicKey({ pem: PEM })] });
    const policy = Testing.synth(ns).find((o) => o.kind === 'ClusterImagePolicy');
    expect(policy.metadata.namespace).toBeUndefined();
    expect(schemaErrors(policy)).toEqual([]);
  });
});
