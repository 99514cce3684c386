import { pod, violations } from './support';

const ID = 'pod-run-as-non-root';

describe(ID, () => {
  test('a pod-level true covers every container', () => {
    expect(violations(ID, pod({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'a' }], initContainers: [{ name: 'i' }] }))).toEqual([]);
  });

  test('container-level true suffices without a pod setting', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a', securityContext: { runAsNonRoot: true } }] }))).toEqual([]);
  });

  test('reports containers that neither set it nor inherit it', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'e', securityContext: { runAsNonRoot: true } }] }))).toEqual([
      { path: 'spec.containers[0].securityContext.runAsNonRoot', message: 'container "a" does not set runAsNonRoot and the pod does not set it to true' },
    ]);
  });

  test('a container false overrides a pod true and is reported', () => {
    expect(violations(ID, pod({ securityContext: { runAsNonRoot: true }, containers: [{ name: 'a', securityContext: { runAsNonRoot: false } }] }))).toEqual([
      { path: 'spec.containers[0].securityContext.runAsNonRoot', message: 'container "a" sets securityContext.runAsNonRoot to false (it must be true)' },
    ]);
  });

  test('an explicit pod false is reported even when every container overrides it', () => {
    expect(violations(ID, pod({ securityContext: { runAsNonRoot: false }, containers: [{ name: 'a', securityContext: { runAsNonRoot: true } }] }))).toEqual([
      { path: 'spec.securityContext.runAsNonRoot', message: 'pod sets securityContext.runAsNonRoot to false (it must be true)' },
    ]);
  });

  test('a malformed value does not count as true', () => {
    expect(violations(ID, pod({ securityContext: { runAsNonRoot: 'true' }, containers: [{ name: 'a' }] })).map((v) => v.path)).toEqual([
      'spec.containers[0].securityContext.runAsNonRoot',
      'spec.securityContext.runAsNonRoot',
    ]);
  });

  test('pods in a user namespace (hostUsers: false) are exempt; Windows pods are not', () => {
    expect(violations(ID, pod({ hostUsers: false, containers: [{ name: 'a' }] }))).toEqual([]);
    expect(violations(ID, pod({ os: { name: 'windows' }, containers: [{ name: 'a' }] }))).toHaveLength(1);
  });
});
