/**
 * Property tests: whatever objects come in, the engine, the type checks and every reporter finish without
 * throwing, and every rule evaluates (a rule that throws on odd input is reported as a problem, and is a bug).
 */
import * as fc from 'fast-check';
import type { CheckInput, K8sObject } from '../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects, selectRules } from '../../src/engine/engine';
import { parseManifests } from '../../src/engine/load';
import { shapeErrors } from '../../src/engine/shape';
import { FORMATS, render } from '../../src/report';
import { renderPosture } from '../../src/report/posture';
import { ALL_RULES } from '../../src/rules';
import { WORKLOAD_KINDS } from '../../src/rules/rule';

// Values a YAML or JSON parser can produce (js-yaml also yields Dates for timestamps).
const junk: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.date({ noInvalidDate: true }));
/** A well-typed value most of the time, otherwise junk or absent. */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.constant(undefined) });
const record = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.record(fields, { requiredKeys: [] });

const profile = record({ type: maybe(fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined')), localhostProfile: maybe(fc.string()) });
const securityContext = record({
  privileged: maybe(fc.boolean()),
  allowPrivilegeEscalation: maybe(fc.boolean()),
  readOnlyRootFilesystem: maybe(fc.boolean()),
  runAsNonRoot: maybe(fc.boolean()),
  runAsUser: maybe(fc.integer({ min: -1, max: 70000 })),
  runAsGroup: maybe(fc.integer({ min: -1, max: 70000 })),
  capabilities: maybe(record({ add: maybe(fc.array(maybe(fc.constantFrom('ALL', 'NET_ADMIN', 'SYS_ADMIN', 'NET_BIND_SERVICE')))), drop: maybe(fc.array(maybe(fc.constantFrom('ALL', 'NET_RAW')))) })),
  seccompProfile: maybe(profile),
  appArmorProfile: maybe(profile),
  procMount: maybe(fc.constantFrom('Default', 'Unmasked')),
});
const container = record({
  name: maybe(fc.string({ maxLength: 8 })),
  image: maybe(fc.constantFrom('nginx', 'nginx:latest', 'registry.example.com/app@sha256:0123', 'docker.io/library/redis:7')),
  securityContext: maybe(securityContext),
  ports: maybe(
    fc.array(maybe(record({ containerPort: maybe(fc.integer()), hostPort: maybe(fc.integer({ min: 0, max: 65535 })) })), { maxLength: 2 }),
  ),
  resources: maybe(record({ limits: maybe(fc.dictionary(fc.constantFrom('cpu', 'memory'), fc.string())), requests: maybe(fc.dictionary(fc.constantFrom('cpu', 'memory'), fc.string())) })),
});
const podSpec = record({
  containers: maybe(fc.array(maybe(container), { maxLength: 3 })),
  initContainers: maybe(fc.array(maybe(container), { maxLength: 2 })),
  ephemeralContainers: maybe(fc.array(maybe(container), { maxLength: 1 })),
  securityContext: maybe(
    record({
      runAsNonRoot: maybe(fc.boolean()),
      runAsUser: maybe(fc.integer()),
      seccompProfile: maybe(profile),
      sysctls: maybe(fc.array(maybe(record({ name: maybe(fc.string()), value: maybe(fc.string()) })))),
    }),
  ),
  hostNetwork: maybe(fc.boolean()),
  hostPID: maybe(fc.boolean()),
  hostIPC: maybe(fc.boolean()),
  automountServiceAccountToken: maybe(fc.boolean()),
  serviceAccountName: maybe(fc.constantFrom('default', 'app')),
  volumes: maybe(fc.array(maybe(record({ name: maybe(fc.string()), hostPath: maybe(record({ path: maybe(fc.string()) })) })), { maxLength: 2 })),
  os: maybe(record({ name: maybe(fc.constantFrom('linux', 'windows')) })),
});
const waivers = fc.oneof(
  fc.constant(JSON.stringify([{ ruleId: 'pod-privileged', reason: 'a reason that is long enough' }])),
  fc.json(),
  fc.string(),
);
const metadata = record({
  name: maybe(fc.string({ maxLength: 8 })),
  namespace: maybe(fc.constantFrom('default', 'shop', 'kube-system')),
  labels: maybe(fc.dictionary(fc.string({ maxLength: 4 }), maybe(fc.string({ maxLength: 4 })))),
  annotations: maybe(record({ [WAIVERS_ANNOTATION]: maybe(waivers) })),
});
const template = record({ metadata: maybe(metadata), spec: maybe(podSpec) });
const kind = fc.constantFrom(...WORKLOAD_KINDS, 'Service', 'Namespace', 'NetworkPolicy', 'Role', 'ClusterRoleBinding', 'ServiceAccount', 'Ingress', 'FooBar');
const k8sObject: fc.Arbitrary<unknown> = record({
  apiVersion: maybe(fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1')),
  kind: maybe(kind),
  metadata: maybe(metadata),
  spec: maybe(
    record({
      template: maybe(template),
      jobTemplate: maybe(record({ spec: maybe(record({ template: maybe(template) })) })),
      containers: maybe(fc.array(maybe(container), { maxLength: 2 })),
      type: maybe(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer')),
      podSelector: maybe(junk),
      policyTypes: maybe(fc.array(maybe(fc.constantFrom('Ingress', 'Egress')))),
    }),
  ),
  template: maybe(template),
  rules: maybe(fc.array(maybe(record({ verbs: maybe(fc.array(maybe(fc.constantFrom('*', 'get', 'create')))), resources: maybe(fc.array(maybe(fc.constantFrom('*', 'pods', 'secrets')))) })), { maxLength: 2 })),
  subjects: maybe(fc.array(maybe(record({ kind: maybe(fc.constantFrom('ServiceAccount', 'User')), name: maybe(fc.string()) })), { maxLength: 2 })),
  roleRef: maybe(record({ kind: maybe(fc.constantFrom('ClusterRole', 'Role')), name: maybe(fc.constantFrom('cluster-admin', 'view')) })),
});
const anyInput: fc.Arbitrary<unknown> = fc.oneof({ weight: 5, arbitrary: k8sObject }, { weight: 1, arbitrary: junk });

const RUNS = { numRuns: 300, seed: 20261123 };

test('the engine never throws and every rule evaluates on arbitrary objects', () => {
  fc.assert(
    fc.property(fc.array(anyInput, { minLength: 1, maxLength: 6 }), fc.constantFrom<'baseline' | 'restricted'>('baseline', 'restricted'), (objects, level) => {
      const inputs: CheckInput[] = objects.map((object, i) => ({ object: object as K8sObject, source: { file: 'fuzz.yaml', line: i + 1 } }));
      const result = checkObjects(inputs, { level });
      const crashed = result.problems.filter((p) => p.message.includes('could not evaluate'));
      expect(crashed).toEqual([]);
      for (const f of [...result.findings, ...result.waived]) {
        expect(typeof f.ruleId).toBe('string');
        expect(typeof f.message).toBe('string');
        expect(typeof f.path).toBe('string');
      }
      // The type checks and every reporter cope with whatever the engine produced.
      for (const input of inputs) if (input.object && typeof input.object === 'object' && !Array.isArray(input.object)) shapeErrors(input.object);
      const report = { result, inputs, rules: selectRules({ level }), toolVersion: '0.0.0' };
      for (const format of FORMATS) expect(typeof render(format, report)).toBe('string');
      JSON.parse(render('sarif', report));
      // The RBAC and network analyses read the same objects: a failure would show in their sections.
      expect(renderPosture(report)).not.toContain('could not be computed');
    }),
    RUNS,
  );
});

test('the catalog is complete enough to exercise: at least one rule runs at each level', () => {
  expect(selectRules({ level: 'baseline' }).length).toBeGreaterThan(0);
  expect(ALL_RULES.length).toBeGreaterThan(0);
});

test('the loader never throws on arbitrary text', () => {
  const yamlish = fc.array(fc.constantFrom('---\n', '...\n', 'a: 1\n', '- x\n', '  b: [\n', '&a x\n', '*a\n', '{', '}', '"', "'", '#c\n', '%YAML 1.2\n', 'kind: List\nitems:\n', '\t', '\r\n', '\ufeff', 'kind: Pod\n', '? k\n', '|\n'), { maxLength: 30 });
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), yamlish.map((parts) => parts.join(''))), fc.constantFrom('x.yaml', 'x.json'), (text, file) => {
      const parsed = parseManifests(text, file);
      expect(parsed.inputs.length + parsed.problems.length).toBeGreaterThan(0);
      for (const p of parsed.problems) expect(p.message.startsWith(file)).toBe(true);
    }),
    { numRuns: 500, seed: 20261123 },
  );
});
