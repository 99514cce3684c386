/**
 * The workload-kinds table (src/core/workload-kinds.ts) is the only list of kinds that run pods. These tests
 * iterate it, so a new row is judged by the pod rules, seen by the views, matched by the admission policies and
 * given the availability rules its traits promise without another edit; and they show that the CRD rows
 * (DeploymentConfig, Rollout) get the cross-object rules, which read kinds from the table.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { analyzeReachability } from '../../src/analysis/network/reachability';
import type { K8sObject } from '../../src/core/types';
import { viewObject, viewPod } from '../../src/core/views';
import { runsToCompletion, WORKLOAD_KIND_TABLE, WorkloadKind, workloadKind, WORKLOAD_KINDS } from '../../src/core/workload-kinds';
import { checkObjects } from '../../src/engine/engine';
import { shapeErrors } from '../../src/engine/shape';
import { ALL_RULES, findRule } from '../../src/rules';
import { buildPolicy } from '../../src/rules/kit/admission-policy';
import { evaluatePolicy, policyMatchesKind } from '../admission/cel-harness';
import { RULE_FIXTURES } from '../rules/rule-tests';

const IMAGE = `registry.example.com/team/app@sha256:${'ab'.repeat(32)}`;
const PRIVILEGED_POD = { containers: [{ name: 'app', image: IMAGE, securityContext: { privileged: true } }] };

function apiVersionOf(row: WorkloadKind): string {
  return row.group ? `${row.group}/${row.version}` : row.version;
}

/** JSON path prefix of the pod (template) in an object of the row (`spec.template.`, `` for a Pod). */
function prefixOf(row: WorkloadKind): string {
  return row.templatePath.map((key) => `${key}.`).join('');
}

/** A minimal object of the row's kind whose pod (template) has the spec and labels, with `replicas` when scalable. */
interface ObjectOptions {
  readonly name?: string;
  readonly replicas?: number;
  readonly labels?: Record<string, string>;
}

function objectOf(row: WorkloadKind, podSpec: object, options: ObjectOptions = {}): K8sObject {
  const labels = options.labels ?? { app: 'web' };
  const object: K8sObject = { apiVersion: apiVersionOf(row), kind: row.kind, metadata: { name: options.name ?? 'web', namespace: 'shop' } };
  if (row.templatePath.length === 0) {
    (object.metadata as Record<string, unknown>).labels = labels;
    object.spec = podSpec;
    return object;
  }
  let holder: Record<string, unknown> = object;
  row.templatePath.forEach((key, i) => {
    const last = i === row.templatePath.length - 1;
    holder[key] = last ? { metadata: { labels }, spec: podSpec } : (holder[key] ?? {});
    holder = holder[key] as Record<string, unknown>;
  });
  if (row.scalable) Object.assign(object.spec as object, { replicas: options.replicas ?? 3, selector: { matchLabels: labels } });
  return object;
}

function findingsOf(ruleId: string, objects: K8sObject[]) {
  const result = checkObjects(objects.map((object) => ({ object })), { rules: [ruleId] });
  expect(result.problems).toEqual([]);
  return result.findings.map((f) => `${f.kind}/${f.name} ${f.path}`);
}

