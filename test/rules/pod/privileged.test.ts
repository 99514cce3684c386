import { deployment, pod, run, violations, waiverMetadata } from './support';

const ID = 'pod-privileged';

describe(ID, () => {
  test('passes unprivileged containers and privileged: false', () => {
    expect(violations(ID, pod({ containers: [{ name: 'a' }, { name: 'b', securityContext: { privileged: false } }] }))).toEqual([]);
  });

  test('reports every privileged container, init and ephemeral ones included', () => {
    const spec = {
      containers: [{ name: 'app', securityContext: { privileged: true } }],
      initContainers: [{ name: 'setup', securityContext: { privileged: true } }],
      ephemeralContainers: [{ name: 'debug', securityContext: { privileged: true } }],
    };
    expect(violations(ID, deployment(spec))).toEqual([
      { path: 'spec.template.spec.containers[0].securityContext.privileged', message: 'container "app" runs privileged' },
      { path: 'spec.template.spec.ephemeralContainers[0].securityContext.privileged', message: 'ephemeral container "debug" runs privileged' },
      { path: 'spec.template.spec.initContainers[0].securityContext.privileged', message: 'init container "setup" runs privileged' },
    ]);
  });

  test('a non-boolean value is reported, not ignored', () => {
    expect(violations(ID, pod({ containers: [{ name: 'app', securityContext: { privileged: 'true' } }] }))).toEqual([
      { path: 'spec.containers[0].securityContext.privileged', message: 'container "app" sets securityContext.privileged to "true", which is not a boolean' },
    ]);
  });

  test('a waiver on the pod template moves the finding to waived', () => {
    const result = run(ID, deployment({ containers: [{ name: 'app', securityContext: { privileged: true } }] }, waiverMetadata(ID)));
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => f.ruleId)).toEqual([ID]);
  });
});
