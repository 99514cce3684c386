import { pod, violations } from './support';

const ID = 'pod-selinux-options';

describe(ID, () => {
  test('passes the container types and a level', () => {
    for (const type of ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t', '']) {
      expect(violations(ID, pod({ securityContext: { seLinuxOptions: { type, level: 's0:c1,c2' } }, containers: [{ name: 'c', securityContext: { seLinuxOptions: { type } } }] }))).toEqual([]);
    }
  });

  test('reports a custom type, user and role, each at its path, for pod and containers', () => {
    const spec = {
      securityContext: { seLinuxOptions: { type: 'spc_t' } },
      containers: [{ name: 'app', securityContext: { seLinuxOptions: { user: 'system_u', role: 'system_r' } } }],
    };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].securityContext.seLinuxOptions.role', message: 'container "app" sets securityContext.seLinuxOptions.role to "system_r" (it must not be set)' },
      { path: 'spec.containers[0].securityContext.seLinuxOptions.user', message: 'container "app" sets securityContext.seLinuxOptions.user to "system_u" (it must not be set)' },
      {
        path: 'spec.securityContext.seLinuxOptions.type',
        message: 'pod sets securityContext.seLinuxOptions.type to "spc_t" (allowed: container_t, container_init_t, container_kvm_t, container_engine_t)',
      },
    ]);
  });

  test('ephemeral containers are judged; a non-string type is reported', () => {
    expect(violations(ID, pod({ ephemeralContainers: [{ name: 'dbg', securityContext: { seLinuxOptions: { type: 1 } } }] }))).toEqual([
      {
        path: 'spec.ephemeralContainers[0].securityContext.seLinuxOptions.type',
        message: 'ephemeral container "dbg" sets securityContext.seLinuxOptions.type to 1 (allowed: container_t, container_init_t, container_kvm_t, container_engine_t)',
      },
    ]);
  });
});
