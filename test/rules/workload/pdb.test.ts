import { deployment, paths, pdb, run, waive } from '../../supply-chain/fixtures';

const MISSING = 'workload-pdb-missing';
const NO_DISRUPTION = 'workload-pdb-no-disruption';
const hpa = (max: number, min?: number) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: max, ...(min ? { minReplicas: min } : {}) },
});
const statefulSet = (replicas: number) => ({ ...deployment({ replicas }), kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' } });

describe('workload-pdb-missing', () => {
  test('single-replica workloads need no budget', () => {
    expect(paths(MISSING, [deployment(), deployment({ replicas: 1 })])).toEqual([]);
  });

  test('a replicated Deployment or StatefulSet without a selecting budget fails', () => {
    const result = run(MISSING, [deployment({ replicas: 3 }), statefulSet(2)]);
    expect(result.findings.map((f) => [f.kind, f.path, f.message])).toEqual([
      ['Deployment', 'spec.replicas', 'Deployment "web" runs up to 3 replicas but no PodDisruptionBudget in the scanned input selects its pods'],
      ['StatefulSet', 'spec.replicas', 'StatefulSet "db" runs up to 2 replicas but no PodDisruptionBudget in the scanned input selects its pods'],
    ]);
  });

  test('a budget selecting the pods (labels or expressions, same or unset namespace) passes', () => {
    const twoLabels = deployment({ replicas: 3 });
    const template = (twoLabels.spec as { template: { metadata: { labels: Record<string, string> } } }).template;
    template.metadata.labels = { app: 'web', tier: 'front' };
    expect(paths(MISSING, [twoLabels, pdb({ maxUnavailable: 1, selector: { matchLabels: { tier: 'front', app: 'web' } } })])).toEqual([]);
    expect(paths(MISSING, [twoLabels, pdb({ maxUnavailable: 1, selector: { matchLabels: { tier: 'front', app: 'api' } } })])).toEqual(['spec.replicas']);
    expect(paths(MISSING, [deployment({ replicas: 3 }), pdb({ maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } })])).toEqual([]);
    const expressions = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] };
    expect(paths(MISSING, [deployment({ replicas: 3 }), pdb({ maxUnavailable: 1, selector: expressions })])).toEqual([]);
    expect(paths(MISSING, [deployment({ replicas: 3 }), pdb({ maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }, 'web', undefined)])).toEqual([]);
  });

  test('a budget in another namespace, with another selector, or a null selector does not count', () => {
    const other = [
      pdb({ maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }, 'a', 'elsewhere'),
      pdb({ maxUnavailable: 1, selector: { matchLabels: { app: 'api' } } }, 'b'),
      pdb({ maxUnavailable: 1 }, 'c'),
      pdb({ maxUnavailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'Bogus' }] } }, 'd'),
    ];
    expect(paths(MISSING, [deployment({ replicas: 3 }), ...other])).toEqual(['spec.replicas']);
  });

  test('an autoscaler that may scale above one replica makes the workload replicated', () => {
    expect(run(MISSING, [deployment(), hpa(5)]).findings.map((f) => [f.path, f.message])).toEqual([
      ['spec', 'Deployment "web" runs up to 5 replicas but no PodDisruptionBudget in the scanned input selects its pods'],
    ]);
    expect(paths(MISSING, [deployment(), hpa(1)])).toEqual([]);
  });

  test('not judged on an incomplete set; waivable', () => {
    expect(paths(MISSING, [deployment({ replicas: 3 })], { settings: { completeSet: false } })).toEqual([]);
    expect(run(MISSING, [deployment({ replicas: 3, annotations: waive(MISSING) })]).waived).toHaveLength(1);
  });
});

describe('workload-pdb-no-disruption', () => {
  const selector = { matchLabels: { app: 'web' } };

  test.each([
    [{ maxUnavailable: 1, selector }],
    [{ maxUnavailable: '25%', selector }],
    [{ minAvailable: 2, selector }],
    [{ minAvailable: '50%', selector }],
  ])('%j passes against 3 replicas', (spec) => {
    expect(paths(NO_DISRUPTION, [deployment({ replicas: 3 }), pdb(spec)])).toEqual([]);
  });

  test('maxUnavailable 0 and 0% fail', () => {
    expect(paths(NO_DISRUPTION, [pdb({ maxUnavailable: 0, selector })])).toEqual(['spec.maxUnavailable']);
    expect(paths(NO_DISRUPTION, [pdb({ maxUnavailable: '0%', selector })])).toEqual(['spec.maxUnavailable']);
  });

  test('minAvailable 100% or at least the replica count fails, naming the workload', () => {
    expect(paths(NO_DISRUPTION, [pdb({ minAvailable: '100%', selector })])).toEqual(['spec.minAvailable']);
    const result = run(NO_DISRUPTION, [deployment({ replicas: 3 }), pdb({ minAvailable: 3, selector })]);
    expect(result.findings.map((f) => [f.kind, f.path, f.message])).toEqual([
      ['PodDisruptionBudget', 'spec.minAvailable', 'PodDisruptionBudget "web" has minAvailable 3 but Deployment "web" runs 3 replica(s): no pod may be evicted'],
    ]);
  });

  test('budgets selecting by expressions or selecting everything ({}) are compared with every workload they select', () => {
    const expressions = { matchExpressions: [{ key: 'app', operator: 'Exists' }] };
    expect(paths(NO_DISRUPTION, [deployment({ replicas: 2 }), pdb({ minAvailable: 2, selector: expressions })])).toEqual(['spec.minAvailable']);
    const everything = run(NO_DISRUPTION, [deployment({ replicas: 2 }), statefulSet(5), pdb({ minAvailable: 2, selector: {} })]);
    expect(everything.findings.map((f) => f.message)).toEqual([
      'PodDisruptionBudget "web" has minAvailable 2 but Deployment "web" runs 2 replica(s): no pod may be evicted',
    ]);
    const otherNamespace = pdb({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } }, 'web', 'elsewhere');
    expect(paths(NO_DISRUPTION, [deployment({ replicas: 2 }), otherNamespace])).toEqual([]);
  });

  test('a workload scaled to zero is not blocked by minAvailable', () => {
    expect(paths(NO_DISRUPTION, [deployment({ replicas: 0 }), pdb({ minAvailable: 1, selector })])).toEqual([]);
  });

  test('minAvailable is compared with the autoscaler minimum when replicas is unset', () => {
    expect(paths(NO_DISRUPTION, [deployment(), hpa(5, 2), pdb({ minAvailable: 2, selector })])).toEqual(['spec.minAvailable']);
    expect(paths(NO_DISRUPTION, [deployment(), hpa(5, 3), pdb({ minAvailable: 2, selector })])).toEqual([]);
  });

  test('malformed budgets do not throw', () => {
    expect(paths(NO_DISRUPTION, [pdb({ minAvailable: { x: 1 }, maxUnavailable: [0], selector: 'app=web' }), { ...pdb({}), spec: 'x' }])).toEqual([]);
  });
});
