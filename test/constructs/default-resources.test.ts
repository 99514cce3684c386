import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { image, newChart, ofKind, podSpec, webContainer } from './helpers';
import { Hardening, HardenedDeployment, HardenedJob, LockedNamespace } from '../../src';

const SIZES = { cpuRequest: '50m', memoryRequest: '64Mi', cpuLimit: '250m', memoryLimit: '128Mi' };
const EXPECTED = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } };
const unsized = (name = 'web'): kplus.ContainerProps => ({ ...webContainer(name), resources: undefined });

describe('resources: the library never invents a size', () => {
  test('a hardened container without resources is an error naming the prop (constructor and addContainer)', () => {
    const { chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer('ok'), unsized()] });
    expect(() => ApiObject.of(web).toJson()).toThrow(/^\[test\/web\] HardenedDeployment: container "web" states no resources \(containers\[1\]\.resources\).*never invents a size.*Fix: set resources on each container, or set defaultResources/);
    const job = new HardenedJob(newChart('job').chart, 'job', { containers: [{ name: 'task', image: image('task'), resources: webContainer().resources }] });
    job.addInitContainer({ name: 'init', image: image('init') });
    expect(() => ApiObject.of(job).toJson()).toThrow(/container "init" states no resources \(addInitContainer\(\{ name: 'init' \}\)\.resources\)/);
  });

  test('defaultResources on Hardening.enforce sizes exactly the containers that state none', () => {
    const { chart } = newChart();
    Hardening.enforce(chart, { defaultResources: SIZES });
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer('sized'), unsized()] });
    web.addContainer(unsized('sidecar'));
    const containers = podSpec(ApiObject.of(web).toJson()).containers;
    expect(containers.map((c: any) => [c.name, c.resources])).toEqual([
      ['sized', { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }],
      ['web', EXPECTED],
      ['sidecar', EXPECTED],
    ]);
  });

  test('defaultResources on a LockedNamespace sizes its workloads and its LimitRange uses the same numbers', () => {
    const { app } = newChart();
    const ns = new LockedNamespace(app, 'ns', { name: 'tenant', owner: 'team-a', defaultResources: SIZES });
    new HardenedDeployment(ns, 'web', { containers: [unsized()] });
    const objects = Testing.synth(ns);
    expect(podSpec(ofKind(objects, 'Deployment')[0]).containers[0].resources).toEqual(EXPECTED);
    expect(ofKind(objects, 'LimitRange')[0].spec.limits[0]).toMatchObject({ defaultRequest: { cpu: '50m', memory: '64Mi' }, default: { cpu: '250m', memory: '128Mi' } });
    expect(() => new LockedNamespace(app, 'both', { name: 'both', owner: 'team-a', defaultResources: SIZES, containerLimits: { defaultCpuLimit: '1' } }))
      .toThrow(/^both: containerLimits.defaultCpuLimit and defaultResources both set the default container size/);
  });

  test('defaultResources is validated: quantities, requests within limits', () => {
    expect(() => Hardening.enforce(newChart().chart, { defaultResources: { ...SIZES, cpuRequest: 'lots' } }))
      .toThrow(/EnforceOptions.defaultResources.cpuRequest "lots" is not a Kubernetes quantity/);
    expect(() => Hardening.harden(newChart().chart, { defaultResources: { ...SIZES, memoryRequest: '1Gi' } }))
      .toThrow(/HardenOptions.defaultResources requests must not exceed their limits/);
  });

  test('Hardening.harden writes its defaultResources on included containers that state none, and keeps explicit ones', () => {
    const { chart } = newChart();
    const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: image(name), ...extra });
    new ApiObject(chart, 'raw', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'raw' },
      spec: {
        selector: { matchLabels: { app: 'raw' } },
        template: {
          metadata: { labels: { app: 'raw' } },
          spec: {
            containers: [container('bare'), container('sized', { resources: { requests: { cpu: '1', memory: '1Gi' } } })],
          },
        },
      },
    });
    Hardening.harden(chart, { defaultResources: SIZES, serviceAccounts: false });
    const containers = podSpec(ofKind(Testing.synth(chart), 'Deployment')[0]).containers;
    expect(containers.map((c: any) => c.resources)).toEqual([EXPECTED, { requests: { cpu: '1', memory: '1Gi' } }]);
  });
});
