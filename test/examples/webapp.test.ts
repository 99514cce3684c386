/**
 * The webapp example is the end-to-end proof of the library: it is built in-process (buildWebapp), synthesized
 * with `Hardening.enforce` on the whole app, and its output must be clean for the whole catalog, schema-valid,
 * reachable exactly along the declared flows, with the one API identity reading exactly one ConfigMap.
 */
import { App } from 'cdk8s';
import * as jsYaml from 'js-yaml';
import { buildWebapp, OUTSIDE } from '../../examples/webapp/webapp';
import { AccessMatrix, SubjectKind } from '../../src';
import { analyzeReachability } from '../../src/analysis/network';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects } from '../../src/engine/engine';
import { validateK8sObjects } from '../util/k8s-schema';

interface Synth {
  readonly yaml: string;
  readonly objects: any[];
  readonly app: App;
  readonly webapp: ReturnType<typeof buildWebapp>;
}

function synth(): Synth {
  const app = new App();
  const webapp = buildWebapp(app);
  const yaml = app.synthYaml(); // runs Hardening.enforce(app): throws on any finding
  return { yaml, objects: jsYaml.loadAll(yaml).filter((o) => o !== null && o !== undefined), app, webapp };
}

/** Generated names end in a hash of the construct path (`shop-api-c8f8f8d3`): drop it to name the workload. */
const short = (id: string) => id.replace(/-c8[0-9a-f]{6}$/, '');

let built: Synth;
beforeAll(() => {
  built = synth();
});