describe('adding a workload kind is one row of the table', () => {
  test('the table has one row per kind and the pod rules default to all of them', () => {
    const kinds = WORKLOAD_KIND_TABLE.map((r) => r.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(WORKLOAD_KINDS).toEqual(kinds);
    expect(findRule('pod-privileged')!.kinds).toEqual(kinds);
  });

  describe.each(WORKLOAD_KIND_TABLE.map((row) => [row.kind, row] as const))('%s', (_kind, row) => {
    const object = objectOf(row, PRIVILEGED_POD);
    const privilegedPath = `${prefixOf(row)}spec.containers[0].securityContext.privileged`;

    test('(a) pod-privileged finds the privileged container at the row\'s template path', () => {
      expect(findingsOf('pod-privileged', [object])).toEqual([`${row.kind}/web ${privilegedPath}`]);
    });

    test('(b) the views see its containers, labels and paths', () => {
      const pod = viewPod(viewObject(object))!;
      expect(pod.judgedAs).toBe(row.kind);
      expect(pod.specPath).toBe(`${prefixOf(row)}spec`);
      expect(pod.metadataPath).toBe(`${prefixOf(row)}metadata`);
      expect(pod.labels).toEqual({ app: 'web' });
      expect(pod.containers.map((c) => `${c.name} ${c.path}`)).toEqual([`app ${prefixOf(row)}spec.containers[0]`]);
    });

    test('(c) the pod-privileged admission policy matches its group/resource and denies it', () => {
      const policy = buildPolicy(findRule('pod-privileged')!);
      const rules = (policy.spec as any).matchConstraints.resourceRules as Array<{ apiGroups: string[]; apiVersions: string[]; resources: string[] }>;
      const covers = (r: (typeof rules)[number]) =>
        r.apiGroups.includes(row.group) && r.apiVersions.includes(row.version) && row.resources.every((res) => r.resources.includes(res));
      expect(rules.some(covers)).toBe(true);
      const verdict = evaluatePolicy(policy, object);
      expect(verdict.matched).toBe(true);
      expect(verdict.failures).toHaveLength(1);
      expect(evaluatePolicy(policy, objectOf(row, { containers: [{ name: 'app', image: IMAGE }] })).failures).toEqual([]);
    });

    test('(d) a replicated row gets workload-pdb-missing at 3 replicas; node agents and other rows do not', () => {
      const found = findingsOf('workload-pdb-missing', [objectOf(row, { containers: [{ name: 'app', image: IMAGE }] })]);
      expect(found).toEqual(row.replicated ? [`${row.kind}/web spec.replicas`] : []);
      if (row.nodeAgent) expect(row.replicated).toBe(false);
    });

    test('(e) the shape check types the pod spec at the row\'s template path', () => {
      const errors = shapeErrors(objectOf(row, { containers: [{ name: 'app', image: IMAGE, securityContext: { privileged: 'true' } }] }));
      expect(errors).toHaveLength(1);
      expect(errors[0].startsWith(`${privilegedPath} must be a boolean`)).toBe(true);
    });
  });

  test('runs to completion: Jobs and CronJobs always, a bare Pod by restartPolicy, the others never', () => {
    expect(WORKLOAD_KIND_TABLE.filter((r) => runsToCompletion(r.kind, {})).map((r) => r.kind)).toEqual(['Job', 'CronJob']);
    expect(runsToCompletion('Pod', { restartPolicy: 'Never' })).toBe(true);
    expect(runsToCompletion('Pod', { restartPolicy: 'OnFailure' })).toBe(true);
    expect(runsToCompletion('Pod', { restartPolicy: 'Always' })).toBe(false);
    expect(runsToCompletion('Deployment', { restartPolicy: 'Never' })).toBe(false);
    expect(runsToCompletion('Certificate', {})).toBe(false);
  });

  test('probes are asked of long-running rows only (the trait, not a list)', () => {
    const noProbe = { containers: [{ name: 'app', image: IMAGE }] };
    const judged = WORKLOAD_KIND_TABLE.filter((row) => findingsOf('pod-readiness-probe', [objectOf(row, noProbe)]).length > 0).map((r) => r.kind);
    expect(judged).toEqual(WORKLOAD_KIND_TABLE.filter((r) => r.runsPods && r.completion !== 'always').map((r) => r.kind));
  });
});

/** The rows that are custom resources (outside the core, apps and batch groups): DeploymentConfig and Rollout. */
const CRD_ROWS = WORKLOAD_KIND_TABLE.filter((r) => !['', 'apps', 'batch'].includes(r.group));

describe('custom-resource workload kinds get the cross-object rules', () => {
  test('the CRD rows are the ones the library knows', () => {
    expect(CRD_ROWS.map((r) => `${apiVersionOf(r)} ${r.kind}`)).toEqual(['apps.openshift.io/v1 DeploymentConfig', 'argoproj.io/v1alpha1 Rollout']);
  });

  /** A rule's fixture with its Deployment turned into the row's kind. */
  function fixtureAs(row: WorkloadKind, ruleId: string, file: 'fail.yaml' | 'pass.yaml'): K8sObject[] {
    const objects = yaml.loadAll(fs.readFileSync(path.join(RULE_FIXTURES, ruleId, file), 'utf8')) as K8sObject[];
    expect(objects.filter((o) => o.kind === 'Deployment')).toHaveLength(1);
    return objects.map((o) => (o.kind === 'Deployment' ? { ...o, apiVersion: apiVersionOf(row), kind: row.kind } : o));
  }

  describe.each(CRD_ROWS.map((row) => [row.kind, row] as const))('%s', (kind, row) => {
    test.each([
      ['net-workload-not-selected', `${kind}/api spec.template.metadata.labels`],
      ['net-policy-selects-nothing', 'NetworkPolicy/api spec.podSelector'],
      ['image-signature-covered', `${kind}/web spec.template.spec.containers[1].image`],
    ])('%s: the fixture with a %s fails and passes as with a Deployment', (ruleId, finding) => {
      expect(findingsOf(ruleId, fixtureAs(row, ruleId, 'fail.yaml'))).toEqual([finding]);
      expect(findingsOf(ruleId, fixtureAs(row, ruleId, 'pass.yaml'))).toEqual([]);
    });

    const plain = { containers: [{ name: 'app', image: IMAGE }] };
    const budget = (selector: object, extra: object = { maxUnavailable: 1 }): K8sObject => ({
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { selector, ...extra },
    });

    test('workload-pdb-missing', () => {
      expect(findingsOf('workload-pdb-missing', [objectOf(row, plain)])).toEqual([`${kind}/web spec.replicas`]);
      expect(findingsOf('workload-pdb-missing', [objectOf(row, plain), budget({ matchLabels: { app: 'web' } })])).toEqual([]);
    });

    test('workload-pdb-no-disruption compares minAvailable with its replicas', () => {
      expect(findingsOf('workload-pdb-no-disruption', [objectOf(row, plain), budget({ matchLabels: { app: 'web' } }, { minAvailable: 3 })])).toEqual([
        'PodDisruptionBudget/web spec.minAvailable',
      ]);
      expect(findingsOf('workload-pdb-no-disruption', [objectOf(row, plain), budget({ matchLabels: { app: 'web' } }, { minAvailable: 2 })])).toEqual([]);
    });

    test('workload-spread-or-anti-affinity', () => {
      expect(findingsOf('workload-spread-or-anti-affinity', [objectOf(row, plain)])).toEqual([`${kind}/web spec.template.spec.topologySpreadConstraints`]);
      const spread = { ...plain, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }] };
      expect(findingsOf('workload-spread-or-anti-affinity', [objectOf(row, spread)])).toEqual([]);
    });

    test('workload-shared-service-account', () => {
      const binding: K8sObject = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'operator', namespace: 'shop' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secrets-writer' },
        subjects: [{ kind: 'ServiceAccount', name: 'operator', namespace: 'shop' }],
      };
      const debug: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: { serviceAccountName: 'operator', ...plain } };
      const workload = objectOf(row, { serviceAccountName: 'operator', ...plain });
      expect(findingsOf('workload-shared-service-account', [workload, debug, binding]).sort()).toEqual([
        `${kind}/web spec.template.spec.serviceAccountName`,
        'Pod/debug spec.serviceAccountName',
      ].sort());
      expect(findingsOf('workload-shared-service-account', [workload, binding])).toEqual([]);
    });

    test('network reachability models its pods', () => {
      const denyAll: K8sObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
      const isolation = (objects: K8sObject[]) => analyzeReachability(objects).isolation.map((i) => `${i.workload} ${i.ingressIsolated}`);
      expect(isolation([objectOf(row, plain)])).toEqual([`${kind}/shop/web false`]);
      expect(isolation([objectOf(row, plain), denyAll])).toEqual([`${kind}/shop/web true`]);
    });

    test('every pod rule\'s admission policy matches it', () => {
      const unmatched = ALL_RULES.filter((r) => r.scope === 'pod' && r.admission && r.kinds.includes('Deployment'))
        .filter((r) => !policyMatchesKind(buildPolicy(r), kind))
        .map((r) => r.id);
      expect(unmatched).toEqual([]);
    });
  });

  test.each(CRD_ROWS.map((row) => [row.kind, row] as const))('test/fixtures/workload-kinds/%s.yaml: a realistic manifest is read at the row\'s path', (kind, row) => {
    const file = path.join(__dirname, '..', 'fixtures', 'workload-kinds', `${kind}.yaml`);
    const objects = (yaml.loadAll(fs.readFileSync(file, 'utf8')) as K8sObject[]).filter((o) => o.kind === kind);
    expect(objects.length).toBeGreaterThan(0);
    const result = checkObjects(objects.map((object) => ({ object, source: { file } })), { level: 'restricted' });
    expect(result.problems).toEqual([]);
    for (const object of objects) {
      const pod = viewPod(viewObject(object));
      const name = String((object.metadata as { name: string }).name);
      const podFindings = result.findings.filter((f) => f.name === name && findRule(f.ruleId)!.scope === 'pod');
      if (!pod) {
        // Only a kind whose template may be absent has an object without a pod spec; no pod rule judges it.
        expect(row.templateOptional).toBe(true);
        expect(podFindings).toEqual([]);
        continue;
      }
      expect(pod.containers.length).toBeGreaterThan(0);
      expect(pod.containers.every((c) => c.path.startsWith(`${prefixOf(row)}spec.`))).toBe(true);
      // Not hardened: the pod rules report it, under its own kind.
      expect(podFindings.map((f) => f.kind)).toContain(kind);
    }
  });

  test('a Rollout with spec.workloadRef has no pod spec of its own: no pod view, no pod policy match', () => {
    const row = workloadKind('Rollout')!;
    const rollout: K8sObject = {
      apiVersion: apiVersionOf(row),
      kind: 'Rollout',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { replicas: 3, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
    };
    expect(viewPod(viewObject(rollout))).toBeUndefined();
    expect(evaluatePolicy(buildPolicy(findRule('pod-privileged')!), rollout)).toEqual({ matched: false, failures: [] });
    // A DeploymentConfig without a template is still judged (its schema requires one): an empty pod spec.
    expect(viewPod(viewObject({ apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'dc' }, spec: {} }))?.specPath).toBe('spec.template.spec');
  });
});
