import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { FlowPort, FlowProtocol } from '../../src/constructs/flow-port';
import { LockedNamespace } from '../../src/constructs/locked-namespace';
import { NetworkReachability } from '../../src/constructs/network-reachability';
import { WorkloadFlows } from '../../src/constructs/workload-flows';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import { validateK8sObjects as validateAll } from '../util/k8s-schema';

const NS_AND_NET = ALL_RULES.filter((r) => r.area === 'namespace' || r.area === 'network').map((r) => r.id);
const ADDR = 'cdk8s.io/metadata.addr';

/** The webapp example's shape, with plain cdk8s-plus workloads: ingress controller -> web -> api -> db, api -> payments CIDR. */
function webapp() {
  const app = Testing.app();
  const chart = new Chart(app, 'webapp');
  const shop = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop', purpose: 'Web shop' });
  const web = new kplus.Deployment(shop, 'web', { metadata: { name: 'web' }, containers: [{ image: 'web', portNumber: 8080 }] });
  const api = new kplus.Deployment(shop, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api', portNumber: 8080 }] });
  const db = new kplus.Deployment(shop, 'db', { metadata: { name: 'db' }, replicas: 1, containers: [{ image: 'postgres', portNumber: 5432 }] });
  WorkloadFlows.of(web).allowFromIngressController();
  WorkloadFlows.of(api).allowFrom(web, { port: 8080 });
  WorkloadFlows.of(api).allowEgressTo(db);
  WorkloadFlows.of(api).allowEgressToCidr('203.0.113.0/24', { ports: [FlowPort.tcp(443)] });
  return { app, chart, shop, web, api, db };
}

const synthAll = (app: ReturnType<typeof Testing.app>) => app.charts.flatMap((c) => c.toJson());
const policies = (objects: any[]) => objects.filter((o) => o.kind === 'NetworkPolicy' && !['default-deny-ingress', 'default-deny-egress', 'allow-dns-egress'].includes(o.metadata.name));

/** A plain cdk8s-plus Deployment hardened by hand (what HardenedDeployment does for you). */
function hardDeployment(scope: Chart, name: string, port: number): kplus.Deployment {
  const deployment = new kplus.Deployment(scope, name, {
    metadata: { name },
    replicas: 2,
    serviceAccount: new kplus.ServiceAccount(scope, `${name}-sa`, { metadata: { name } }),
    securityContext: { user: 10001, group: 10001 },
    containers: [{
      name: 'main',
      image: `registry.example.com/shop/${name}@sha256:${'a'.repeat(64)}`,
      portNumber: port,
      securityContext: { user: 10001, group: 10001 },
      liveness: kplus.Probe.fromTcpSocket(),
      readiness: kplus.Probe.fromTcpSocket(),
    }],
  });
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    // Two replicas need a spread and a disruption budget (workload-spread-or-anti-affinity, workload-pdb-missing).
    JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [{
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: deployment.matchLabels },
    }]),
  );
  new ApiObject(scope, `${name}-pdb`, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name },
    spec: { maxUnavailable: 1, selector: { matchLabels: deployment.matchLabels } },
  });
  return deployment;
}

