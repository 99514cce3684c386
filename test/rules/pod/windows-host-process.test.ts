import { pod, violations } from './support';

const ID = 'pod-windows-host-process';

describe(ID, () => {
  test('passes hostProcess false or unset', () => {
    expect(violations(ID, pod({ securityContext: { windowsOptions: { hostProcess: false } }, containers: [{ name: 'c', securityContext: { windowsOptions: {} } }] }))).toEqual([]);
  });
  test('reports pod and container HostProcess settings', () => {
    const spec = { securityContext: { windowsOptions: { hostProcess: true } }, containers: [{ name: 'c', securityContext: { windowsOptions: { hostProcess: true } } }] };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].securityContext.windowsOptions.hostProcess', message: 'container "c" runs as a Windows HostProcess (windowsOptions.hostProcess: true)' },
      { path: 'spec.securityContext.windowsOptions.hostProcess', message: 'pod runs as a Windows HostProcess (windowsOptions.hostProcess: true)' },
    ]);
  });
  test('a non-boolean value is reported', () => {
    expect(violations(ID, pod({ initContainers: [{ name: 'i', securityContext: { windowsOptions: { hostProcess: 1 } } }] }))[0].message).toBe(
      'init container "i" sets securityContext.windowsOptions.hostProcess to 1, which is not a boolean',
    );
  });
});
