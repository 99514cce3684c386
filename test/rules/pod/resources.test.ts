import { pod, violations } from './support';

const full = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } };

describe.each([
  ['pod-resource-requests', 'requests', 'request'],
  ['pod-resource-limits', 'limits', 'limit'],
] as const)('%s', (id, section, noun) => {
  test('passes regular and init containers with cpu and memory set (numbers included)', () => {
    expect(violations(id, pod({ containers: [{ name: 'a', resources: full }], initContainers: [{ name: 'i', resources: full }] }))).toEqual([]);
  });

  test('reports each missing resource of regular and init containers, not of ephemeral ones', () => {
    const spec = {
      containers: [{ name: 'a', resources: { [section]: { cpu: '1' } } }],
      initContainers: [{ name: 'i' }],
      ephemeralContainers: [{ name: 'e' }],
    };
    expect(violations(id, pod(spec))).toEqual([
      { path: `spec.containers[0].resources.${section}.memory`, message: `container "a" has no memory ${noun}` },
      { path: `spec.initContainers[0].resources.${section}.cpu`, message: `init container "i" has no cpu ${noun}` },
      { path: `spec.initContainers[0].resources.${section}.memory`, message: `init container "i" has no memory ${noun}` },
    ]);
  });

  test('empty strings and wrong types are not quantities', () => {
    expect(violations(id, pod({ containers: [{ name: 'a', resources: { [section]: { cpu: '', memory: {} } } }] }))).toEqual([
      { path: `spec.containers[0].resources.${section}.cpu`, message: `container "a" sets resources.${section}.cpu to "", which is not a quantity` },
      { path: `spec.containers[0].resources.${section}.memory`, message: `container "a" sets resources.${section}.memory to {}, which is not a quantity` },
    ]);
  });

  test('pod-level resources (spec.resources) cover every container', () => {
    expect(violations(id, pod({ resources: { [section]: { cpu: '1', memory: '1Gi' } }, containers: [{ name: 'a' }], initContainers: [{ name: 'i' }] }))).toEqual([]);
  });
});
