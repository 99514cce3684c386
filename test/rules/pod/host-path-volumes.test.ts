import { deployment, pod, violations } from './support';

const ID = 'pod-host-path-volumes';

describe(ID, () => {
  test('passes pods without hostPath volumes (other host-reaching types are pod-restricted-volumes business)', () => {
    expect(violations(ID, pod({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', nfs: { server: 's', path: '/' } }, { name: 'c', hostPath: null }] }))).toEqual([]);
  });

  test('reports every hostPath volume with its host path', () => {
    expect(violations(ID, deployment({ volumes: [{ name: 'ok', emptyDir: {} }, { name: 'sock', hostPath: { path: '/var/run/docker.sock' } }, { name: 'odd', hostPath: {} }] }))).toEqual([
      { path: 'spec.template.spec.volumes[1].hostPath', message: 'volume "sock" mounts host path "/var/run/docker.sock"' },
      { path: 'spec.template.spec.volumes[2].hostPath', message: 'volume "odd" mounts a host path' },
    ]);
  });

  test('a volumes field that is not a list is reported', () => {
    expect(violations(ID, pod({ volumes: { name: 'x', hostPath: { path: '/' } } }))).toEqual([
      { path: 'spec.volumes', message: 'pod sets volumes to {"name":"x","hostPath":{"path":"/"}}, which is not a list' },
    ]);
  });
});
