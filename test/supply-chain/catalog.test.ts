import { existsSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { DIGEST, PINNED } from './fixtures';
import { parseImagePolicy } from '../../src/analysis/images/image-policy';
import type { K8sObject } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import { IMAGE_RULES } from '../../src/rules/image';
import { WORKLOAD_RULES } from '../../src/rules/workload';
import { problemsBesidesTypeErrors } from '../util/problems';

const MINE = [...IMAGE_RULES, ...WORKLOAD_RULES];
const MY_IDS = MINE.map((r) => r.id);

describe('catalog entries of the image and workload areas', () => {
  test('are in ALL_RULES with unique, area-prefixed ids matching their file names', () => {
    for (const rule of MINE) {
      expect(ALL_RULES).toContain(rule);
      expect(rule.id.startsWith(`${rule.area}-`)).toBe(true);
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(existsSync(join(__dirname, '../../src/rules', rule.area, `${rule.id.slice(rule.area.length + 1)}.ts`))).toBe(true);
      expect(rule.rationale.length).toBeGreaterThan(80);
      expect(rule.remediation.length).toBeGreaterThan(40);
      expect(Object.keys(rule.references).length).toBeGreaterThan(0);
      expect(rule.level).toBe('restricted');
    }
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
  });

  test('metadata snapshot (ids, severities, kinds, references)', () => {
    const summary = MINE.map((r) => ({ id: r.id, scope: r.scope, severity: r.severity, kinds: r.kinds, references: r.references }));
    // The property that matters: every issue-6 control has a rule, at a severity that reflects the risk.
    expect(summary.find((r) => r.id === 'workload-sensitive-host-mount')?.severity).toBe('critical');
    expect(summary.find((r) => r.id === 'workload-host-access-outside-daemonset')?.kinds).not.toContain('DaemonSet');
    expect(summary).toMatchSnapshot();
  });
});

/** What the hardened constructs emit for a replicated workload: the contract these rules hold them to. */
function hardenedLikeApp(): K8sObject[] {
  const labels = { 'app.kubernetes.io/name': 'web' };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          serviceAccountName: 'web',
          containers: [
            {
              name: 'app',
              image: PINNED,
              imagePullPolicy: 'Always',
              ports: [{ containerPort: 8080, name: 'http' }],
              env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD_FILE', value: '/var/run/secrets/db/password' }],
              volumeMounts: [{ name: 'db', mountPath: '/var/run/secrets/db', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'db', secret: { secretName: 'db', defaultMode: 0o400 } }, { name: 'tmp', emptyDir: {} }],
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
            { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
          ],
        },
      },
    },
  };
  const budget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } };
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: labels, ports: [{ port: 443, targetPort: 8080 }] } };
  return [deployment, budget, service];
}

describe('the hardened constructs\' shape', () => {
  test('is valid Kubernetes and passes every image and workload rule, with and without an image policy', () => {
    const [deployment, budget, service] = hardenedLikeApp();
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
    expect(() => new PodDisruptionBudget(budget as never).validate()).not.toThrow();
    expect(() => new Service(service as never).validate()).not.toThrow();
    const inputs = hardenedLikeApp().map((object) => ({ object }));
    const plain = checkObjects(inputs, { rules: MY_IDS });
    expect(plain.findings).toEqual([]);
    expect(plain.problems).toEqual([]);
    const imagePolicy = parseImagePolicy({
      allowedRegistries: ['registry.example.com'],
      allowedPullPolicies: ['Always'],
      requiredPullSecrets: [{ registry: 'quay.io', secretNames: ['quay'] }],
    });
    expect(checkObjects(inputs, { rules: MY_IDS, settings: { imagePolicy } }).findings).toEqual([]);
  });
});

describe('robustness', () => {
  const json = fc.jsonValue({ maxDepth: 2 });
  const optional = { requiredKeys: [] as never[] };
  const envOrPortEntry = fc.record({ name: json, value: json, valueFrom: json, containerPort: json, secretRef: json, path: json }, optional);
  const field = fc.oneof(json, fc.array(envOrPortEntry, { maxLength: 3 }));
  const containerLike = fc.record(
    { name: json, image: fc.oneof(json, fc.constant(PINNED), fc.constant(`nginx:latest@${DIGEST}`)), imagePullPolicy: json, env: field, envFrom: field, ports: field, hostPath: field, secret: field },
    optional,
  );
  const list = fc.oneof(json, fc.array(containerLike, { maxLength: 3 }));
  const arbitraryPodSpec = fc.record(
    {
      containers: list,
      initContainers: list,
      volumes: list,
      hostNetwork: json,
      imagePullSecrets: list,
      topologySpreadConstraints: list,
      affinity: json,
      os: json,
      serviceAccountName: json,
    },
    optional,
  );

  test('no rule of these areas throws on arbitrary pod specs, budgets, autoscalers and Services', () => {
    fc.assert(
      fc.property(arbitraryPodSpec, json, json, json, (podSpec, replicas, pdbSpec, serviceSpec) => {
        const objects: K8sObject[] = [
          { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas, template: { metadata: { labels: { a: 'b' } }, spec: podSpec } } },
          { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ownerReferences: replicas }, spec: podSpec },
          { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b' }, spec: pdbSpec },
          { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: replicas } },
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: serviceSpec },
        ];
        const inputs = objects.map((object) => ({ object }));
        const result = checkObjects(inputs, {
          rules: MY_IDS,
          settings: { imagePolicy: { allowedRegistries: ['x.io'], allowedRepositories: ['docker.io/library/*'], requiredPullSecrets: [{ registry: 'docker.io', secretNames: ['s'] }] } },
        });
        expect(problemsBesidesTypeErrors(inputs, result)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
