import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { newChart, ofKind, podSpec, synth, webContainer } from './helpers';
import { Hardening, HardenedDeployment, HardenedInclude } from '../../src';

const rawDeployment = (overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'legacy' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'legacy' } },
    template: {
      metadata: { labels: { app: 'legacy' } },
      spec: {
        containers: [{
          name: 'app',
          image: 'registry.example.com/legacy@sha256:' + 'c'.repeat(64),
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
          readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
          ...overrides,
        }],
      },
    },
  },
});

describe('Hardening.harden', () => {
  test('a plain kplus.Deployment and a HardenedDeployment with the same props get the same pod spec (one core)', () => {
    // cdk8s-plus writes fsGroupChangePolicy Always when it is not given; harden keeps every written value, so the
    // props name it (HardenedDeployment's default) for both.
    const props = { containers: [webContainer()], securityContext: { fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH } };
    const { chart } = newChart();
    const hardened = new HardenedDeployment(chart, 'hardened', { ...props, replicas: 1 });
    const plain = new kplus.Deployment(chart, 'plain', { ...props, replicas: 1 });
    Hardening.harden(chart);
    const [a, b] = [ApiObject.of(hardened).toJson(), ApiObject.of(plain).toJson()].map((o) => {
      const spec = { ...podSpec(o) };
      // Each gets its own ServiceAccount, under its own name.
      expect(spec.serviceAccountName).toMatch(/serviceaccount/);
      delete spec.serviceAccountName;
      return spec;
    });
    expect(b).toEqual(a);
    expect(b.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('fills unset controls of a raw ApiObject as JSON patches, adds its companions and passes the pod rules', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'legacy', rawDeployment());
    Hardening.harden(chart);
    const objects = Testing.synth(chart);
    const deployment = ofKind(objects, 'Deployment')[0];
    const spec = podSpec(deployment);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({ runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(spec.volumes).toEqual([{ emptyDir: { sizeLimit: '64Mi' }, name: 'tmp' }]);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    const account = ofKind(objects, 'ServiceAccount').find((a) => a.metadata.name === spec.serviceAccountName);
    expect(account.metadata.annotations['hardened.cdk8s.io/owner']).toBe('team-shop');
    expect(account.automountServiceAccountToken).toBe(false);
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([expect.objectContaining({ spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'legacy' } } } })]);
    // No default-deny unless asked.
    expect(ofKind(objects, 'NetworkPolicy')).toEqual([]);
  });

  test('never changes an explicit value: weak ones stay and fail enforce, unless waived on the object', () => {
    const build = (waive: boolean) => {
      const { app, chart } = newChart();
      new ApiObject(chart, 'legacy', rawDeployment({ securityContext: { readOnlyRootFilesystem: false } }));
      Hardening.harden(chart);
      if (waive) Hardening.addWaiverTo(chart, 'Deployment', 'legacy', 'pod-read-only-root-filesystem', 'vendor image writes its cache under /var/lib');
      // The namespace around it is not part of this test.
      Hardening.enforce(chart, { skip: ['net-workload-not-selected', 'ns-default-deny-egress', 'ns-default-deny-ingress', 'ns-limit-range', 'ns-resource-quota'] });
      return app;
    };
    expect(() => build(false).synthYaml()).toThrow(/pod-read-only-root-filesystem/);
    const objects = synth(build(true));
    const deployment = ofKind(objects, 'Deployment')[0];
    expect(podSpec(deployment).containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(deployment.spec.template.metadata.annotations['hardened.cdk8s.io/waivers']).toContain('pod-read-only-root-filesystem');
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'waive.hardened.cdk8s.io/pod-read-only-root-filesystem': 'true', 'app': 'legacy' });
  });

  test('options: no companions, or a default-deny policy per namespace', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'legacy', rawDeployment());
    Hardening.harden(chart, { serviceAccounts: false, disruptionBudgets: false, defaultDenyNetworkPolicies: true });
    const objects = Testing.synth(chart);
    expect(podSpec(ofKind(objects, 'Deployment')[0]).serviceAccountName).toBeUndefined();
    expect(ofKind(objects, 'PodDisruptionBudget')).toEqual([]);
    expect(ofKind(objects, 'NetworkPolicy')).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'default-deny', namespace: 'shop' }),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    })]);
  });

  test('an existing budget that selects the pods, and objects of hardened constructs, are left alone', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'legacy', rawDeployment());
    new ApiObject(chart, 'pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'legacy' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'legacy' } } } });
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    Hardening.harden(chart);
    const objects = Testing.synth(chart);
    expect(ofKind(objects, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['legacy', expect.stringContaining('web')]);
    expect(ApiObject.of(web).toJson()).toEqual(ofKind(objects, 'Deployment').find((d) => d.metadata.name.includes('web')));
  });

  test('a workload without an owner for its ServiceAccount, or a second harden, is an error naming the fix', () => {
    const { app } = newChart();
    const bare = new Chart(app, 'bare');
    new ApiObject(bare, 'legacy', rawDeployment());
    expect(() => Hardening.harden(bare)).toThrow(/^bare\/legacy: Hardening.harden \(for Deployment legacy running as the default ServiceAccount\) needs an owner.*Fix: set owner/);
    const { chart } = newChart('twice');
    Hardening.harden(chart, { serviceAccounts: false });
    expect(() => Hardening.harden(chart)).toThrow(/already called on twice/);
  });

  test('a List of workloads is refused (harden cannot patch inside it)', () => {
    const { chart } = newChart();
    new ApiObject(chart, 'list', { apiVersion: 'v1', kind: 'List', items: [rawDeployment()] } as any);
    expect(() => Hardening.harden(chart)).toThrow(/test\/list: Hardening.harden cannot harden the workloads inside a List.*HardenedInclude/);
  });

  test('HardenedInclude objects are hardened and addressable by kind and name', () => {
    const { chart } = newChart();
    const include = new HardenedInclude(chart, 'vendor', { url: 'test/fixtures/adopt/multi-service.yaml' });
    Hardening.harden(chart);
    expect(() => Hardening.addWaiverTo(include, 'Deployment', 'nope', 'pod-read-only-root-filesystem', 'because the vendor says so'))
      .toThrow(/vendor: no Deployment named "nope" \(Deployment objects here: .*\)/);
    // A host-access waiver is refused on a Deployment, included or not.
    expect(() => Hardening.addWaiverTo(include, 'Deployment', 'frontend', 'pod-privileged', 'the vendor runs it privileged'))
      .toThrow(/Deployment frontend cannot waive pod-privileged: pod-privileged may only be waived on a HardenedDaemonSet/);
    expect(() => Hardening.addWaiverTo(include, 'Deployment', 'frontend', 'no-such-rule', 'the vendor runs it privileged')).toThrow(/unknown rule/);
    Hardening.addWaiverTo(include, 'Deployment', 'frontend', 'pod-read-only-root-filesystem', 'nginx writes its cache to /var/cache');
    const frontend = include.apiObjects.find((o) => o.kind === 'Deployment' && o.name === 'frontend')!;
    expect(Hardening.waiversOf(frontend)).toEqual([{ ruleId: 'pod-read-only-root-filesystem', reason: 'nginx writes its cache to /var/cache' }]);
  });
});
