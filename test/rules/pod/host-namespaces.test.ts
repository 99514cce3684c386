import { pod, run, violations, waiverMetadata } from './support';

const ID = 'pod-host-namespaces';

describe(ID, () => {
  test('passes when no host namespace is shared', () => {
    expect(violations(ID, pod({ hostNetwork: false, hostPID: false, containers: [] }))).toEqual([]);
  });

  test('reports each shared namespace at its own path', () => {
    expect(violations(ID, pod({ hostNetwork: true, hostPID: true, hostIPC: true }))).toEqual([
      { path: 'spec.hostIPC', message: 'pod shares the host IPC namespace (hostIPC: true)' },
      { path: 'spec.hostNetwork', message: 'pod shares the host network namespace (hostNetwork: true)' },
      { path: 'spec.hostPID', message: 'pod shares the host process ID namespace (hostPID: true)' },
    ]);
  });

  test('a non-boolean value is reported', () => {
    expect(violations(ID, pod({ hostPID: 'yes' }))).toEqual([{ path: 'spec.hostPID', message: 'pod sets hostPID to "yes", which is not a boolean' }]);
  });

  test('waived on the Pod itself', () => {
    const result = run(ID, pod({ hostNetwork: true }, waiverMetadata(ID)));
    expect(result.findings).toHaveLength(0);
    expect(result.waived).toHaveLength(1);
  });
});
