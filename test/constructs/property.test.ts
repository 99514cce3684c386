import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { engineFindings, hardeningGaps, image, newChart, ofKind, synth, validateSchemas } from './helpers';
import { HardenedDaemonSet, HardenedDeployment, HardenedJob, HardenedStatefulSet, PodAntiAffinity, TopologySpread } from '../../src';
import { ALL_RULES } from '../../src/rules';

const ruleIds = ALL_RULES.map((r) => r.id);

const containerArb = fc.record({
  port: fc.integer({ min: 1024, max: 65000 }),
  cpuMillis: fc.integer({ min: 10, max: 2000 }),
  memoryMi: fc.integer({ min: 16, max: 4096 }),
  privileged: fc.option(fc.boolean(), { nil: undefined }),
  readOnlyRootFilesystem: fc.option(fc.boolean(), { nil: undefined }),
  ensureNonRoot: fc.option(fc.boolean(), { nil: undefined }),
  user: fc.option(fc.integer({ min: 0, max: 70000 }), { nil: undefined }),
  addNetBind: fc.boolean(),
  withProbes: fc.boolean(),
  mountOwnTmp: fc.boolean(),
});

const propsArb = fc.record({
  containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }),
  initContainers: fc.array(containerArb, { maxLength: 2 }),
  extraVolumes: fc.integer({ min: 0, max: 2 }),
  replicas: fc.integer({ min: 1, max: 5 }),
  spread: fc.constantFrom(TopologySpread.PREFERRED, TopologySpread.REQUIRED, TopologySpread.NONE),
  antiAffinity: fc.constantFrom(PodAntiAffinity.NONE, PodAntiAffinity.PREFERRED, PodAntiAffinity.REQUIRED),
  waiver: fc.option(fc.record({ ruleId: fc.constantFrom(...ruleIds, 'pod-unknown-rule'), reason: fc.constantFrom('', 'short', 'a reason that is long enough') }), { nil: undefined }),
  addLater: fc.boolean(),
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Job'),
  claim: fc.boolean(),
  attach: fc.boolean(),
});

type ContainerSpec = typeof containerArb extends fc.Arbitrary<infer T> ? T : never;

function containerProps(spec: ContainerSpec, name: string, init: boolean, scratch: () => kplus.Volume): kplus.ContainerProps {
  return {
    name,
    image: image(name),
    portNumber: init ? undefined : spec.port,
    resources: {
      cpu: { request: kplus.Cpu.millis(spec.cpuMillis), limit: kplus.Cpu.millis(spec.cpuMillis * 2) },
      memory: { request: Size.mebibytes(spec.memoryMi), limit: Size.mebibytes(spec.memoryMi * 2) },
    },
    liveness: !init && spec.withProbes ? kplus.Probe.fromTcpSocket({ port: spec.port }) : undefined,
    readiness: !init && spec.withProbes ? kplus.Probe.fromTcpSocket({ port: spec.port }) : undefined,
    securityContext: {
      privileged: spec.privileged,
      readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
      ensureNonRoot: spec.ensureNonRoot,
      user: spec.user,
      capabilities: spec.addNetBind ? { add: [kplus.Capability.NET_BIND_SERVICE] } : undefined,
    },
    volumeMounts: spec.mountOwnTmp ? [{ path: '/tmp', volume: scratch() }] : undefined,
  };
}

describe('property: random hardened workload props (Deployment, StatefulSet, DaemonSet, Job)', () => {
  test('either synthesize to schema-valid objects the engine passes, or throw an error naming a rule', () => {
    fc.assert(
      fc.property(propsArb, (p) => {
        const { app, chart } = newChart();
        let ownTmp = 0;
        const scratch = () => kplus.Volume.fromEmptyDir(chart, `scratch${ownTmp++}`, `scratch${ownTmp}`);
        const ports = new Set<number>();
        const unique = (c: ContainerSpec) => {
          let port = c.port;
          while (ports.has(port)) port++;
          ports.add(port);
          return { ...c, port };
        };
        const containers = p.containers.map((c, i) => containerProps(unique(c), `c${i}`, false, scratch));
        const initContainers = p.initContainers.map((c, i) => containerProps(c, `i${i}`, true, scratch));
        try {
          const common = {
            containers: p.addLater ? containers.slice(0, 1) : containers,
            initContainers: p.addLater ? [] : initContainers,
            volumes: Array.from({ length: p.extraVolumes }, (_, i) => kplus.Volume.fromEmptyDir(chart, `extra${i}`, `extra${i}`)),
            replicas: p.replicas,
            topologySpread: p.spread,
            podAntiAffinity: p.antiAffinity,
            waivers: p.waiver ? [p.waiver] : undefined,
          };
          const claims = p.claim ? [{ name: 'data', storage: Size.gibibytes(1), mountPath: '/data' }] : undefined;
          const workload = p.kind === 'StatefulSet' ? new HardenedStatefulSet(chart, 'w', { ...common, volumeClaimTemplates: claims })
            : p.kind === 'DaemonSet' ? new HardenedDaemonSet(chart, 'w', common)
              : p.kind === 'Job' ? new HardenedJob(chart, 'w', common)
                : new HardenedDeployment(chart, 'w', common);
          if (p.addLater) {
            containers.slice(1).forEach((c) => (p.attach ? workload.attachContainer(new kplus.Container(c)) : workload.addContainer(c)));
            initContainers.forEach((c) => workload.addInitContainer(c));
          }
          const objects = synth(app);
          validateSchemas(objects);
          expect(engineFindings(objects)).toEqual([]);
          // Whatever the catalog holds, the controls the user did not weaken hold by construction.
          const weakened = [...p.containers, ...p.initContainers].some(
            (c) => c.readOnlyRootFilesystem === false || c.ensureNonRoot === false || c.privileged === true || (c.user ?? 10000) < 10000,
          );
          const [workloadObject] = ofKind(objects, p.kind);
          if (!weakened) expect(hardeningGaps(workloadObject)).toEqual([]);
        } catch (e) {
          const message = (e as Error).message;
          const namesRule = ruleIds.some((id) => message.includes(id)) || message.includes('pod-unknown-rule');
          if (!namesRule) throw e;
        }
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });
});
