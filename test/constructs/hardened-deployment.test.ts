import { ApiObject, App, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { allContainers, batchContainer, engineFindings, hardeningGaps, image, NAMESPACE, newChart, ofKind, podSpec, probeGaps, resources, synth, validateSchemas, webContainer } from './helpers';
import { AuditedServiceAccount, Hardening, HardenedDeployment, PodAntiAffinity, TopologySpread } from '../../src';
import { findRule } from '../../src/rules';

describe('HardenedDeployment', () => {
  test('default output: snapshot, every hardening property, schema-valid, no engine finding', () => {
    const { app, chart } = newChart();
    new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    const objects = synth(app);
    expect(objects).toMatchSnapshot();

    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'ServiceAccount']);
    const [deployment] = ofKind(objects, 'Deployment');
    expect(hardeningGaps(deployment)).toEqual([]);
    expect(probeGaps(deployment)).toEqual([]);
    const spec = podSpec(deployment);
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
      appArmorProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    // The dedicated ServiceAccount does not mount a token either.
    const [sa] = ofKind(objects, 'ServiceAccount');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe(sa.metadata.name);
    // ... and it is an AuditedServiceAccount: owner (from the chart's owner label) and purpose recorded.
    expect(sa.metadata.annotations).toEqual({
      'hardened.cdk8s.io/owner': 'team-shop',
      'hardened.cdk8s.io/purpose': 'Identity of HardenedDeployment test/web',
    });
    validateSchemas(objects);
    expect(engineFindings(objects)).toEqual([]);
  });

  test('the identity needs an owner; an AuditedServiceAccount with API access gets a projected, expiring token', () => {
    const app = new App({ outdir: '/tmp/cdk8s-hardened-test' });
    const unowned = new Chart(app, 'unowned', { namespace: NAMESPACE });
    expect(() => new HardenedDeployment(unowned, 'web', { containers: [webContainer()] }))
      .toThrow(/^unowned\/web: HardenedDeployment needs an owner for its AuditedServiceAccount.*Fix: set owner/);
    new HardenedDeployment(unowned, 'owned', { containers: [webContainer()], owner: 'team-web', purpose: 'serves the shop' });
    const { app: tokenApp, chart } = newChart();
    const identity = new AuditedServiceAccount(chart, 'controller-sa', {
      owner: 'team-shop',
      purpose: 'watches its ConfigMap',
      apiAccess: { reason: 'reloads settings when the ConfigMap changes', expirationSeconds: 900 },
    });
    identity.allowReadConfigMap('settings', { watch: true });
    new HardenedDeployment(chart, 'controller', { containers: [webContainer('controller')], serviceAccount: identity });
    const objects = synth(tokenApp);
    const spec = podSpec(ofKind(objects, 'Deployment')[0]);
    expect(spec.automountServiceAccountToken).toBe(false);
    const tokenVolume = spec.volumes.find((v: any) => v.projected);
    expect(tokenVolume.projected.sources[0].serviceAccountToken).toMatchObject({ path: 'token', expirationSeconds: 900 });
    expect(spec.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: tokenVolume.name, readOnly: true }));
    validateSchemas(objects);
    expect(engineFindings(objects)).toEqual([]);
  });

  test('keeps every cdk8s-plus prop and method: ports, exposeViaService, replicas, strategy', () => {
    const { app, chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', {
      containers: [webContainer()],
      replicas: 3,
      strategy: kplus.DeploymentStrategy.recreate(),
    });
    expect(web).toBeInstanceOf(kplus.Deployment);
    const service = web.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    const objects = synth(app);
    const [deployment] = ofKind(objects, 'Deployment');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(ofKind(objects, 'Service')[0].metadata.name).toBe(service.name);
    validateSchemas(objects);
  });

  test('containers, init containers and volumes added after construction are hardened', () => {
    const { app, chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    web.addContainer(webContainer('sidecar', 9090));
    web.addInitContainer({ ...batchContainer('migrate'), securityContext: { capabilities: { add: [kplus.Capability.NET_BIND_SERVICE] } } });
    // A ready-made Container bypasses addContainer: its missing controls are filled too.
    web.attachContainer(new kplus.Container({ ...webContainer('attached', 7070) }));
    web.addVolume(kplus.Volume.fromEmptyDir(chart, 'cache', 'cache'));
    const objects = synth(app);
    const [deployment] = ofKind(objects, 'Deployment');
    expect(allContainers(deployment).map((c) => c.name)).toEqual(['web', 'sidecar', 'attached', 'migrate']);
    expect(hardeningGaps(deployment)).toEqual([]);
    // NET_BIND_SERVICE is the one capability the restricted standard allows; it is spelled without CAP_.
    expect(podSpec(deployment).initContainers[0].securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(podSpec(deployment).volumes.map((v: any) => v.name).sort()).toEqual(['cache', 'tmp']);
    validateSchemas(objects);
  });

  test('explicit values are never overridden: a weakening value stays and is left to the rules (and waivers)', () => {
    const { chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', {
      containers: [{ ...webContainer(), securityContext: { readOnlyRootFilesystem: false, user: 20000 } }],
      securityContext: { user: 30000, group: 30000 },
    });
    expect(web.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(web.containers[0].securityContext.user).toBe(20000);
    expect([web.securityContext.user, web.securityContext.group]).toEqual([30000, 30000]);
    if (findRule('pod-read-only-root-filesystem')) {
      // Once the catalog judges it, the workload refuses to serialize the weakened value without a waiver.
      expect(() => ApiObject.of(web).toJson()).toThrow(/\[test\/web\] HardenedDeployment violates pod-read-only-root-filesystem/);
    } else {
      const container = podSpec(ApiObject.of(web).toJson()).containers[0];
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: false, runAsUser: 20000 });
    }
  });

  test('a privileged container fails synth (and any serialization) naming the construct path, the rule, the JSON path and the fix', () => {
    const { app, chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [{ ...webContainer(), securityContext: { privileged: true, allowPrivilegeEscalation: true } }] });
    // Not only synth: no serialization lets the gap out.
    expect(() => ApiObject.of(web).toJson()).toThrow(/pod-privileged/);
    expect(() => Testing.synth(chart)).toThrow(/pod-privileged/);
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[test/web]');
    expect(message).toContain('pod-privileged');
    expect(message).toContain('spec.template.spec.containers[0].securityContext.privileged');
    expect(message).toMatch(/Fix: Remove securityContext.privileged/);
    // The hint never suggests a waiver the construct refuses: host access is waivable only on a HardenedDaemonSet.
    expect(message).not.toContain("waivers: [{ ruleId: 'pod-privileged'");
    expect(message).toContain('A HardenedDeployment cannot waive it (pod-privileged may only be waived on a HardenedDaemonSet');
    expect(message).toMatch(/run the workload as a HardenedDaemonSet if that is what it is \(a node agent\), or change the design/);
  });

  test('a gap added behind the construct\'s back by a raw JSON patch is caught at synth', () => {
    const { app, chart } = newChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    ApiObject.of(web).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
    expect(() => app.synthYaml()).toThrow(/\[test\/web\].*pod-privileged/);
  });

  test('waivers are validated: unknown rule, empty reason and host access outside a DaemonSet fail naming path, rule and fix', () => {
    const { chart } = newChart();
    expect(() => new HardenedDeployment(chart, 'a', { containers: [webContainer()], waivers: [{ ruleId: 'no-such-rule', reason: 'because it is needed' }] }))
      .toThrow(/^test\/a: waiver names unknown rule "no-such-rule".*Fix:/);
    expect(() => new HardenedDeployment(chart, 'b', { containers: [webContainer()], waivers: [{ ruleId: 'pod-privileged', reason: '  ' }] }))
      .toThrow(/^test\/b: waiver for "pod-privileged" needs a reason/);
    // Host access (privileged included) may only be waived on a DaemonSet.
    expect(() => new HardenedDeployment(chart, 'c', { containers: [webContainer()], waivers: [{ ruleId: 'pod-privileged', reason: 'needs raw devices' }] }))
      .toThrow(/^test\/c: HardenedDeployment cannot waive pod-privileged: pod-privileged may only be waived on a HardenedDaemonSet.*Fix:/);
    const web = new HardenedDeployment(chart, 'd', { containers: [webContainer()] });
    expect(() => Hardening.addWaiver(web, 'pod-host-anything', 'not a rule')).toThrow(/unknown rule/);
    expect(() => Hardening.waiversOf(chart)).toThrow(/not a hardened workload/);
    expect(Hardening.waiversOf(web)).toEqual([]);
  });

  test('availability: PodDisruptionBudget and spread for replicas > 1, none for one replica; anti-affinity option', () => {
    const { chart } = newChart();
    new HardenedDeployment(chart, 'many', { containers: [webContainer()], replicas: 3, topologySpread: TopologySpread.REQUIRED, podAntiAffinity: PodAntiAffinity.PREFERRED });
    new HardenedDeployment(chart, 'one', { containers: [webContainer()], replicas: 1 });
    // Turning the spread off on a replicated workload weakens a control: it needs a waiver.
    const unwaived = newChart('unwaived').chart;
    new HardenedDeployment(unwaived, 'web', { containers: [webContainer()], topologySpread: TopologySpread.NONE });
    expect(() => Testing.synth(unwaived))
      .toThrow(/violates workload-spread-or-anti-affinity/);
    // A budget that is off, or lets every replica go at once, protects nothing: it needs a waiver too.
    expect(() => new HardenedDeployment(newChart('off').chart, 'web', { containers: [webContainer()], replicas: 3, disruptionBudget: { enabled: false } }))
      .toThrow(/^off\/web: disruptionBudget.enabled false on 3 replicas violates workload-pdb-missing/);
    expect(() => new HardenedDeployment(newChart('all').chart, 'web', { containers: [webContainer()], replicas: 3, disruptionBudget: { maxUnavailable: 3 } }))
      .toThrow(/^all\/web: disruptionBudget.maxUnavailable 3 lets all 3 replicas go down at once/);
    new HardenedDeployment(chart, 'custom', {
      containers: [webContainer()],
      replicas: 4,
      disruptionBudget: { maxUnavailable: 2 },
      topologySpread: TopologySpread.NONE,
      waivers: [{ ruleId: 'workload-spread-or-anti-affinity', reason: 'batch of stateless workers, placement does not matter' }],
    });
    const objects = Testing.synth(chart);
    const [many, one, custom] = ofKind(objects, 'Deployment');
    const budgets = ofKind(objects, 'PodDisruptionBudget');
    expect(budgets.map((b) => [b.spec.maxUnavailable, b.spec.selector.matchLabels])).toEqual([
      [1, many.spec.selector.matchLabels],
      [2, custom.spec.selector.matchLabels],
    ]);
    expect(podSpec(many).topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable, c.labelSelector])).toEqual([
      ['kubernetes.io/hostname', 'DoNotSchedule', many.spec.selector],
      ['topology.kubernetes.io/zone', 'DoNotSchedule', many.spec.selector],
    ]);
    expect(podSpec(many).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]).toMatchObject({
      weight: 100,
      podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: many.spec.selector },
    });
    expect(podSpec(one).topologySpreadConstraints).toBeUndefined();
    expect(podSpec(custom).topologySpreadConstraints).toBeUndefined();
    validateSchemas(objects);
  });

  test('a given ServiceAccount is used instead of creating one; tmp size limit is configurable', () => {
    const { chart } = newChart();
    const sa = new kplus.ServiceAccount(chart, 'shared');
    new HardenedDeployment(chart, 'web', { containers: [webContainer()], serviceAccount: sa, tmpSizeLimit: Size.mebibytes(256) });
    const objects = Testing.synth(chart);
    expect(ofKind(objects, 'ServiceAccount')).toHaveLength(1);
    const [deployment] = ofKind(objects, 'Deployment');
    expect(podSpec(deployment).serviceAccountName).toBe(sa.name);
    expect(podSpec(deployment).volumes[0].emptyDir.sizeLimit).toBe('256Mi');
  });

  test('a container mounting its own volume at /tmp keeps it (no second /tmp mount)', () => {
    const { chart } = newChart();
    const scratch = kplus.Volume.fromEmptyDir(chart, 'scratch', 'scratch');
    new HardenedDeployment(chart, 'web', { containers: [{ ...webContainer(), volumeMounts: [{ path: '/tmp', volume: scratch }] }] });
    const [deployment] = ofKind(Testing.synth(chart), 'Deployment');
    expect(podSpec(deployment).containers[0].volumeMounts).toEqual([{ mountPath: '/tmp', name: 'scratch' }]);
  });

  test('a user volume named "tmp" that is not mounted at /tmp, and a workload selecting no pods, fail naming the fix', () => {
    const clash = newChart();
    new HardenedDeployment(clash.chart, 'web', { containers: [webContainer()], volumes: [kplus.Volume.fromEmptyDir(clash.chart, 'v', 'tmp')] });
    expect(() => clash.app.synthYaml()).toThrow(/\[test\/web\] HardenedDeployment: a volume is already named "tmp".*Fix: rename/);
    const unselected = newChart();
    new HardenedDeployment(unselected.chart, 'web', { containers: [webContainer()], select: false });
    expect(() => unselected.app.synthYaml()).toThrow(/selects no pods.*Fix: keep select enabled/);
  });

  test('synth is deterministic: two apps built the same way give byte-identical YAML', () => {
    const build = () => {
      const { app, chart } = newChart();
      const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()], replicas: 3 });
      web.addInitContainer(batchContainer('migrate'));
      web.exposeViaService();
      return app.synthYaml();
    };
    expect(build()).toEqual(build());
  });

  test('resources given by the user are kept', () => {
    const { chart } = newChart();
    new HardenedDeployment(chart, 'web', { containers: [{ ...webContainer(), resources }] });
    const [deployment] = ofKind(Testing.synth(chart), 'Deployment');
    expect(podSpec(deployment).containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    expect(image('x')).toMatch(/@sha256:[a]{64}$/);
  });
});
