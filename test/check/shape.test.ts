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

  test('well-formed objects have no errors', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } };
    expect(shapeErrors(role)).toEqual([]);
  });
});
