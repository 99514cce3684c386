import { pod, violations } from './support';

describe('pod-seccomp-baseline', () => {
  const ID = 'pod-seccomp-baseline';
  test('passes unset, RuntimeDefault and Localhost', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'x.json' } } }] }))).toEqual([]);
  });
  test('reports Unconfined at pod and container level', () => {
    const spec = { securityContext: { seccompProfile: { type: 'Unconfined' } }, initContainers: [{ name: 'i', securityContext: { seccompProfile: { type: 'Unconfined' } } }] };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.initContainers[0].securityContext.seccompProfile.type', message: 'init container "i" sets securityContext.seccompProfile.type to "Unconfined" (allowed: "RuntimeDefault", "Localhost")' },
      { path: 'spec.securityContext.seccompProfile.type', message: 'pod sets securityContext.seccompProfile.type to "Unconfined" (allowed: "RuntimeDefault", "Localhost")' },
    ]);
  });
  test('the legacy seccomp annotations are no longer judged (policy 1.19+ reads only the fields)', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a' }] }, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } }))).toEqual([]);
  });
});

describe('pod-seccomp-restricted', () => {
  const ID = 'pod-seccomp-restricted';
  test('a pod-level profile covers every container', () => {
    expect(violations(ID, pod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a' }], initContainers: [{ name: 'b' }] }))).toEqual([]);
  });
  test('container-level profiles suffice without a pod profile', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }] }))).toEqual([]);
  });
  test('reports each container without a profile when the pod sets none', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, { name: 'b' }], ephemeralContainers: [{ name: 'dbg' }] }))).toEqual([
      { path: 'spec.containers[1].securityContext.seccompProfile', message: 'container "b" has no seccomp profile and the pod sets none (set seccompProfile.type to "RuntimeDefault" or "Localhost")' },
      { path: 'spec.ephemeralContainers[0].securityContext.seccompProfile', message: 'ephemeral container "dbg" has no seccomp profile and the pod sets none (set seccompProfile.type to "RuntimeDefault" or "Localhost")' },
    ]);
  });
  test('an Unconfined pod profile is reported and covers no container; a container profile overrides it', () => {
    const spec = { securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [{ name: 'a', securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, { name: 'b' }] };
    expect(violations(ID, pod(spec)).map((v) => v.path)).toEqual(['spec.containers[1].securityContext.seccompProfile', 'spec.securityContext.seccompProfile.type']);
  });
  test('Windows pods are exempt', () => {
    expect(violations(ID, pod({ os: { name: 'windows' }, containers: [{ name: 'a' }] }))).toEqual([]);
  });
  test('a malformed profile is reported', () => {
    expect(violations(ID, pod({ securityContext: { seccompProfile: 'RuntimeDefault' }, containers: [{ name: 'a' }] })).map((v) => v.path)).toEqual([
      'spec.containers[0].securityContext.seccompProfile',
      'spec.securityContext.seccompProfile.type',
    ]);
  });
});
