import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Cron, Include } from 'cdk8s';
import { batchContainer, image, NAMESPACE, newChart, webContainer } from './helpers';
import { Hardening, HardenedCronJob, HardenedDeployment, ImageTrust, TrustAuthority } from '../../src';
import { imageInventory } from '../../src/analysis/images/image-inventory';
import { parseManifests } from '../../src/engine/load';

describe('Hardening.imagesOf', () => {
  test('lists the images of hardened workloads, raw ApiObjects and Included files, like the CLI', () => {
    const { app, chart } = newChart();
    new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    new HardenedCronJob(chart, 'nightly', { schedule: Cron.daily(), containers: [batchContainer('task')] });
    new ApiObject(chart, 'raw', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'raw' },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    });
    const images = Hardening.imagesOf(app);
    expect(images.map((i) => i.image)).toEqual(['docker.io/library/nginx:1.27', image('task', 'b'), image('web')].sort());
    const web = images.find((i) => i.image === image('web'))!;
    expect(web).toMatchObject({ registry: 'registry.example.com', repository: 'team/web', pinned: true, allowed: true });
    expect(web.uses).toEqual([
      expect.objectContaining({ kind: 'Deployment', namespace: NAMESPACE, usedAs: 'container', usedBy: 'web', path: 'spec.template.spec.containers[0].image', source: 'test/web/Resource' }),
    ]);
    const nginx = images.find((i) => i.image.includes('nginx'))!;
    expect(nginx).toMatchObject({ pinned: false, allowed: false, policyViolations: ['not pinned by digest (imagePolicy.requireDigest)'] });

    const dir = path.join(__dirname, '..', 'fixtures', 'inventory');
    const { app: other, chart: included } = newChart('inc');
    new Include(included, 'workloads', { url: path.join(dir, 'workloads.yaml') });
    const fromCli = imageInventory(parseManifests(fs.readFileSync(path.join(dir, 'workloads.yaml'), 'utf8'), 'x').inputs);
    expect(Hardening.imagesOf(other).map((i) => [i.image, i.uses.length])).toEqual(fromCli.images.map((i) => [i.image, i.uses.length]));
  });

  test('refuses a pod spec whose wrong types would hide images, as the images command does', () => {
    const { app, chart } = newChart();
    new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'raw' },
      spec: { template: { spec: { containers: 'nginx:1.27', initContainers: [{ name: 'init', image: image('init') }] } } },
    });
    expect(() => Hardening.imagesOf(app)).toThrow(/cannot list every image:\n {2}test\/raw: Deployment shop\/raw: spec\.template\.spec\.containers must be a list, got a string/);
  });

  test('judges with the given policy, else the nearest enforce() policy', () => {
    const { app, chart } = newChart();
    new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'raw' }, spec: { containers: [{ name: 'app', image: image('app') }] } });
    expect(Hardening.imagesOf(app)[0].allowed).toBe(true);
    expect(Hardening.imagesOf(app, { allowedRegistries: ['quay.io'] })[0].allowed).toBe(false);
    Hardening.enforce(app, { imagePolicy: { allowedRegistries: ['ghcr.io'] } });
    expect(Hardening.imagesOf(chart)[0].policyViolations).toEqual(['registry.example.com/team/app is outside imagePolicy.allowedRegistries and allowedRepositories']);
  });

  test('an ImageTrust in the app: each image says whether its globs cover it', () => {
    const { app, chart } = newChart();
    new ImageTrust(chart, 'signed', {
      images: ['registry.example.com/**'],
      authorities: [TrustAuthority.keyless({ issuer: 'https://accounts.google.com', subject: 'release@example.com' })],
    });
    new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    new ApiObject(chart, 'debug', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } });
    const images = Hardening.imagesOf(app);
    const web = images.find((i) => i.image === image('web'))!;
    expect(web.trustCovered).toBe(true);
    expect(web.uses[0].trustGlob).toBe('registry.example.com/**');
    expect(web.uses[0].trustPolicy).toMatch(/^ClusterImagePolicy\//);
    const busybox = images.find((i) => i.repository === 'library/busybox')!;
    expect(busybox.trustCovered).toBe(false);
    expect(busybox.policyViolations).toContainEqual(expect.stringMatching(/^1 of 1 uses outside every signature-verification glob \(ClusterImagePolicy\/.* "registry.example.com\/\*\*"\)$/));
  });

  test('an image it cannot read, or a bad policy, fails naming the construct', () => {
    const { app, chart } = newChart();
    new ApiObject(chart, 'raw', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'raw' }, spec: { containers: [{ name: 'app', image: 'UPPER/Case' }] } });
    expect(() => Hardening.imagesOf(app)).toThrow(/test\/raw: Pod\/raw: invalid image reference "UPPER\/Case".*the inventory cannot list it/s);
    expect(() => Hardening.imagesOf(app, { allowedRegistries: [] })).toThrow(/Hardening.imagesOf: imagePolicy.allowedRegistries: must list at least one entry/);
  });
});
