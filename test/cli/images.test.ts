import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as fc from 'fast-check';
import { cli, tempDir, write } from './helpers';
import { imageInventory } from '../../src/analysis/images/image-inventory';
import { imagePurl, renderInventory } from '../../src/report/inventory';
import { familiarReference } from '../supply-chain/arbitraries';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'inventory');
const WORKLOADS = path.join(FIXTURES, 'workloads.yaml');
const CONFIG = path.join(FIXTURES, 'hardened.yaml');
const SCHEMAS = path.join(__dirname, '..', 'fixtures', 'cyclonedx');

function cycloneDxValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // ajv-formats lacks these two; the schema uses them only for URLs and contact e-mails, which the output has none of.
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  const load = (name: string) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, name), 'utf8'));
  // The BOM schema refers to these two by their file names.
  ajv.addSchema(load('spdx.schema.json'), 'spdx.schema.json');
  ajv.addSchema(load('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
  return ajv.compile(load('bom-1.6.schema.json'));
}

const WEB = 'registry.example.com/shop/web:1.4.2@sha256:2222222222222222222222222222222222222222222222222222222222222222';

describe('images: the inventory of a multi-workload set', () => {
  const dir = tempDir();

  test('lists containers, init and ephemeral containers, image volumes, CronJobs and foreign pod-template kinds', async () => {
    const run = await cli(['images', WORKLOADS, '--format', 'json', '--config', CONFIG]);
    const { images } = JSON.parse(run.stdout);
    const uses = images.flatMap((i: any) => i.uses.map((u: any) => `${u.kind}/${u.name} ${u.usedAs} ${u.usedBy} ${i.image}`));
    expect(uses.sort()).toEqual(
      [
        'CronJob/nightly container report ' + WEB,
        'CronJob/nightly container upload docker.io/amazon/aws-cli:2.17.0',
        'Deployment/web container app ' + WEB,
        'Deployment/web imageVolume models registry.example.com/shop/models@sha256:3333333333333333333333333333333333333333333333333333333333333333',
        'Deployment/web initContainer migrate registry.example.com/shop/migrate@sha256:1111111111111111111111111111111111111111111111111111111111111111',
        'Pod/debug container main docker.io/library/nginx',
        'Pod/debug ephemeralContainer shell docker.io/library/busybox:latest',
        'Rollout/canary container app registry.example.com/shop/web@sha256:4444444444444444444444444444444444444444444444444444444444444444',
      ].sort(),
    );
  });

  test('one entry per image, with registry, repository, tag, digest, pull secrets and the policy verdict', async () => {
    const run = await cli(['images', WORKLOADS, '--format', 'json', '--config', CONFIG]);
    const { images } = JSON.parse(run.stdout);
    expect(images.map((i: any) => i.image)).toEqual([...images.map((i: any) => i.image)].sort());
    const web = images.find((i: any) => i.image === WEB);
    expect(web).toMatchObject({
      registry: 'registry.example.com',
      repository: 'shop/web',
      tag: '1.4.2',
      digest: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
      pinned: true,
      allowed: true,
      policyViolations: [],
      // The Deployment's own secret, and the CronJob's ServiceAccount's.
      pullSecrets: ['registry-pull', 'sa-pull'],
    });
    expect(web.uses.map((u: any) => u.path)).toEqual(['spec.jobTemplate.spec.template.spec.containers[0].image', 'spec.template.spec.containers[0].image']);
    expect(web.uses[0]).toMatchObject({ namespace: 'shop', source: WORKLOADS, line: 35 });
    const cli2 = images.find((i: any) => i.repository === 'amazon/aws-cli');
    expect(cli2).toMatchObject({ pinned: false, allowed: false });
    expect(cli2.policyViolations).toEqual([
      'docker.io/amazon/aws-cli is outside imagePolicy.allowedRegistries and allowedRepositories',
      'not pinned by digest (imagePolicy.requireDigest)',
    ]);
    const nginx = images.find((i: any) => i.repository === 'library/nginx');
    expect(nginx.policyViolations).toContain('no tag, so the runtime pulls "latest", which is never accepted');
  });

  test('exit 1 when an image violates the policy, 0 when every image is allowed', async () => {
    expect((await cli(['images', WORKLOADS, '--config', CONFIG])).code).toBe(1);
    const pinnedOnly = write(
      dir,
      'pinned.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: a }\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/a/b@sha256:${'5'.repeat(64)}\n`,
    );
    const run = await cli(['images', pinnedOnly, '--config', CONFIG]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('image policy: allowed');
    expect(run.stdout).toContain('1 image, 1 pinned by digest, 0 refused by the image policy');
  });

  test('a tag accepted by requireDigest: false is allowed; a registry outside the list is not', async () => {
    const config = write(dir, 'tags.yaml', 'imagePolicy:\n  requireDigest: false\n  allowedRegistries: [docker.io]\n');
    const manifest = write(dir, 'tagged.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n    - name: d\n      image: quay.io/x/y:2\n');
    const run = await cli(['images', manifest, '--config', config, '--format', 'json']);
    const { images } = JSON.parse(run.stdout);
    expect(images.map((i: any) => [i.image, i.allowed])).toEqual([
      ['docker.io/library/nginx:1.27', true],
      ['quay.io/x/y:2', false],
    ]);
    expect(run.code).toBe(1);
  });

  test('bad input exits 2: an unparseable image, a missing image, invalid YAML, a missing file', async () => {
    const bad = write(dir, 'bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: c\n      image: "Registry.Example.com/UPPER/case"\n    - name: d\n');
    const run = await cli(['images', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Pod/p: invalid image reference "Registry.Example.com/UPPER/case"');
    expect(run.stderr).toContain('Pod/p: container "d" has no image (at spec.containers[1].image); the inventory cannot list it');
    const shapes = write(dir, 'shapes.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: { name: s }\nspec:\n  containers:\n    - registry.example.com/a/b:1\n---\napiVersion: v1\nmetadata: { name: nokind }\n');
    const shaped = await cli(['images', shapes]);
    expect(shaped.code).toBe(2);
    expect(shaped.stderr).toContain('spec.containers[0]');
    expect(shaped.stderr).toContain(`${shapes}:8: not a Kubernetes object with a kind; the inventory cannot tell which images it runs`);
    const yamlError = write(dir, 'broken.yaml', 'kind: Pod\n  bad: [\n');
    expect((await cli(['images', yamlError])).code).toBe(2);
    const missing = await cli(['images', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect((await cli(['images', WORKLOADS, '--format', 'spdx'])).code).toBe(2);
  });

  test('signature-verification globs: coverage per use, an uncovered use violates the policy', async () => {
    const policies = `apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata: { name: signed }
spec:
  images:
    - glob: registry.example.com/shop/**
  authorities:
    - key: { kms: "awskms:///alias/signing" }
---
apiVersion: policies.kyverno.io/v1
kind: ImageValidatingPolicy
metadata: { name: tools }
spec:
  validationActions: [Audit]
  matchImageReferences:
    - glob: "amazon/*"
`;
    const file = write(dir, 'trusted.yaml', `${policies}---\n${fs.readFileSync(WORKLOADS, 'utf8')}`);
    const run = await cli(['images', file, '--config', CONFIG, '--format', 'json']);
    const { images } = JSON.parse(run.stdout);
    const web = images.find((i: any) => i.image === WEB);
    expect(web.trustCovered).toBe(true);
    expect(web.uses.map((u: any) => [u.trustPolicy, u.trustGlob])).toEqual([
      ['ClusterImagePolicy/signed', 'registry.example.com/shop/**'],
      ['ClusterImagePolicy/signed', 'registry.example.com/shop/**'],
    ]);
    // Kyverno matches the image as written ("docker.io/amazon/aws-cli:2.17.0" is not "amazon/*"): not covered.
    const awsCli = images.find((i: any) => i.repository === 'amazon/aws-cli');
    expect(awsCli.trustCovered).toBe(false);
    expect(awsCli.policyViolations).toContain(
      '1 of 1 uses outside every signature-verification glob (ClusterImagePolicy/signed "registry.example.com/shop/**", ImageValidatingPolicy/tools "amazon/*")',
    );
    const text = await cli(['images', file, '--config', CONFIG]);
    expect(text.stdout).toContain('signature verification: NOT every use covered');
    expect(text.stdout).toContain('verified by ClusterImagePolicy/signed glob "registry.example.com/shop/**"');
    // Without a verification policy in the set the column does not apply.
    const plain = JSON.parse((await cli(['images', WORKLOADS, '--format', 'json'])).stdout);
    expect(plain.images.every((i: any) => i.trustCovered === undefined)).toBe(true);
  });

  test('reads stdin and writes --output', async () => {
    const out = path.join(dir, 'bom.json');
    const run = await cli(['images', '-', '--format', 'cyclonedx', '--output', out], { stdin: fs.readFileSync(WORKLOADS, 'utf8') });
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`wrote ${out}: 7 images from 5 objects, 3 refused by the image policy`);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).components).toHaveLength(7);
  });
});

describe('images --format cyclonedx', () => {
  test('is valid against the CycloneDX 1.6 JSON schema', async () => {
    const run = await cli(['images', WORKLOADS, '--format', 'cyclonedx', '--config', CONFIG]);
    const bom = JSON.parse(run.stdout);
    const validate = cycloneDxValidator();
    const valid = validate(bom);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // The validator is not vacuous: a component without a type is refused.
    const broken = { ...bom, components: [{ ...bom.components[0], type: undefined }] };
    expect(validate(JSON.parse(JSON.stringify(broken)))).toBe(false);
  });

  test('one container component per image, with an oci purl carrying the digest and a stable bom-ref', async () => {
    const run = await cli(['images', WORKLOADS, '--format', 'cyclonedx', '--config', CONFIG]);
    const bom = JSON.parse(run.stdout);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(bom.serialNumber).toBeUndefined();
    expect(bom.metadata.timestamp).toBeUndefined();
    expect(bom.components.every((c: any) => c.type === 'container')).toBe(true);
    const web = bom.components.find((c: any) => c['bom-ref'] === WEB);
    expect(web).toMatchObject({
      name: 'registry.example.com/shop/web',
      version: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
      hashes: [{ alg: 'SHA-256', content: '2'.repeat(64) }],
      purl: `pkg:oci/web@sha256%3A${'2'.repeat(64)}?repository_url=registry.example.com/shop/web&tag=1.4.2`,
    });
    expect(web.properties).toContainEqual({ name: 'cdk8s-hardened:used-by', value: 'CronJob/shop/nightly container "report" (spec.jobTemplate.spec.template.spec.containers[0].image)' });
    expect(new Set(bom.components.map((c: any) => c['bom-ref'])).size).toBe(bom.components.length);
  });

  test('any valid references: schema-valid, one component per distinct image, unique bom-refs, same bytes, sorted', () => {
    const validate = cycloneDxValidator();
    fc.assert(
      fc.property(fc.array(familiarReference, { minLength: 1, maxLength: 6 }), (images) => {
        const pod = (order: string[]) => [{ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: order.map((image, i) => ({ name: `c${i}`, image })) } } }];
        const inventory = imageInventory(pod(images));
        expect(inventory.problems).toEqual([]);
        const text = renderInventory('cyclonedx', inventory.images, '1.0.0');
        const bom = JSON.parse(text);
        expect(validate(bom)).toBe(true);
        const refs = bom.components.map((c: any) => c['bom-ref']);
        expect(new Set(refs).size).toBe(refs.length);
        expect(refs).toHaveLength(new Set(inventory.images.map((i) => i.image)).size);
        expect(renderInventory('cyclonedx', imageInventory(pod(images)).images, '1.0.0')).toBe(text);
        // Components are in the order of their references, whatever the order of the containers.
        const reversed = JSON.parse(renderInventory('cyclonedx', imageInventory(pod([...images].reverse())).images, '1.0.0'));
        expect(reversed.components.map((c: any) => c['bom-ref'])).toEqual(refs);
      }),
      { numRuns: 100 },
    );
  });

  test('is byte-identical across runs', async () => {
    const a = await cli(['images', WORKLOADS, '--format', 'cyclonedx']);
    const b = await cli(['images', WORKLOADS, '--format', 'cyclonedx']);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('imagePurl', () => {
  const entry = { image: '', registry: 'localhost:5000', repository: 'team/tools/cli', pinned: false, uses: [], pullSecrets: [], allowed: true, policyViolations: [] };
  test('an unpinned image has no version; a registry port stays readable', () => {
    expect(imagePurl({ ...entry, tag: 'v1+build' })).toBe('pkg:oci/cli?repository_url=localhost:5000/team/tools/cli&tag=v1%2Bbuild');
  });
  test('the digest is the version, its colon encoded', () => {
    expect(imagePurl({ ...entry, digest: `sha512:${'a'.repeat(128)}` })).toBe(`pkg:oci/cli@sha512%3A${'a'.repeat(128)}?repository_url=localhost:5000/team/tools/cli`);
  });
});
