import { pod, rule, violations } from './support';

const ID = 'pod-read-only-root-filesystem';

describe(ID, () => {
  test('passes containers with readOnlyRootFilesystem: true', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a', securityContext: { readOnlyRootFilesystem: true } }] }))).toEqual([]);
  });

  test('reports every container type that does not set it to true', () => {
    const spec = {
      containers: [{ name: 'a' }, { name: 'b', securityContext: { readOnlyRootFilesystem: false } }],
      initContainers: [{ name: 'i', securityContext: { readOnlyRootFilesystem: 'yes' } }],
      ephemeralContainers: [{ name: 'e' }],
    };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].securityContext.readOnlyRootFilesystem', message: 'container "a" does not set securityContext.readOnlyRootFilesystem: true' },
      { path: 'spec.containers[1].securityContext.readOnlyRootFilesystem', message: 'container "b" sets securityContext.readOnlyRootFilesystem to false (it must be true)' },
      { path: 'spec.ephemeralContainers[0].securityContext.readOnlyRootFilesystem', message: 'ephemeral container "e" does not set securityContext.readOnlyRootFilesystem: true' },
      { path: 'spec.initContainers[0].securityContext.readOnlyRootFilesystem', message: 'init container "i" sets securityContext.readOnlyRootFilesystem to "yes" (it must be true)' },
    ]);
  });

  test('a pod-level field does not exist and does not count', () => {
    expect(violations(ID, pod({ securityContext: { readOnlyRootFilesystem: true }, containers: [{ name: 'a' }] }))).toHaveLength(1);
  });

  test('Windows pods are exempt (the field is Linux-only)', () => {
    expect(violations(ID, pod({ os: { name: 'windows' }, containers: [{ name: 'a' }] }))).toEqual([]);
  });

  test('runs only at restricted', () => {
    expect(rule(ID).level).toBe('restricted');
  });
});
