import { pod, violations } from './support';

const ID = 'pod-run-as-high-uid';

describe(ID, () => {
  test('passes IDs >= 10000 inherited from the pod or set on the container', () => {
    expect(violations(ID, pod({ securityContext: { runAsUser: 10000, runAsGroup: 10001 }, containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsUser: 20000 } }] }))).toEqual([]);
  });

  test('reports missing IDs at the container, where they should be set', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a' }] }))).toEqual([
      { path: 'spec.containers[0].securityContext.runAsUser', message: 'container "a" has no runAsUser (set it to 10000 or more)' },
      { path: 'spec.containers[0].securityContext.runAsGroup', message: 'container "a" has no runAsGroup (set it to 10000 or more)' },
    ].sort((x, y) => (x.path < y.path ? -1 : 1)));
  });

  test('a low pod value is reported at the pod path for each container that inherits it', () => {
    const spec = { securityContext: { runAsUser: 1000, runAsGroup: 10000 }, containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsUser: 10001 } }], initContainers: [{ name: 'i' }] };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.securityContext.runAsUser', message: 'container "a" runs with runAsUser 1000 from the pod securityContext (it must be an integer >= 10000)' },
      { path: 'spec.securityContext.runAsUser', message: 'init container "i" runs with runAsUser 1000 from the pod securityContext (it must be an integer >= 10000)' },
    ]);
  });

  test('the container value wins over the pod value, in both directions', () => {
    const spec = { securityContext: { runAsUser: 10000, runAsGroup: 10000 }, containers: [{ name: 'a', securityContext: { runAsGroup: 0 } }] };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].securityContext.runAsGroup', message: 'container "a" runs with runAsGroup 0 from its securityContext (it must be an integer >= 10000)' },
    ]);
  });

  test('non-integer values are reported', () => {
    expect(violations(ID, pod({ securityContext: { runAsUser: '20000', runAsGroup: 10000.5 }, containers: [{ name: 'a' }] })).map((v) => v.message)).toEqual([
      'container "a" runs with runAsGroup 10000.5 from the pod securityContext (it must be an integer >= 10000)',
      'container "a" runs with runAsUser "20000" from the pod securityContext (it must be an integer >= 10000)',
    ]);
  });

  test('Windows pods are exempt (the fields are Linux-only)', () => {
    expect(violations(ID, pod({ os: { name: 'windows' }, containers: [{ name: 'a' }] }))).toEqual([]);
  });
});
