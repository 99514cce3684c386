import { pod, violations } from './support';

const ID = 'pod-run-as-user';

describe(ID, () => {
  test('passes unset and non-zero UIDs', () => {
    expect(violations(ID, pod({ securityContext: { runAsUser: 1000 }, containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsUser: 1 } }] }))).toEqual([]);
  });

  test('reports runAsUser 0 at pod and container level', () => {
    const spec = { securityContext: { runAsUser: 0 }, containers: [{ name: 'a', securityContext: { runAsUser: 0 } }], initContainers: [{ name: 'i', securityContext: { runAsUser: 5 } }] };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].securityContext.runAsUser', message: 'container "a" runs as root (runAsUser: 0)' },
      { path: 'spec.securityContext.runAsUser', message: 'pod runs as root (runAsUser: 0)' },
    ]);
  });

  test('a non-integer UID is reported', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a', securityContext: { runAsUser: '0' } }] }))[0].message).toBe(
      'container "a" sets securityContext.runAsUser to "0", which is not an integer',
    );
  });

  test('pods in a user namespace are exempt', () => {
    expect(violations(ID, pod({ hostUsers: false, securityContext: { runAsUser: 0 }, containers: [{ name: 'a' }] }))).toEqual([]);
  });
});
