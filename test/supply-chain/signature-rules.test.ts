/** The signature-verification rules: coverage of images, namespace opt-in and enforce mode, with negative controls. */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import type { K8sObject } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { findRule } from '../../src/rules';
import { RULE_FIXTURES } from '../rules/rule-tests';
import { crdValidator } from '../util/crd-schema';

const DIGEST = `sha256:${'d'.repeat(64)}`;

const cip = (name: string, globs: string[], extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): K8sObject => ({
  apiVersion: 'policy.sigstore.dev/v1beta1',
  kind: 'ClusterImagePolicy',
  metadata: { name, ...metadata },
  spec: { images: globs.map((glob) => ({ glob })), authorities: [{ keyless: { url: 'https://fulcio.sigstore.dev' } }], ...extra },
});
const ivp = (name: string, spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ImageValidatingPolicy',
  metadata: { name },
  spec: { validationActions: ['Deny'], attestors: [], validations: [], ...spec },
});
const namespace = (name: string, labels: Record<string, string> = {}): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const deployment = (name: string, ns: string, images: { containers: string[]; init?: string[]; volume?: string }): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    template: {
      spec: {
        containers: images.containers.map((image, i) => ({ name: `c${i}`, image })),
        ...(images.init ? { initContainers: images.init.map((image, i) => ({ name: `i${i}`, image })) } : {}),
        ...(images.volume ? { volumes: [{ name: 'tools', image: { reference: images.volume } }] } : {}),
      },
    },
  },
});

function findings(ruleId: string, objects: K8sObject[], completeSet = true) {
  const rule = findRule(ruleId)!;
  const result = checkObjects(objects.map((object) => ({ object })), { catalog: [rule], settings: { completeSet } });
  return result.findings.map((f) => `${f.kind}/${f.name} ${f.path}: ${f.message}`);
}

describe('image-signature-covered', () => {
  test('reports each container, init container and image volume image outside every glob', () => {
    const objects = [
      cip('signed', ['registry.example.com/team/*']),
      deployment('web', 'shop', {
        containers: [`registry.example.com/team/web@${DIGEST}`, `quay.io/other/sidecar@${DIGEST}`],
        init: [`registry.example.com/team/sub/init@${DIGEST}`],
        volume: `ghcr.io/tools/bundle@${DIGEST}`,
      }),
    ];
    expect(findings('image-signature-covered', objects)).toEqual([
      `Deployment/web spec.template.spec.containers[1].image: image "quay.io/other/sidecar@${DIGEST}" of container "c1" matches no image glob of the signature policies (ClusterImagePolicy/signed), so it is admitted without signature verification`,
      // sigstore "*" stops at "/": team/sub/init is outside team/*.
      expect.stringContaining('spec.template.spec.initContainers[0].image: image "registry.example.com/team/sub/init'),
      expect.stringContaining('spec.template.spec.volumes[0].image.reference: image "ghcr.io/tools/bundle'),
    ]);
  });

  test('negative controls: covered images, and no signature policy in the set', () => {
    const images = { containers: [`registry.example.com/team/web@${DIGEST}`], init: [`registry.example.com/team/sub/init@${DIGEST}`] };
    expect(findings('image-signature-covered', [cip('signed', ['registry.example.com/team/**']), deployment('web', 'shop', images)])).toEqual([]);
    // Kyverno's "*" crosses "/", so the same glob with one star covers the nested repository.
    expect(findings('image-signature-covered', [ivp('signed', { matchImageReferences: [{ glob: 'registry.example.com/team/*' }] }), deployment('web', 'shop', images)])).toEqual([]);
    // Without matchImageReferences a Kyverno policy checks every image.
    expect(findings('image-signature-covered', [ivp('all', {}), deployment('web', 'shop', { containers: ['quay.io/x/y:1'] })])).toEqual([]);
    expect(findings('image-signature-covered', [deployment('web', 'shop', { containers: ['quay.io/x/y:1'] })])).toEqual([]);
  });

  test('Docker Hub images are matched by their normalised name (sigstore) or as written (Kyverno)', () => {
    const pod = deployment('web', 'shop', { containers: ['nginx:1.27'] });
    expect(findings('image-signature-covered', [cip('hub', ['index.docker.io/library/*']), pod])).toEqual([]);
    expect(findings('image-signature-covered', [ivp('hub', { matchImageReferences: [{ glob: 'docker.io/library/*' }] }), pod])).toHaveLength(1);
  });

  test('a Kyverno CEL matcher cannot be judged offline and covers nothing (loud)', () => {
    const objects = [ivp('cel', { matchImageReferences: [{ expression: "image.startsWith('quay.io/')" }] }), deployment('web', 'shop', { containers: ['quay.io/x/y:1'] })];
    expect(findings('image-signature-covered', objects)).toHaveLength(1);
  });
});

