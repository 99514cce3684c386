/**
 * The policies added for single-object rules beyond the pod and RBAC rules agree with the engine: the image
 * rules on random image references, pull policies and random image policies (delivered through the params
 * ConfigMap), and ns-pod-security-labels on random Namespace labels.
 */
import * as fc from 'fast-check';
import { evaluatePolicy } from './cel-harness';
import { buildAdmissionPolicies } from '../../src/admission/policies';
import { parseImagePolicy } from '../../src/analysis/images/image-policy';
import type { ImagePolicySettings } from '../../src/analysis/images/image-policy-settings';
import type { K8sObject } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { findRule } from '../../src/rules';

const IMAGE_RULES = ['image-digest', 'image-latest-tag', 'image-allowed-registry', 'image-pull-policy'];

/**
 * Each rule's policy and the engine give the same verdict on every random object, and each rule is seen both
 * failing and passing (a generator that never trips a rule proves nothing). With `onlyMatched`, verdicts count
 * only on objects the policy matches (a mix of kinds, each policy matching some).
 */
function expectAgreement(rules: string[], objects: fc.Arbitrary<K8sObject>, run: { numRuns: number; seed: number }, onlyMatched = false) {
  const set = buildAdmissionPolicies({ rules });
  const policyOf = (id: string) => set.policies.find((p) => (p.metadata as any).labels['hardened.cdk8s.io/rule-id'] === id)!;
  const verdicts = new Map(rules.map((id) => [id, new Set<boolean>()]));
  fc.assert(
    fc.property(objects, (o) => {
      for (const id of rules) {
        const engine = checkObjects([{ object: o }], { rules: [id] });
        expect(engine.problems).toEqual([]);
        const cel = evaluatePolicy(policyOf(id), o, { params: set.params });
        const sample = [id, JSON.stringify(o)];
        expect([...sample, cel.matched && cel.failures.length > 0]).toEqual([...sample, engine.findings.length > 0]);
        if (cel.matched || !onlyMatched) verdicts.get(id)!.add(cel.failures.length > 0);
      }
    }),
    run,
  );
  for (const [id, seen] of verdicts) expect([id, [...seen].sort()]).toEqual([id, [false, true]]);
}

const hex = (n: number, ch = 'a') => ch.repeat(n);
const registry = fc.constantFrom('', '', 'docker.io/', 'index.docker.io/', 'Registry.Example.com/', 'registry.example.com/', 'registry.example.com:5000/', 'mirror.example.com/',
  'localhost/', 'localhost:5000/', '[::1]:5000/', '[abc]/', 'a_b.c/', 'foo:99999/', 'foo:0080/', 'evil.io/');
const path = fc.constantFrom('nginx', 'library/nginx', 'team/app', 'team/sub/app', 'Team/app', 'a..b', 'a__b', 'a-b', 'a.b', 'app/', `${hex(250, 'x')}`, hex(64));
const tag = fc.constantFrom('', '', ':latest', ':1.27', ':', ':-bad', `:v${hex(127, 'x')}`, `:v${hex(128, 'x')}`, ':1:2');
const digest = fc.constantFrom('', '', `@sha256:${hex(64)}`, `@sha256:${hex(63)}`, `@sha256:${hex(64, 'A')}`, `@sha512:${hex(128)}`, '@md5:abc', `@sha256:${hex(64)}@x`);
const image = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(registry, path, tag, digest).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' nginx', 'nginx ', hex(64)) },
);
const container = fc.record({
  name: fc.constantFrom('app', 'side'),
  image: fc.option(image, { nil: undefined, freq: 12 }),
  imagePullPolicy: fc.option(fc.constantFrom('Always', 'IfNotPresent', 'Never'), { nil: undefined, freq: 2 }),
}).map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));

const pod = fc.record({
  containers: fc.array(container, { minLength: 1, maxLength: 2 }),
  initContainers: fc.array(container, { maxLength: 1 }),
  ephemeralContainers: fc.array(container, { maxLength: 1 }),
});
const object: fc.Arbitrary<K8sObject> = fc.tuple(fc.constantFrom('Pod', 'Deployment', 'CronJob'), pod).map(([kind, spec]) => {
  const template = { metadata: { labels: { app: 'x' } }, spec };
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata: { name: 'p', namespace: 'app' }, spec };
  if (kind === 'CronJob') return { apiVersion: 'batch/v1', kind, metadata: { name: 'c', namespace: 'app' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } };
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'd', namespace: 'app' }, spec: { selector: { matchLabels: { app: 'x' } }, template } };
});

const list = <T>(values: T[]) => fc.option(fc.subarray(values, { minLength: 1 }), { nil: undefined });
const imagePolicy: fc.Arbitrary<ImagePolicySettings> = fc.record({
  requireDigest: fc.option(fc.boolean(), { nil: undefined }),
  allowedRegistries: list(['registry.example.com', '*.example.com', 'docker.io', 'localhost:5000', 'Index.Docker.io']),
  allowedRepositories: list(['nginx', 'team/*', 'team/**', 'registry.example.com/**', 'docker.io/library/*', 'a_b.c/**']),
  allowedPullPolicies: list(['Always', 'IfNotPresent', 'Never']),
}).map((p) => parseImagePolicy(Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined))));

