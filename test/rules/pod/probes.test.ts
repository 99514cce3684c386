import { deployment, pod, violations } from './support';
import type { K8sObject } from '../../../src/core/types';

const probe = { httpGet: { path: '/', port: 80 } };
const ofKind = (kind: string, apiVersion: string, spec: Record<string, unknown>): K8sObject => {
  const template = { spec };
  const body = kind === 'CronJob' ? { jobTemplate: { spec: { template } } } : { template };
  return { apiVersion, kind, metadata: { name: 'w' }, spec: body };
};

describe.each([['pod-liveness-probe', 'livenessProbe'], ['pod-readiness-probe', 'readinessProbe']] as const)('%s', (id, field) => {
  test('passes regular containers with the probe; init and ephemeral containers need none', () => {
    expect(violations(id, deployment({ containers: [{ name: 'a', [field]: probe }], initContainers: [{ name: 'i' }], ephemeralContainers: [{ name: 'e' }] }))).toEqual([]);
  });

  test('reports each regular container without the probe', () => {
    expect(violations(id, deployment({ containers: [{ name: 'a', [field]: probe }, { name: 'b' }] }))).toEqual([
      { path: `spec.template.spec.containers[1].${field}`, message: `container "b" has no ${field}` },
    ]);
  });

  test.each([
    ['StatefulSet', 'apps/v1'],
    ['DaemonSet', 'apps/v1'],
    ['ReplicaSet', 'apps/v1'],
    ['ReplicationController', 'v1'],
  ])('judges %s', (kind, apiVersion) => {
    expect(violations(id, ofKind(kind, apiVersion, { containers: [{ name: 'a' }] }))).toHaveLength(1);
  });

  test.each([
    ['Job', 'batch/v1'],
    ['CronJob', 'batch/v1'],
    ['PodTemplate', 'v1'],
  ])('does not judge %s (runs to completion or is not a workload)', (kind, apiVersion) => {
    expect(violations(id, ofKind(kind, apiVersion, { containers: [{ name: 'a' }] }))).toEqual([]);
  });

  test('judges restartable bare Pods only', () => {
    expect(violations(id, pod({ containers: [{ name: 'a' }] }))).toHaveLength(1);
    expect(violations(id, pod({ restartPolicy: 'Always', containers: [{ name: 'a' }] }))).toHaveLength(1);
    expect(violations(id, pod({ restartPolicy: 'Never', containers: [{ name: 'a' }] }))).toEqual([]);
    expect(violations(id, pod({ restartPolicy: 'OnFailure', containers: [{ name: 'a' }] }))).toEqual([]);
  });

  test('a probe that is not an object is reported', () => {
    expect(violations(id, pod({ containers: [{ name: 'a', [field]: true }] }))[0].message).toBe(`container "a" sets ${field} to true, which is not a probe`);
  });
});
