import { deployment, paths, run } from '../../supply-chain/fixtures';

const ID = 'workload-spread-or-anti-affinity';
const self = { matchLabels: { app: 'web' } };
const PATH = 'spec.template.spec.topologySpreadConstraints';

describe('workload-spread-or-anti-affinity', () => {
  test('single replicas need no spreading', () => {
    expect(paths(ID, [deployment({ replicas: 1 })])).toEqual([]);
  });

  test('a replicated workload without spreading fails', () => {
    expect(run(ID, [deployment({ replicas: 3 })]).findings.map((f) => [f.path, f.message])).toEqual([
      [PATH, 'Deployment "web" is replicated but has no topology spread constraint or pod anti-affinity that selects its own pods'],
    ]);
  });

  test('a spread constraint or anti-affinity selecting its own pods passes', () => {
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: self }] };
    expect(paths(ID, [deployment({ replicas: 3, pod: spread })])).toEqual([]);
    const required = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: self }] } } };
    expect(paths(ID, [deployment({ replicas: 3, pod: required })])).toEqual([]);
    const preferred = {
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: self } }] } },
    };
    expect(paths(ID, [deployment({ replicas: 3, pod: preferred })])).toEqual([]);
  });

  test('constraints that select other pods or lack a topology key do not count', () => {
    const others = { topologySpreadConstraints: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'api' } } }, { labelSelector: self }] };
    expect(paths(ID, [deployment({ replicas: 3, pod: others })])).toEqual([PATH]);
    expect(paths(ID, [deployment({ replicas: 3, pod: { topologySpreadConstraints: 'x', affinity: [] } })])).toEqual([PATH]);
  });
});
