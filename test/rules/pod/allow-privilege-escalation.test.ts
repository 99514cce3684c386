import { deployment, pod, run, violations, waiverMetadata } from './support';

const ID = 'pod-allow-privilege-escalation';

describe(ID, () => {
  test('passes containers that set it to false', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false } }] }))).toEqual([]);
  });

  test('reports unset, true and malformed values on every container type', () => {
    const spec = {
      containers: [{ name: 'a' }, { name: 'b', securityContext: { allowPrivilegeEscalation: true } }],
      initContainers: [{ name: 'i', securityContext: { allowPrivilegeEscalation: 'false' } }],
      ephemeralContainers: [{ name: 'e', securityContext: { allowPrivilegeEscalation: false } }],
    };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].securityContext.allowPrivilegeEscalation', message: 'container "a" does not set securityContext.allowPrivilegeEscalation to false' },
      { path: 'spec.containers[1].securityContext.allowPrivilegeEscalation', message: 'container "b" sets securityContext.allowPrivilegeEscalation to true (it must be false)' },
      { path: 'spec.initContainers[0].securityContext.allowPrivilegeEscalation', message: 'init container "i" sets securityContext.allowPrivilegeEscalation to "false" (it must be false)' },
    ]);
  });

  test('Windows pods are exempt', () => {
    expect(violations(ID, pod({ os: { name: 'windows' }, containers: [{ name: 'a' }] }))).toEqual([]);
  });

  test('a waiver covers every container of the workload', () => {
    const result = run(ID, deployment({ containers: [{ name: 'a' }, { name: 'b' }] }, waiverMetadata(ID)));
    expect(result.findings).toEqual([]);
    expect(result.waived).toHaveLength(2);
  });
});