describe('image rules: CEL with the image policy in the params agrees with the engine', () => {
  test('fast-check: random references x pull policies x image policies, four rules', () => {
    const verdicts = new Map(IMAGE_RULES.map((id) => [id, new Set<boolean>()]));
    fc.assert(
      fc.property(object, imagePolicy, (o, policy) => {
        const set = buildAdmissionPolicies({ rules: IMAGE_RULES, imagePolicy: policy });
        expect(set.policies).toHaveLength(IMAGE_RULES.length);
        for (const id of IMAGE_RULES) {
          const engine = checkObjects([{ object: o }], { rules: [id], settings: { imagePolicy: policy } });
          expect(engine.problems).toEqual([]);
          const policyOf = set.policies.find((p) => (p.metadata as any).labels['hardened.cdk8s.io/rule-id'] === id)!;
          const cel = evaluatePolicy(policyOf, o, { params: set.params }).failures.length > 0;
          const sample = [id, JSON.stringify(o), JSON.stringify(policy)];
          expect([...sample, cel]).toEqual([...sample, engine.findings.length > 0]);
          verdicts.get(id)!.add(cel);
        }
      }),
      { numRuns: 400, seed: 20261201 },
    );
    for (const [id, seen] of verdicts) expect([id, [...seen].sort()]).toEqual([id, [false, true]]);
  });

  test('pull secrets are not judged at admission, and say why', () => {
    const set = buildAdmissionPolicies({ rules: ['image-pull-secrets', 'image-digest'] });
    expect(set.notEnforced).toEqual([{ ruleId: 'image-pull-secrets', reason: findRule('image-pull-secrets')!.notAtAdmission }]);
  });

  test('the params carry the image policy as data; an invalid image policy is refused', () => {
    const set = buildAdmissionPolicies({ rules: ['image-allowed-registry'], imagePolicy: { allowedRegistries: ['Registry.Example.com'], requireDigest: false, allowedPullPolicies: ['Always'] } });
    expect(set.params.data).toEqual({
      'image.allowed-pull-policies': 'Always',
      'image.allowed-registries': 'registry.example.com',
      'image.require-digest': 'false',
      'waivers.synth-date': '2026-12-01',
    });
    expect(JSON.stringify(set.policies[0])).not.toContain('registry.example.com');
    expect(() => buildAdmissionPolicies({ imagePolicy: { allowedRegistries: [] } })).toThrow(/allowedRegistries: must list at least one entry/);
  });
});

describe('ns-pod-security-labels: CEL agrees with the engine on random Namespace labels', () => {
  const policy = buildAdmissionPolicies({ rules: ['ns-pod-security-labels'] });
  const level = fc.option(fc.constantFrom('restricted', 'baseline', 'privileged', 'Restricted', ''), { nil: undefined, freq: 4 });
  const version = fc.option(fc.constantFrom('v1.25', 'v1.30', 'v1.24', 'v1.025', 'v1.100', 'v1.0', 'latest', 'v2.30', 'v1.30 ', `v1.${'9'.repeat(30)}`), { nil: undefined, freq: 4 });
  const labels = fc.record({ ev: version, el: level, av: version, al: level, wv: version, wl: level }).map((l) => {
    const out: Record<string, string> = { 'kubernetes.io/metadata.name': 'shop' };
    const put = (key: string, value: string | undefined) => { if (value !== undefined) out[`pod-security.kubernetes.io/${key}`] = value; };
    put('enforce', l.el); put('enforce-version', l.ev); put('audit', l.al); put('audit-version', l.av); put('warn', l.wl); put('warn-version', l.wv);
    return out;
  });
  test('fast-check: random levels and versions per mode', () => {
    const seen = new Set<boolean>();
    fc.assert(
      fc.property(fc.oneof(labels, fc.constant({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.30', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'v1.30', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.31' })), (l) => {
        const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: l } };
        const engine = checkObjects([{ object: namespace }], { rules: ['ns-pod-security-labels'] }).findings.length > 0;
        const cel = evaluatePolicy(policy.policies[0], namespace, { params: policy.params }).failures.length > 0;
        expect([JSON.stringify(l), cel]).toEqual([JSON.stringify(l), engine]);
        seen.add(cel);
      }),
      { numRuns: 400, seed: 11 },
    );
    expect([...seen].sort()).toEqual([false, true]);
  });
});

