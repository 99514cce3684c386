import { pod, violations } from './support';

const ID = 'pod-capabilities-baseline';
const withAdd = (add: unknown, type = 'containers') => pod({ [type]: [{ name: 'c', securityContext: { capabilities: { add } } }] });

describe(ID, () => {
  test('allows the runtime default capabilities and dropping anything', () => {
    expect(violations(ID, withAdd(['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT']))).toEqual([]);
    expect(violations(ID, pod({ containers: [{ name: 'c', securityContext: { capabilities: { drop: ['ALL'] } } }] }))).toEqual([]);
  });

  test('reports each added capability outside the default set with its index', () => {
    expect(violations(ID, withAdd(['CHOWN', 'SYS_ADMIN', 'NET_RAW'], 'initContainers'))).toEqual([
      { path: 'spec.initContainers[0].securityContext.capabilities.add[1]', message: 'init container "c" adds capability "SYS_ADMIN", which is outside the runtime default set' },
      { path: 'spec.initContainers[0].securityContext.capabilities.add[2]', message: 'init container "c" adds capability "NET_RAW", which is outside the runtime default set' },
    ]);
    // NET_RAW is a Docker default but not in the standard's baseline list.
    expect(violations(ID, withAdd(['NET_RAW'], 'ephemeralContainers')).map((v) => v.path)).toEqual(['spec.ephemeralContainers[0].securityContext.capabilities.add[0]']);
  });

  test('capability names are exact: CAP_ prefixes and lower case are not the default set', () => {
    expect(violations(ID, withAdd(['CAP_CHOWN', 'chown'])).map((v) => v.path)).toHaveLength(2);
  });

  test('malformed add fields are reported', () => {
    expect(violations(ID, withAdd('SYS_ADMIN'))).toEqual([
      { path: 'spec.containers[0].securityContext.capabilities.add', message: 'container "c" sets securityContext.capabilities.add to "SYS_ADMIN", which is not a list' },
    ]);
    expect(violations(ID, withAdd([7]))[0].message).toBe('container "c" adds capability 7, which is outside the runtime default set');
  });
});