describe('declared flows', () => {
  test('the webapp shape with hand-hardened workloads passes the whole catalog', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'webapp');
    const shop = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop', purpose: 'Web shop' });
    const web = hardDeployment(shop, 'web', 8080);
    const api = hardDeployment(shop, 'api', 8080);
    const db = hardDeployment(shop, 'db', 5432);
    WorkloadFlows.of(web).allowFromIngressController();
    WorkloadFlows.of(api).allowFrom(web, { port: 8080 });
    WorkloadFlows.of(api).allowEgressTo(db);
    const objects = synthAll(app);
    validateAll(objects);
    const result = checkObjects(objects.map((object) => ({ object })));
    expect(result.findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`)).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  test('the webapp shape emits the narrowest policies, both halves of each flow', () => {
    const { app, web, api, db } = webapp();
    const objects = synthAll(app);
    validateAll(objects);
    const emitted = policies(objects);
    expect(emitted).toMatchSnapshot();
    const addr = (w: kplus.Deployment) => ({ matchLabels: { [ADDR]: w.podMetadata.getLabel(ADDR) } });
    const specs = emitted.map((p) => p.spec);
    expect(specs).toEqual(expect.arrayContaining([
      // web: ingress from the ingress controller only, on its container port.
      { podSelector: addr(web), policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
      // api <- web on 8080 (ingress on api, egress on web).
      { podSelector: addr(api), policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: addr(web) }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
      { podSelector: addr(web), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: addr(api) }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
      // api -> db on db's declared container port.
      { podSelector: addr(api), policyTypes: ['Egress'], egress: [{ to: [{ podSelector: addr(db) }], ports: [{ protocol: 'TCP', port: 5432 }] }] },
      { podSelector: addr(db), policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: addr(api) }], ports: [{ protocol: 'TCP', port: 5432 }] }] },
      { podSelector: addr(api), policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] }] },
    ]));
    expect(specs).toHaveLength(6);
    expect(emitted.every((p) => p.metadata.namespace === 'shop')).toBe(true);
  });

  test('the analysis of the output shows exactly the declared flows, and the engine finds nothing', () => {
    const { app, chart } = webapp();
    const reach = NetworkReachability.fromChart(chart);
    const flows = reach.flows.map((f) => `${f.from} -> ${f.to} ${f.protocol}${f.port ? ' ' + f.port : ''}`);
    const dns = 'selector:kube-system: k8s-app=kube-dns';
    expect(flows).toEqual([
      'Deployment/shop/api -> Deployment/shop/db TCP 5432',
      'Deployment/shop/api -> cidr:203.0.113.0/24 TCP 443',
      `Deployment/shop/api -> ${dns} TCP 53`,
      `Deployment/shop/api -> ${dns} UDP 53`,
      `Deployment/shop/db -> ${dns} TCP 53`,
      `Deployment/shop/db -> ${dns} UDP 53`,
      'Deployment/shop/web -> Deployment/shop/api TCP 8080',
      `Deployment/shop/web -> ${dns} TCP 53`,
      `Deployment/shop/web -> ${dns} UDP 53`,
      'selector:ingress-nginx: app.kubernetes.io/name=ingress-nginx -> Deployment/shop/web TCP 8080',
    ]);
    expect(reach.problems).toEqual([]);
    expect(reach.toMermaid()).toMatchSnapshot();
    expect(reach.toMarkdownTable()).toContain('| Deployment/shop/web | Deployment/shop/api | TCP 8080 |');
    const result = checkObjects(synthAll(app).map((object) => ({ object })), { rules: NS_AND_NET });
    expect(result.findings).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  test('flows across namespaces select the peer namespace by name', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const shop = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'a' });
    const data = new LockedNamespace(chart, 'data', { name: 'data', owner: 'b' });
    const api = new kplus.Deployment(shop, 'api', { metadata: { name: 'api' }, containers: [{ image: 'api' }] });
    const db = new kplus.Deployment(data, 'db', { metadata: { name: 'db' }, containers: [{ image: 'db', ports: [{ number: 5432, name: 'pg' }] }] });
    WorkloadFlows.of(db).allowFrom(api, { ports: [FlowPort.named('pg')] });
    const objects = synthAll(app);
    validateAll(objects);
    const dbIngress = policies(objects).find((p) => p.metadata.namespace === 'data');
    expect(dbIngress.spec.ingress[0]).toEqual({
      from: [{ podSelector: { matchLabels: { [ADDR]: api.podMetadata.getLabel(ADDR) } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }],
      ports: [{ protocol: 'TCP', port: 'pg' }],
    });
    const flows = NetworkReachability.fromChart(chart).flows.filter((f) => f.to === 'Deployment/data/db');
    expect(flows).toEqual([{ from: 'Deployment/shop/api', to: 'Deployment/data/db', protocol: 'TCP', port: 5432 }]);
    expect(checkObjects(objects.map((object) => ({ object })), { rules: NS_AND_NET }).findings).toEqual([]);
  });

  test('Pods.select peers with namespaces, UDP and ranges', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const ns = new LockedNamespace(chart, 'obs', { name: 'obs', owner: 'o' });
    const agent = new kplus.Deployment(ns, 'agent', { metadata: { name: 'agent' }, containers: [{ image: 'agent' }] });
    const collectors = kplus.Pods.select(chart, 'collectors', { labels: { app: 'otel' }, namespaces: kplus.Namespaces.select(chart, 'nss', { names: ['monitoring', 'tracing'] }) });
    WorkloadFlows.of(agent).allowEgressTo(collectors, { ports: [FlowPort.udp(4317), FlowPort.tcpRange(9000, 9010)] });
    const objects = synthAll(app);
    validateAll(objects);
    expect(policies(objects).map((p) => p.spec.egress[0])).toEqual([
      {
        to: [{ podSelector: { matchLabels: { app: 'otel' } }, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['monitoring', 'tracing'] }] } }],
        ports: [{ protocol: 'UDP', port: 4317 }, { protocol: 'TCP', port: 9000, endPort: 9010 }],
      },
    ]);
  });

  test('wide flows need waivers, which are recorded on the policy', () => {
    const build = (f: (flows: WorkloadFlows, chart: Chart) => void) => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const ns = new LockedNamespace(chart, 'ns', { name: 'ns', owner: 'o' });
      const w = new kplus.Deployment(ns, 'w', { metadata: { name: 'w' }, containers: [{ image: 'w', portNumber: 443 }] });
      f(WorkloadFlows.of(w), chart);
      return synthAll(app);
    };
    expect(() => build((f) => f.allowEgressToCidr('0.0.0.0/0', { port: 443 }))).toThrow(
      "c/ns/w/Flows: allowEgressToCidr('0.0.0.0/0') allows every address violates net-egress-anywhere. Name the narrowest CIDR of the service, or add waivers: [{ ruleId: 'net-egress-anywhere', reason: '<why>' }]",
    );
    expect(() => build((f) => f.allowFromCidr('::/0', { port: 443 }))).toThrow(/violates net-allow-all/);
    expect(() => build((f, chart) => f.allowFrom(kplus.Pods.all(chart, 'all', { namespaces: kplus.Namespaces.all(chart, 'nss') }), { port: 443 }))).toThrow(/every pod of every namespace\) violates net-allow-all/);

    const objects = build((f) => f.allowEgressToCidr('0.0.0.0/0', { port: 443, except: ['10.0.0.0/8'], waivers: [{ ruleId: 'net-egress-anywhere', reason: 'webhook sender calls customer URLs' }] }));
    validateAll(objects);
    const policy = policies(objects)[0];
    expect(policy.spec.egress[0].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }]);
    const result = checkObjects(objects.map((object) => ({ object })), { rules: NS_AND_NET });
    expect(result.findings).toEqual([]);
    expect(result.waived.map((w) => w.ruleId)).toEqual(['net-egress-anywhere']);
  });

  test('missing ports, bad CIDRs and unknown namespaces fail loudly', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const ns = new LockedNamespace(chart, 'ns', { name: 'ns', owner: 'o' });
    const w = new kplus.Deployment(ns, 'w', { metadata: { name: 'w' }, containers: [{ image: 'w' }] });
    const outside = new kplus.Deployment(chart, 'outside', { metadata: { name: 'outside' }, containers: [{ image: 'o' }] });
    const flows = WorkloadFlows.of(w);
    expect(() => flows.allowEgressTo(kplus.Pods.select(chart, 'x', { labels: { a: 'b' } }))).toThrow("c/ns/w/Flows: allowEgressTo(x) needs ports (port or ports): the peer's container ports are unknown");
    expect(() => flows.allowEgressToCidr('10.0.0.0/33', { port: 1 })).toThrow(/"10.0.0.0\/33" is not a CIDR/);
    expect(() => flows.allowEgressToCidr('10.0.0.0/16', {})).toThrow(/needs ports/);
    expect(() => flows.allowEgressToCidr('10.0.0.0/16', { port: 5, except: ['10.1.0.0/24'] })).toThrow(/except "10.1.0.0\/24" must be a CIDR strictly inside 10.0.0.0\/16/);
    expect(() => flows.allowFrom(outside, { port: 80 })).toThrow(/cannot tell whether c\/outside and c\/ns\/w share a namespace/);
    expect(() => FlowPort.tcpRange(10, 5)).toThrow(/endPort > port/);
    expect(() => FlowPort.tcp(0)).toThrow(/between 1 and 65535/);
    expect(() => FlowPort.named('HTTP_Port')).toThrow(/IANA service name/);
    expect(FlowPort.named('dns', FlowProtocol.UDP).protocol).toBe('UDP');
    // Default ports come from the server's containers at synth time: none declared is an error there.
    flows.allowEgressTo(new kplus.Deployment(ns, 'silent', { containers: [{ image: 's' }] }));
    expect(() => synthAll(app)).toThrow(/c\/ns\/w\/Flows: allowEgressTo has no ports and c\/ns\/silent declares no container ports/);
  });

  test('two synths of the same flows are identical', () => {
    expect(JSON.stringify(synthAll(webapp().app))).toBe(JSON.stringify(synthAll(webapp().app)));
  });

  test('the same workload gets one Flows construct; repeated flows get distinct policies', () => {
    const { app, api, web } = webapp();
    expect(WorkloadFlows.of(api)).toBe(WorkloadFlows.of(api));
    WorkloadFlows.of(api).allowFrom(web, { port: 9090 });
    const names = policies(synthAll(app)).map((p) => p.metadata.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('CIDR flows broader than the minimum prefix (issue 12)', () => {
  const build = (f: (flows: WorkloadFlows) => void, context?: Record<string, unknown>) => {
    const app = Testing.app();
    for (const [key, value] of Object.entries(context ?? {})) app.node.setContext(key, value);
    const chart = new Chart(app, 'c');
    const ns = new LockedNamespace(chart, 'ns', { name: 'ns', owner: 'o' });
    const w = new kplus.Deployment(ns, 'w', { metadata: { name: 'w' }, containers: [{ image: 'w', portNumber: 443 }] });
    f(WorkloadFlows.of(w));
    return synthAll(app);
  };

  test('a prefix shorter than /8 (IPv4) or /16 (IPv6) needs a waiver; the halves of "anywhere" are refused one by one', () => {
    expect(() => build((f) => f.allowEgressToCidr('0.0.0.0/1', { port: 443 }))).toThrow(
      "c/ns/w/Flows: allowEgressToCidr('0.0.0.0/1') is a /1, broader than the minimum /8 for IPv4 violates net-egress-anywhere. "
      + 'Name the narrowest CIDR of the service (/8 or longer; the minimum is the context value hardened.cdk8s.io/min-ipv4-prefix), '
      + "or add waivers: [{ ruleId: 'net-egress-anywhere', reason: '<why>' }]",
    );
    expect(() => build((f) => f.allowFromCidr('2000::/3', { port: 443 }))).toThrow(/is a \/3, broader than the minimum \/16 for IPv6 violates net-allow-all/);
    expect(() => build((f) => f.allowFromCidr('10.0.0.0/7', { port: 443 }))).toThrow(/violates net-allow-all/);
  });

  test('negative controls: a /24, a /8 and a /16 IPv6 pass; a waiver accepts a broad block and is recorded', () => {
    expect(() => build((f) => {
      f.allowFromCidr('203.0.113.0/24', { port: 443 });
      f.allowEgressToCidr('10.0.0.0/8', { port: 443 });
      f.allowEgressToCidr('2001:db8::/16', { port: 443 });
    })).not.toThrow();
    const objects = build((f) => f.allowEgressToCidr('100.64.0.0/4', { port: 443, waivers: [{ ruleId: 'net-egress-anywhere', reason: 'carrier-grade NAT range of the partner' }] }));
    expect(policies(objects)[0].metadata.annotations['hardened.cdk8s.io/waivers']).toContain('carrier-grade NAT range of the partner');
  });

  test('the minimum is configurable through the context, and a bad value fails loudly', () => {
    expect(() => build((f) => f.allowEgressToCidr('10.0.0.0/8', { port: 443 }), { [WorkloadFlows.MIN_IPV4_PREFIX_CONTEXT]: 16 })).toThrow(/is a \/8, broader than the minimum \/16 for IPv4/);
    expect(() => build((f) => f.allowEgressToCidr('10.0.0.0/4', { port: 443 }), { [WorkloadFlows.MIN_IPV4_PREFIX_CONTEXT]: '2' })).not.toThrow();
    expect(() => build((f) => f.allowEgressToCidr('10.0.0.0/8', { port: 443 }), { [WorkloadFlows.MIN_IPV4_PREFIX_CONTEXT]: 40 })).toThrow(
      'c/ns/w/Flows: context hardened.cdk8s.io/min-ipv4-prefix must be an integer from 1 to 32 (a prefix length), got 40',
    );
  });
});

describe('allowEgressToApiServer', () => {
  const operator = () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const ns = new LockedNamespace(chart, 'ops', { name: 'ops', owner: 'team-ops' });
    const controller = new kplus.Deployment(ns, 'controller', { metadata: { name: 'controller' }, containers: [{ image: 'controller', portNumber: 8080 }] });
    return { app, chart, controller };
  };

  test('emits an ipBlock egress of the endpoints\' address and port, and reachability shows the flow', () => {
    const { app, chart, controller } = operator();
    WorkloadFlows.of(controller).allowEgressToApiServer({ cidr: '192.0.2.10/32', port: 6443 });
    const objects = synthAll(app);
    validateAll(objects);
    const [policy] = policies(objects);
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { [ADDR]: controller.podMetadata.getLabel(ADDR) } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '192.0.2.10/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] }],
    });
    const flows = NetworkReachability.fromChart(chart).flows.filter((f) => f.to.startsWith('cidr:'));
    expect(flows).toEqual([{ from: 'Deployment/ops/controller', to: 'cidr:192.0.2.10/32', protocol: 'TCP', port: 6443 }]);
    expect(checkObjects(objects.map((object) => ({ object })), { rules: NS_AND_NET }).findings).toEqual([]);
  });

  test('port 443 and IPv6 control planes', () => {
    const { app, controller } = operator();
    WorkloadFlows.of(controller).allowEgressToApiServer({ cidr: '2001:db8::10/128', port: 443 });
    expect(policies(synthAll(app))[0].spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '2001:db8::10/128' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
  });

  test('a bad CIDR or port is an error naming the flow and the fix; a broad block needs a waiver', () => {
    const { controller } = operator();
    const flows = WorkloadFlows.of(controller);
    expect(() => flows.allowEgressToApiServer({ cidr: '10.96.0.1', port: 443 })).toThrow(
      'c/ops/controller/Flows: allowEgressToApiServer: "10.96.0.1" is not a CIDR: give the API server endpoints\' address, e.g. 192.0.2.10/32',
    );
    expect(() => flows.allowEgressToApiServer({ cidr: '192.0.2.10/32', port: 0 })).toThrow("allowEgressToApiServer: port must be the API server endpoints' port (6443 or 443), got 0");
    expect(() => flows.allowEgressToApiServer({ cidr: '0.0.0.0/0', port: 443 })).toThrow(
      "c/ops/controller/Flows: allowEgressToApiServer('0.0.0.0/0') allows every address violates net-egress-anywhere",
    );
  });
});