describe('single-object workload rules: CEL agrees with the engine on random workloads', () => {
  const RULES = ['workload-sensitive-host-mount', 'workload-host-access-outside-daemonset', 'workload-privileged-port', 'ns-default-namespace'];
  // Host paths as written: empty and "." segments, trailing slashes, sensitive names and look-alikes ("..": refused by the API).
  const segment = fc.constantFrom('', '.', 'var', 'run', 'lib', 'kubelet', 'docker.sock', 'containerd', 'containerd.sock', 'etc', 'etcx', '.etc', 'data', 'logs', 'usr', 'local', 'proc', 'podman-1.sock', 'x.sock');
  const hostPath = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 5 })).map(([absolute, parts]) => `${absolute ? '/' : ''}${parts.join('/')}`);
  const volume = fc.oneof(
    fc.record({ name: fc.constant('h'), hostPath: fc.record({ path: hostPath }) }),
    fc.constant({ name: 'e', emptyDir: {} }),
    fc.constant({ name: 'n', hostPath: {} }),
  );
  const ports = fc.array(fc.record({ containerPort: fc.constantFrom(0, 80, 443, 1023, 1024, 8080) }), { maxLength: 2 });
  const spec = fc.record({
    containers: fc.array(fc.record({ name: fc.constant('a'), image: fc.constant('a'), ports }), { minLength: 1, maxLength: 2 }),
    volumes: fc.array(volume, { maxLength: 2 }),
    hostNetwork: fc.boolean(),
    hostPID: fc.constantFrom(false, false, true),
    os: fc.constantFrom(undefined, { name: 'linux' }, { name: 'windows' }),
  }).map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));
  const workload = fc.tuple(fc.constantFrom('Pod', 'Deployment', 'DaemonSet', 'CronJob', 'PodTemplate'), spec, fc.constantFrom('app', 'default', undefined), fc.boolean())
    .map(([kind, podSpec, namespace, daemonSetOwned]): K8sObject => {
      const meta = { name: 'w', ...(namespace ? { namespace } : {}) };
      const template = { metadata: { labels: { app: 'w' } }, spec: podSpec };
      switch (kind) {
        case 'Pod': return { apiVersion: 'v1', kind, metadata: { ...meta, ...(daemonSetOwned ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u' }] } : {}) }, spec: podSpec };
        case 'CronJob': return { apiVersion: 'batch/v1', kind, metadata: meta, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } };
        case 'PodTemplate': return { apiVersion: 'v1', kind, metadata: meta, template };
        default: return { apiVersion: 'apps/v1', kind, metadata: meta, spec: { selector: { matchLabels: { app: 'w' } }, template } };
      }
    });

  test('fast-check: host paths, host namespaces, ports, namespaces and DaemonSet ownership', () => {
    expectAgreement(RULES, workload, { numRuns: 500, seed: 5 });
  });
});

describe('network, Service and Secret-in-env rules: CEL agrees with the engine', () => {
  const RULES = ['net-allow-all', 'net-egress-anywhere', 'net-service-exposed', 'workload-secret-env-var'];
  const cidr = fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '::/0', '2001:db8::/32', '192.168.1.0/24', '10.1.2.3/32');
  const peer = fc.oneof(
    // ipBlocks weigh more, so that egress to /0 (rare among all the peer forms) is seen failing too.
    { arbitrary: fc.record({ ipBlock: fc.record({ cidr }) }), weight: 5 },
    fc.constant({ podSelector: {} }),
    fc.constant({ namespaceSelector: { matchLabels: { team: 'a' } } }),
    // Every pod of every namespace, and the forms that narrow it.
    fc.constant({ namespaceSelector: {} }),
    fc.constant({ namespaceSelector: { matchLabels: {} }, podSelector: { matchExpressions: [] } }),
    fc.constant({ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }),
    fc.constant({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }),
  );
  const peers = fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined });
  const ingress = fc.array(fc.record({ from: peers }).map((r) => (r.from ? r : {})), { maxLength: 2 });
  const egress = fc.array(fc.record({ to: peers }).map((r) => (r.to ? r : {})), { maxLength: 2 });
  const networkPolicy = fc.record({
    policyTypes: fc.option(fc.subarray(['Ingress', 'Egress']), { nil: undefined }),
    ingress: fc.option(ingress, { nil: undefined }),
    egress: fc.option(egress, { nil: undefined }),
  }).map((spec): K8sObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'np', namespace: 'app' },
    spec: { podSelector: {}, ...Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) },
  }));
  const service = fc.option(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'), { nil: undefined })
    .map((type): K8sObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'app' }, spec: { ports: [{ port: 80 }], ...(type ? { type } : {}) } }));
  const env = fc.array(fc.oneof(
    fc.constant({ name: 'A', value: 'x' }),
    fc.constant({ name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }),
    fc.constant({ name: 'C', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }),
  ), { maxLength: 2 });
  const envFrom = fc.array(fc.constantFrom({ secretRef: { name: 's' } }, { configMapRef: { name: 'c' } }), { maxLength: 2 });
  const envPod = fc.tuple(env, envFrom, fc.boolean()).map(([e, f, init]): K8sObject => {
    const c = { name: 'a', image: 'a', ...(e.length ? { env: e } : {}), ...(f.length ? { envFrom: f } : {}) };
    return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'app' }, spec: init ? { containers: [{ name: 'b', image: 'b' }], initContainers: [c] } : { containers: [c] } };
  });

  test('fast-check: random NetworkPolicies, Services and pods with Secret references', () => {
    expectAgreement(RULES, fc.oneof(networkPolicy, service, envPod), { numRuns: 500, seed: 9 }, true);
  });
});
