import { shapeErrors } from '../../src/engine/shape';

describe('type checks of the fields rules read', () => {
  test('RBAC: a string where a list belongs is an error, never read as "no verbs"', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: '*' }] };
    expect(shapeErrors(role)).toEqual(['rules[0].verbs must be a list, got a string']);
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: 'cluster-admin', subjects: [{ kind: 'Group', name: 5 }] };
    expect(shapeErrors(binding)).toEqual(['roleRef must be a mapping, got a string', 'subjects[0].name must be a string, got an integer']);
    expect(shapeErrors({ ...role, rules: 5 })).toEqual(['rules must be a list, got an integer']);
  });

  test('pods: a string where a boolean belongs is an error', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', securityContext: { privileged: 'true' } }] } };
    expect(shapeErrors(pod)).toEqual(['spec.containers[0].securityContext.privileged must be a boolean, got a string']);
  });

  // Kubernetes' ValidateSecurityContext refuses these pairs; every field has its type, yet the pod never runs.
  test.each([
    ['privileged: true', { privileged: true, allowPrivilegeEscalation: false }, 'privileged: true'],
    ['an added CAP_SYS_ADMIN', { allowPrivilegeEscalation: false, capabilities: { add: ['CAP_SYS_ADMIN'] } }, 'an added CAP_SYS_ADMIN'],
  ])('allowPrivilegeEscalation: false beside %s is refused by the API server, in any container list', (_name, securityContext, beside) => {
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], [list]: [{ name: 'c', securityContext }] } };
      expect(shapeErrors(pod)).toEqual([expect.stringMatching(new RegExp(`^spec\\.${list}\\[0\\]\\.securityContext: the API server refuses allowPrivilegeEscalation: false beside ${beside} .*set allowPrivilegeEscalation: true`))]);
    }
  });

  test.each([
    ['privileged with allowPrivilegeEscalation true', { privileged: true, allowPrivilegeEscalation: true }],
    ['privileged with allowPrivilegeEscalation unset', { privileged: true }],
    ['SYS_ADMIN as Kubernetes spells it (the API server compares the text CAP_SYS_ADMIN)', { allowPrivilegeEscalation: false, capabilities: { add: ['SYS_ADMIN'] } }],
  ])('%s is no API error (the rules judge it)', (_name, securityContext) => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', securityContext }] } } } };
    expect(shapeErrors(deployment)).toEqual([]);
  });

  test('well-formed objects have no errors', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } };
    expect(shapeErrors(role)).toEqual([]);
  });
});