describe('ns-signature-verification', () => {
  test('sigstore: a declared namespace without the include label, and an undeclared one, are reported', () => {
    const objects = [
      cip('signed', ['registry.example.com/**']),
      namespace('shop', { 'policy.sigstore.dev/include': 'true' }),
      namespace('legacy'),
      deployment('web', 'batch', { containers: [`registry.example.com/a@${DIGEST}`] }),
    ];
    expect(findings('ns-signature-verification', objects)).toEqual([
      'Deployment/web metadata.namespace: namespace "batch" is not declared in the scanned input, so its opt-in to signature verification cannot be checked',
      'Namespace/legacy metadata.labels["policy.sigstore.dev/include"]: namespace "legacy" is not labelled policy.sigstore.dev/include: "true", so policy-controller does not verify its images',
    ]);
  });

  test('Kyverno: the namespace must be selected by the policy namespaceSelector', () => {
    const selecting = ivp('signed', { matchConstraints: { namespaceSelector: { matchLabels: { 'hardened.cdk8s.io/verify-images': 'true' } } } });
    expect(findings('ns-signature-verification', [selecting, namespace('shop', { 'hardened.cdk8s.io/verify-images': 'true' }), namespace('legacy')])).toEqual([
      expect.stringMatching(/^Namespace\/legacy metadata.labels: namespace "legacy" is not selected by the namespaceSelector of ImageValidatingPolicy\/signed/),
    ]);
    // By name, through the label the API server sets on every namespace.
    const byName = ivp('by-name', { matchConstraints: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] } } });
    expect(findings('ns-signature-verification', [byName, namespace('shop')])).toEqual([]);
    // No namespaceSelector: every namespace.
    expect(findings('ns-signature-verification', [ivp('all', {}), namespace('shop')])).toEqual([]);
  });

  test('negative controls: no signature policy, or a partial set', () => {
    expect(findings('ns-signature-verification', [namespace('legacy')])).toEqual([]);
    expect(findings('ns-signature-verification', [cip('signed', ['**']), namespace('legacy')], false)).toEqual([]);
  });
});

describe('image-signature-enforced', () => {
  test('warn-mode policies of both verifiers are reported', () => {
    expect(findings('image-signature-enforced', [cip('trial', ['**'], { mode: 'warn' }), ivp('audit', { validationActions: ['Audit', 'Warn'] }), ivp('none', { validationActions: undefined })])).toEqual([
      'ClusterImagePolicy/trial spec.mode: ClusterImagePolicy mode is "warn": images that fail verification are admitted with a warning',
      'ImageValidatingPolicy/audit spec.validationActions: ImageValidatingPolicy validationActions are ["Audit","Warn"], without Deny: images that fail verification are admitted',
      'ImageValidatingPolicy/none spec.validationActions: ImageValidatingPolicy validationActions are [], without Deny: images that fail verification are admitted',
    ]);
  });

  test('negative controls: enforce (written or default), Deny, another group, and a waiver', () => {
    expect(findings('image-signature-enforced', [cip('a', ['**']), cip('b', ['**'], { mode: 'enforce' }), ivp('c', { validationActions: ['Deny', 'Audit'] })])).toEqual([]);
    expect(findings('image-signature-enforced', [{ ...cip('other', ['**'], { mode: 'warn' }), apiVersion: 'example.com/v1' }])).toEqual([]);
    const waived = cip('trial', ['**'], { mode: 'warn' }, {
      annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: 'image-signature-enforced', reason: 'roll-out until 2027-01-31' }]) },
      labels: { 'waive.hardened.cdk8s.io/image-signature-enforced': 'true' },
    });
    const result = checkObjects([{ object: waived }], { catalog: [findRule('image-signature-enforced')!] });
    expect([result.findings.length, result.waived.length, result.problems]).toEqual([0, 1, []]);
  });
});

describe('the rule fixtures hold policies the verifiers accept', () => {
  const validators = {
    ClusterImagePolicy: crdValidator('crds/sigstore-clusterimagepolicy.crd.yaml', 'v1beta1'),
    ImageValidatingPolicy: crdValidator('crds/kyverno-imagevalidatingpolicies.crd.yaml', 'v1'),
  };
  test.each(['image-signature-covered', 'image-signature-enforced', 'ns-signature-verification'])('%s', (id) => {
    let policies = 0;
    for (const file of ['fail.yaml', 'pass.yaml']) {
      const documents = yaml.loadAll(fs.readFileSync(path.join(RULE_FIXTURES, id, file), 'utf8')) as K8sObject[];
      for (const object of documents.filter((o) => o.kind === 'ClusterImagePolicy' || o.kind === 'ImageValidatingPolicy')) {
        const validate = validators[object.kind as keyof typeof validators];
        policies++;
        expect([file, object.kind, validate(object) ? [] : validate.errors]).toEqual([file, object.kind, []]);
      }
    }
    expect(policies).toBeGreaterThan(1);
  });
});
