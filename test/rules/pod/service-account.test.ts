import { pod, run, violations, waiverMetadata } from './support';

describe('pod-automount-service-account-token', () => {
  const ID = 'pod-automount-service-account-token';
  test('passes automountServiceAccountToken: false', () => {
    expect(violations(ID, pod({ automountServiceAccountToken: false, containers: [] }))).toEqual([]);
  });
  test('reports unset and true', () => {
    expect(violations(ID, pod({ containers: [] }))).toEqual([
      { path: 'spec.automountServiceAccountToken', message: 'pod does not set automountServiceAccountToken: false, so a service account token is mounted into every container' },
    ]);
    expect(violations(ID, pod({ automountServiceAccountToken: true }))[0].message).toBe('pod sets automountServiceAccountToken to true (it must be false)');
  });
  test('a workload that needs the API records a waiver', () => {
    const result = run(ID, pod({ automountServiceAccountToken: true }, waiverMetadata(ID, 'controller reads its ConfigMaps')));
    expect(result.findings).toEqual([]);
    expect(result.waived[0].waiver?.reason).toBe('controller reads its ConfigMaps');
  });
});

describe('pod-default-service-account', () => {
  const ID = 'pod-default-service-account';
  test('passes a dedicated service account, also through the deprecated serviceAccount field', () => {
    expect(violations(ID, pod({ serviceAccountName: 'app' }))).toEqual([]);
    expect(violations(ID, pod({ serviceAccount: 'app' }))).toEqual([]);
  });
  test('reports unset, empty and "default"', () => {
    expect(violations(ID, pod({}))).toEqual([{ path: 'spec.serviceAccountName', message: 'pod does not set serviceAccountName, so it runs as the "default" service account' }]);
    expect(violations(ID, pod({ serviceAccountName: '' }))).toHaveLength(1);
    expect(violations(ID, pod({ serviceAccountName: 'default' }))).toEqual([{ path: 'spec.serviceAccountName', message: 'pod runs as the "default" service account' }]);
  });
  test('a non-string name is reported', () => {
    expect(violations(ID, pod({ serviceAccountName: ['app'] }))[0].message).toBe('pod sets serviceAccountName to ["app"], which is not a string');
  });
});
