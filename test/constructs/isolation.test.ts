import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { batchContainer, hardeningGaps, newChart, ofKind, podSpec, podTemplate, synth, validateSchemas, webContainer } from './helpers';
import {
  AppArmorMode, AppArmorProfile, HardenedDeployment, HardenedJob, RuntimeHandler, SandboxRuntimeClass, SeccompProfile,
} from '../../src';
import { findRule } from '../../src/rules';

describe('sandboxed runtime and node isolation', () => {
  test('gVisor RuntimeClass on dedicated nodes; workload runs in it on those nodes (snapshot)', () => {
    const { app, chart } = newChart();
    const gvisor = SandboxRuntimeClass.gvisor(chart, 'gvisor', {
      overhead: { cpu: '250m', memory: '120Mi' },
      nodes: { label: { key: 'sandbox', value: 'gvisor' } },
    });
    new HardenedDeployment(chart, 'untrusted', {
      containers: [webContainer()],
      runtimeClass: gvisor,
      dedicatedNodes: { label: { key: 'pool', value: 'untrusted' }, taint: { key: 'dedicated', effect: kplus.TaintEffect.NO_EXECUTE } },
    });
    const objects = synth(app);
    expect(objects).toMatchSnapshot();
    const [runtimeClass] = ofKind(objects, 'RuntimeClass');
    expect(runtimeClass).toMatchObject({
      apiVersion: 'node.k8s.io/v1',
      metadata: { name: 'gvisor' },
      handler: 'runsc',
      overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
      scheduling: { nodeSelector: { sandbox: 'gvisor' }, tolerations: [{ key: 'sandbox', operator: 'Equal', value: 'gvisor', effect: 'NoSchedule' }] },
    });
    const [deployment] = ofKind(objects, 'Deployment');
    const spec = podSpec(deployment);
    expect(spec.runtimeClassName).toBe('gvisor');
    expect(spec.nodeSelector).toEqual({ pool: 'untrusted' });
    expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'untrusted', effect: 'NoExecute' }]);
    expect(hardeningGaps(deployment)).toEqual([]);
    validateSchemas(objects);
  });

  test('Kata preset, custom handlers and existing classes by name', () => {
    const { chart } = newChart();
    const kata = SandboxRuntimeClass.kata(chart, 'kata');
    const custom = new SandboxRuntimeClass(chart, 'custom', { handler: RuntimeHandler.of('kata-qemu'), metadata: { name: 'kata-qemu' } });
    new HardenedJob(chart, 'job', { containers: [batchContainer()], runtimeClass: SandboxRuntimeClass.fromName('existing') });
    const objects = Testing.synth(chart);
    expect(ofKind(objects, 'RuntimeClass').map((r) => [r.metadata.name, r.handler])).toEqual([['kata', 'kata'], ['kata-qemu', 'kata-qemu']]);
    expect(kata.runtimeClassName).toBe('kata');
    expect(custom.runtimeClassName).toBe('kata-qemu');
    expect(podSpec(ofKind(objects, 'Job')[0]).runtimeClassName).toBe('existing');
    expect(() => RuntimeHandler.of('Not A Label')).toThrow(/DNS label/);
  });
});

describe('kernel security profiles', () => {
  test('Localhost seccomp and AppArmor profiles and SELinux options are written on the pod', () => {
    const { chart } = newChart();
    new HardenedDeployment(chart, 'web', {
      containers: [webContainer()],
      seccompProfile: SeccompProfile.localhost('profiles/web.json'),
      appArmorProfile: AppArmorProfile.localhost('web-profile'),
      seLinuxOptions: { level: 's0:c123,c456', type: 'container_t' },
    });
    const [deployment] = ofKind(Testing.synth(chart), 'Deployment');
    expect(podSpec(deployment).securityContext).toMatchObject({
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' },
      appArmorProfile: { type: 'Localhost', localhostProfile: 'web-profile' },
      seLinuxOptions: { level: 's0:c123,c456', type: 'container_t' },
    });
    expect(() => SeccompProfile.localhost(' ')).toThrow(/profile file/);
  });

  test('legacy AppArmor annotation mode annotates every container, also those added later', () => {
    const { chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()], appArmorMode: AppArmorMode.ANNOTATION });
    web.addContainer(webContainer('sidecar', 9090));
    web.addInitContainer(batchContainer('init'));
    const [deployment] = ofKind(Testing.synth(chart), 'Deployment');
    expect(podSpec(deployment).securityContext.appArmorProfile).toBeUndefined();
    expect(podTemplate(deployment).metadata.annotations).toMatchObject({
      'container.apparmor.security.beta.kubernetes.io/web': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/sidecar': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/init': 'runtime/default',
    });
    const both = new HardenedDeployment(chart, 'both', { containers: [webContainer()], appArmorMode: AppArmorMode.FIELD_AND_ANNOTATION });
    const json = ApiObject.of(both).toJson();
    expect(json.spec.template.spec.securityContext.appArmorProfile).toEqual({ type: 'RuntimeDefault' });
    expect(json.spec.template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/web']).toBe('runtime/default');
  });
});

// These run once the catalog has the rules (after the areas are merged): weakening values fail synth, waivers relax them.
const withRule = (id: string) => (findRule(id) ? test : test.skip);

describe('explicit weakening values against the full catalog', () => {
  withRule('pod-read-only-root-filesystem')('a writable root filesystem fails synth unless waived, and the waiver lets it stand', () => {
    const container = { ...webContainer(), securityContext: { readOnlyRootFilesystem: false } };
    const failing = newChart();
    new HardenedDeployment(failing.chart, 'web', { containers: [container] });
    expect(() => failing.app.synthYaml()).toThrow(/\[test\/web\] HardenedDeployment violates pod-read-only-root-filesystem/);
    const waived = newChart();
    new HardenedDeployment(waived.chart, 'web', { containers: [container], waivers: [{ ruleId: 'pod-read-only-root-filesystem', reason: 'legacy app writes its cache next to the binary' }] });
    const [deployment] = ofKind(synth(waived.app), 'Deployment');
    expect(podSpec(deployment).containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });

  withRule('pod-run-as-non-root')('running as root fails synth naming the rule', () => {
    const { app, chart } = newChart();
    new HardenedDeployment(chart, 'web', { containers: [{ ...webContainer(), securityContext: { ensureNonRoot: false, user: 0 } }] });
    expect(() => app.synthYaml()).toThrow(/pod-run-as-non-root/);
  });

  withRule('pod-liveness-probe')('a long-running container without probes fails synth', () => {
    const { app, chart } = newChart();
    new HardenedDeployment(chart, 'web', { containers: [batchContainer()] });
    expect(() => app.synthYaml()).toThrow(/pod-liveness-probe/);
  });
});