describe('examples/webapp', () => {
  test('synth is deterministic and the YAML is the snapshot', () => {
    expect(synth().yaml).toBe(built.yaml);
    expect(built.yaml).toMatchSnapshot();
    // the property the snapshot must keep: every namespaced object is in one of the two LockedNamespaces
    // (except the admission params, which belong to the cluster's administrators)
    const namespaced = built.objects.filter((o) => o.metadata.namespace !== undefined && !(o.kind === 'ConfigMap' && o.metadata.name === 'hardened-admission-params'));
    expect(new Set(namespaced.map((o) => o.metadata.namespace))).toEqual(new Set(['shop', 'node-agents']));
  });

  test('the whole catalog finds nothing and reads everything', () => {
    const result = checkObjects(built.objects.map((object) => ({ object })));
    expect(result.problems).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.objectCount).toBe(built.objects.length);
  });

  test('the waivers are exactly the expected ones, each with its reason', () => {
    const recorded: string[] = [];
    for (const o of built.objects) {
      const templates = [o.spec?.template?.metadata, o.spec?.jobTemplate?.spec?.template?.metadata].filter((m) => m !== undefined);
      for (const [where, metadata] of [['', o.metadata], ...templates.map((m) => ['template ', m])]) {
        const raw = metadata.annotations?.[WAIVERS_ANNOTATION];
        if (raw === undefined) continue;
        for (const w of JSON.parse(raw)) {
          expect(w.reason.length).toBeGreaterThanOrEqual(10);
          recorded.push(`${o.kind}/${short(o.metadata.name)} ${where}${w.ruleId}`);
        }
      }
    }
    // Batch pods (migrate, backup) need no probe waivers: the probe rules do not judge Jobs and CronJobs.
    expect(recorded.sort()).toEqual([
      'DaemonSet/node-agents-log-agent pod-host-path-volumes',
      'DaemonSet/node-agents-log-agent pod-restricted-volumes',
      'DaemonSet/node-agents-log-agent template pod-host-path-volumes',
      'DaemonSet/node-agents-log-agent template pod-restricted-volumes',
      'Namespace/node-agents ns-pod-security-labels',
    ].sort());
    // and the only findings they excuse are the log agent's host access and its namespace's PSA level
    const waived = checkObjects(built.objects.map((object) => ({ object }))).waived.map((f) => `${f.ruleId} ${f.kind}/${short(f.name)}`);
    expect([...new Set(waived)].sort()).toEqual([
      'ns-pod-security-labels Namespace/node-agents',
      'pod-restricted-volumes DaemonSet/node-agents-log-agent',
    ]);
    const agentNamespace = built.objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'node-agents');
    expect(agentNamespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('every waiver is needed: without the waiver records, exactly the waived controls fail', () => {
    const stripped = JSON.parse(JSON.stringify(built.objects), (key, value) => {
      if (key !== 'annotations' && key !== 'labels') return value;
      const kept = Object.entries(value as Record<string, string>).filter(([k]) => k !== WAIVERS_ANNOTATION && !k.startsWith('waive.hardened.cdk8s.io/'));
      return Object.fromEntries(kept);
    });
    const result = checkObjects(stripped.map((object: any) => ({ object })));
    expect(result.problems).toEqual([]);
    expect(result.waived).toEqual([]);
    expect([...new Set(result.findings.map((f) => `${f.ruleId} ${f.kind}/${short(f.name)}`))].sort()).toEqual([
      'ns-pod-security-labels Namespace/node-agents',
      'pod-restricted-volumes DaemonSet/node-agents-log-agent',
    ]);
    // pod-restricted-volumes overrides pod-host-path-volumes at restricted; at baseline the latter judges the hostPath.
    // The namespace rule is not a Pod Security control: the level keeps it.
    const baseline = checkObjects(stripped.map((object: any) => ({ object })), { level: 'baseline' });
    expect([...new Set(baseline.findings.map((f) => f.ruleId))].sort()).toEqual(['ns-pod-security-labels', 'pod-host-path-volumes']);
  });

  test('every object is valid against its Kubernetes schema', () => {
    expect(() => validateK8sObjects(built.objects)).not.toThrow();
    expect(built.objects.length).toBeGreaterThan(100); // the 38 admission policies and their bindings included
  });

  test('the network allows exactly the declared flows, nothing more', () => {
    const result = analyzeReachability(built.objects);
    expect(result.problems).toEqual([]);
    const dns = 'selector:kube-system: k8s-app=kube-dns';
    const flows = result.flows.map((f) => `${short(f.from)} -> ${short(f.to)} ${f.protocol} ${f.port ?? ''}${f.endPort ? `-${f.endPort}` : ''}`.trim());
    const withDns = (workload: string) => [`${workload} -> ${dns} TCP 53`, `${workload} -> ${dns} UDP 53`];
    const db = 'StatefulSet/shop/shop-db';
    expect(flows.sort()).toEqual([
      'selector:ingress-nginx: app.kubernetes.io/name=ingress-nginx -> Deployment/shop/shop-web TCP 8080',
      'Deployment/shop/shop-web -> Deployment/shop/shop-api TCP 8080',
      `Deployment/shop/shop-api -> ${db} TCP 5432`,
      `Deployment/shop/shop-worker -> ${db} TCP 5432`,
      `Job/shop/migrate-r42 -> ${db} TCP 5432`,
      `CronJob/shop/shop-backup -> ${db} TCP 5432`,
      `CronJob/shop/shop-backup -> cidr:${OUTSIDE.backupStore.cidr} TCP ${OUTSIDE.backupStore.port}`,
      `Deployment/shop/shop-api -> cidr:${OUTSIDE.apiServer.cidr} TCP ${OUTSIDE.apiServer.port}`,
      `DaemonSet/node-agents/node-agents-log-agent -> cidr:${OUTSIDE.logStore.cidr} TCP ${OUTSIDE.logStore.port}`,
      ...['CronJob/shop/shop-backup', 'DaemonSet/node-agents/node-agents-log-agent', 'Deployment/shop/shop-api', 'Deployment/shop/shop-web',
        'Deployment/shop/shop-worker', 'Job/shop/migrate-r42', db].flatMap(withDns),
    ].sort());
    // every workload is isolated in both directions (default deny), so nothing outside the list can get in or out
    expect(result.isolation.length).toBe(7);
    for (const w of result.isolation) {
      expect(w).toMatchObject({ ingressIsolated: true, egressIsolated: true });
    }
  });

  test('the API identity can get its one ConfigMap and nothing else; no other identity has any permission', () => {
    const { apiIdentity, featureFlags } = built.webapp;
    const matrix = AccessMatrix.fromObjects(built.objects);
    const entries = matrix.entries();
    expect(entries).toEqual([
      expect.objectContaining({
        subject: expect.objectContaining({ kind: SubjectKind.SERVICE_ACCOUNT, name: apiIdentity.name, namespace: 'shop' }),
        namespace: 'shop',
        apiGroup: '',
        resource: 'configmaps',
        resourceName: featureFlags.name,
        verbs: ['get'],
      }),
    ]);
    const me = { kind: SubjectKind.SERVICE_ACCOUNT, name: apiIdentity.name, namespace: 'shop' };
    expect(matrix.canI(me, 'get', 'configmaps', 'shop', { resourceName: 'feature-flags' })).toBe(true);
    expect(matrix.canI(me, 'list', 'configmaps', 'shop')).toBe(false);
    expect(matrix.canI(me, 'get', 'configmaps', 'shop', { resourceName: 'other' })).toBe(false);
    expect(matrix.canI(me, 'get', 'secrets', 'shop', { resourceName: 'shop-db' })).toBe(false);
    // it calls the API, so it (and only it) mounts a projected, expiring token; no pod automounts one
    const pods = built.objects.flatMap((o) =>
      [o.spec?.template?.spec, o.spec?.jobTemplate?.spec?.template?.spec].filter((s) => s !== undefined).map((s) => ({ o, s })));
    const withToken = pods.filter(({ s }) => (s.volumes ?? []).some((v: any) => v.projected?.sources?.some((p: any) => p.serviceAccountToken)));
    expect(withToken.map(({ o }) => short(o.metadata.name))).toEqual(['shop-api']);
    expect(withToken[0].s.volumes.find((v: any) => v.projected).projected.sources[0].serviceAccountToken.expirationSeconds).toBe(3600);
    expect(pods.every(({ s }) => s.automountServiceAccountToken === false)).toBe(true);
  });
});
