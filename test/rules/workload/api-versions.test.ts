import { ApiObject, App, Chart } from 'cdk8s';
import { Hardening, HardenedValidation } from '../../../src';
import { engineOptions } from '../../../src/constructs/enforce-options';
import type { K8sObject } from '../../../src/core/types';
import { parseConfig } from '../../../src/engine/config';
import { checkObjects } from '../../../src/engine/engine';
import { ALL_RULES } from '../../../src/rules';
import { API_LIFECYCLE, apiStatus, kubernetesMinor } from '../../../src/rules/workload/api-lifecycle';
import { cli, tempDir, write } from '../../cli/helpers';

/**
 * The Kubernetes Deprecated API Migration Guide, "Removed APIs by release" (read 2026-12-01 at
 * https://kubernetes.io/docs/reference/using-api/deprecation-guide/ and its source,
 * kubernetes/website content/en/docs/reference/using-api/deprecation-guide.md): for each minor from 1.16 to 1.33,
 * the group versions and kinds the release stopped serving. Releases the guide lists no removal for are empty.
 */
const GUIDE: Record<number, Record<string, readonly string[]>> = {
  16: {
    'extensions/v1beta1': ['NetworkPolicy', 'PodSecurityPolicy', 'DaemonSet', 'Deployment', 'ReplicaSet'],
    'apps/v1beta1': ['Deployment', 'StatefulSet', 'ReplicaSet'],
    'apps/v1beta2': ['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet'],
  },
  17: {},
  18: {},
  19: {},
  20: {},
  21: {},
  22: {
    'admissionregistration.k8s.io/v1beta1': ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    'apiextensions.k8s.io/v1beta1': ['CustomResourceDefinition'],
    'apiregistration.k8s.io/v1beta1': ['APIService'],
    'authentication.k8s.io/v1beta1': ['TokenReview'],
    'authorization.k8s.io/v1beta1': ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'],
    'certificates.k8s.io/v1beta1': ['CertificateSigningRequest'],
    'coordination.k8s.io/v1beta1': ['Lease'],
    'extensions/v1beta1': ['Ingress'],
    'networking.k8s.io/v1beta1': ['Ingress', 'IngressClass'],
    'rbac.authorization.k8s.io/v1beta1': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
    'scheduling.k8s.io/v1beta1': ['PriorityClass'],
    'storage.k8s.io/v1beta1': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
  },
  23: {},
  24: {},
  25: {
    'batch/v1beta1': ['CronJob'],
    'discovery.k8s.io/v1beta1': ['EndpointSlice'],
    'events.k8s.io/v1beta1': ['Event'],
    'autoscaling/v2beta1': ['HorizontalPodAutoscaler'],
    'policy/v1beta1': ['PodDisruptionBudget', 'PodSecurityPolicy'],
    'node.k8s.io/v1beta1': ['RuntimeClass'],
  },
  26: {
    'flowcontrol.apiserver.k8s.io/v1beta1': ['FlowSchema', 'PriorityLevelConfiguration'],
    'autoscaling/v2beta2': ['HorizontalPodAutoscaler'],
  },
  27: { 'storage.k8s.io/v1beta1': ['CSIStorageCapacity'] },
  28: {},
  29: { 'flowcontrol.apiserver.k8s.io/v1beta2': ['FlowSchema', 'PriorityLevelConfiguration'] },
  30: {},
  31: {},
  32: { 'flowcontrol.apiserver.k8s.io/v1beta3': ['FlowSchema', 'PriorityLevelConfiguration'] },
  33: {},
};

const key = (apiVersion: string, kind: string) => `${apiVersion} ${kind}`;
const object = (apiVersion: string, kind: string, name = 'x'): K8sObject => ({ apiVersion, kind, metadata: { name, namespace: 'app' } });
const REMOVED = 'workload-removed-api';
const DEPRECATED = 'workload-deprecated-api';

describe('the removed-API table agrees with the deprecation guide', () => {
  test.each(Object.keys(GUIDE).map(Number))('Kubernetes 1.%i removes exactly what the guide lists', (minor) => {
    const guide = Object.entries(GUIDE[minor]).flatMap(([apiVersion, kinds]) => kinds.map((kind) => key(apiVersion, kind))).sort();
    const table = API_LIFECYCLE.filter((e) => e.removedIn === minor).map((e) => key(e.apiVersion, e.kind)).sort();
    expect(table).toEqual(guide);
  });

  test('every removal is in a release the guide covers, and every API is deprecated before it is removed', () => {
    for (const e of API_LIFECYCLE) {
      if (e.removedIn !== undefined) expect([key(e.apiVersion, e.kind), GUIDE[e.removedIn] !== undefined]).toEqual([key(e.apiVersion, e.kind), true]);
      expect(e.deprecatedIn).toBeLessThan(e.removedIn ?? 100);
    }
    expect(new Set(API_LIFECYCLE.map((e) => key(e.apiVersion, e.kind))).size).toBe(API_LIFECYCLE.length);
  });

  test('the status of an API moves from served to deprecated to removed', () => {
    const beta3 = API_LIFECYCLE.find((e) => e.apiVersion === 'flowcontrol.apiserver.k8s.io/v1beta3' && e.kind === 'FlowSchema')!;
    expect([28, 29, 31, 32, 33].map((m) => apiStatus(beta3, m))).toEqual(['served', 'deprecated', 'deprecated', 'removed', 'removed']);
  });
});

describe(REMOVED, () => {
  const dir = tempDir();
  test('at the default target (1.30) every removed kind of the guide is a finding naming the release and the replacement', () => {
    const objects = Object.entries(GUIDE).filter(([m]) => Number(m) <= 30)
      .flatMap(([, byVersion]) => Object.entries(byVersion).flatMap(([apiVersion, kinds]) => kinds.map((kind) => object(apiVersion, kind))));
    const result = checkObjects(objects.map((o) => ({ object: o })), { rules: [REMOVED] });
    expect(result.problems).toEqual([]);
    expect(result.findings).toHaveLength(objects.length);
    const psp = result.findings.find((f) => f.kind === 'PodSecurityPolicy' && f.message.startsWith('policy/v1beta1'))!;
    expect([psp.path, psp.message]).toEqual(['apiVersion', 'policy/v1beta1 PodSecurityPolicy is not served since Kubernetes 1.25 (targeted: 1.30): the API server rejects the object']);
    expect(psp.remediation).toContain('Pod Security Admission');
    const cron = result.findings.find((f) => f.kind === 'CronJob')!;
    expect(cron.remediation).toBe('Use batch/v1.');
  });

  test('current versions pass; flowcontrol v1beta3 passes at 1.31 and fails at 1.32', () => {
    const current = ['apps/v1 Deployment', 'batch/v1 CronJob', 'policy/v1 PodDisruptionBudget', 'networking.k8s.io/v1 Ingress', 'flowcontrol.apiserver.k8s.io/v1 FlowSchema'];
    const inputs = current.map((s) => ({ object: object(s.split(' ')[0], s.split(' ')[1]) }));
    expect(checkObjects(inputs, { rules: [REMOVED], settings: { kubernetesVersion: '1.33' } }).findings).toEqual([]);
    const beta3 = [{ object: object('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema') }];
    expect(checkObjects(beta3, { rules: [REMOVED], settings: { kubernetesVersion: '1.31' } }).findings).toEqual([]);
    expect(checkObjects(beta3, { rules: [REMOVED], settings: { kubernetesVersion: 'v1.32.4' } }).findings.map((f) => f.message)).toEqual([
      'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not served since Kubernetes 1.32 (targeted: 1.32): the API server rejects the object',
    ]);
  });

  test('an extensions/v1beta1 Deployment is judged by the pod rules too; a PodSecurityPolicy is not a workload', () => {
    const deployment = {
      apiVersion: 'extensions/v1beta1',
      kind: 'Deployment',
      metadata: { name: 'old', namespace: 'app' },
      spec: { template: { spec: { containers: [{ name: 'a', image: 'a', securityContext: { privileged: true } }] } } },
    };
    const psp = { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', metadata: { name: 'p' }, spec: { privileged: true } };
    const result = checkObjects([{ object: deployment }, { object: psp }], { rules: [REMOVED, 'pod-privileged'] });
    expect(result.findings.map((f) => `${f.kind} ${f.ruleId}`).sort()).toEqual(['Deployment pod-privileged', 'Deployment workload-removed-api', 'PodSecurityPolicy workload-removed-api']);
  });

  test('a bad targeted version is a clear error in the config, the CLI and Hardening.enforce, never a silent default', async () => {
    expect(() => parseConfig({ kubernetesVersion: '1.3x' }, 'hardened.yaml')).toThrow('hardened.yaml: kubernetesVersion: "1.3x" is not a Kubernetes version like 1.30');
    expect(() => parseConfig({ kubernetesVersion: 1.3 }, 'hardened.yaml')).toThrow('kubernetesVersion: 1.3 is not a Kubernetes version');
    expect(() => engineOptions({ kubernetesVersion: 'latest' })).toThrow('EnforceOptions.kubernetesVersion: "latest" is not a Kubernetes version like 1.30');
    expect(() => Hardening.enforce(new Chart(new App({ outdir: dir }), 'c'), { kubernetesVersion: '1.30-rc' }))
      .toThrow('c: Hardening.enforce: EnforceOptions.kubernetesVersion: "1.30-rc" is not a Kubernetes version like 1.30');
    expect(() => new HardenedValidation({ kubernetesVersion: '2.0' })).toThrow('kubernetesVersion: "2.0" is not a Kubernetes version');
    const bad = await cli(['check', '--kubernetes-version', '30', 'nothing.yaml']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--kubernetes-version: "30" is not a Kubernetes version like 1.30')]);
    expect(kubernetesMinor(undefined)).toBe(30);
  });

  test('the targeted version reaches the rules from the config, the flag (which wins), the plugin and Hardening.enforce', async () => {
    const file = write(dir, 'flow.yaml', 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: { name: f }\nspec: {}\n');
    const config = write(dir, 'hardened.yaml', 'kubernetesVersion: "1.32"\n');
    const run = (...args: string[]) => cli(['check', '--rule', REMOVED, '--format', 'json', ...args, file]);
    expect((await run()).code).toBe(0);
    expect((await run('--kubernetes-version', '1.32')).code).toBe(1);
    expect((await run('--config', config)).code).toBe(1);
    expect((await run('--config', config, '--kubernetes-version', 'v1.31')).code).toBe(0);
    const verdicts: string[] = [];
    const report = { addViolation: (v: { ruleName: string }) => verdicts.push(v.ruleName), submit: (status: string) => verdicts.push(status) };
    const context = { manifests: [file], report };
    await new HardenedValidation({ rules: [REMOVED], kubernetesVersion: '1.32' }).validate(context);
    await new HardenedValidation({ rules: [REMOVED] }).validate(context);
    expect(verdicts).toEqual(['workload-removed-api (high)', 'failure', 'success']);
    const synth = (kubernetesVersion?: string) => {
      const app = new App({ outdir: dir });
      const chart = new Chart(app, 'c');
      new ApiObject(chart, 'flow', { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'f' }, spec: {} });
      Hardening.enforce(chart, { skip: ALL_RULES.map((r) => r.id).filter((id) => id !== REMOVED), kubernetesVersion });
      return () => app.synthYaml();
    };
    expect(synth()).not.toThrow();
    expect(synth('1.32')).toThrow(/workload-removed-api[\s\S]*FlowSchema/);
    expect(parseConfig({ kubernetesVersion: ' v1.29 ' }).kubernetesVersion).toBe('v1.29');
    expect(engineOptions({ kubernetesVersion: '1.32' }).settings).toEqual({ kubernetesVersion: '1.32' });
  });
});

describe(DEPRECATED, () => {
  test('deprecated but served versions are low-severity findings with their own message; removed ones are not repeated', () => {
    const inputs = [
      object('flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', 'beta3'),
      object('v1', 'Endpoints', 'legacy'),
      object('v1', 'ComponentStatus', 'cs'),
      object('batch/v1beta1', 'CronJob', 'gone'),
    ].map((o) => ({ object: o }));
    const at31 = checkObjects(inputs, { rules: [DEPRECATED, REMOVED], settings: { kubernetesVersion: '1.31' } });
    expect(at31.findings.map((f) => `${f.ruleId} ${f.severity} ${f.name}: ${f.message}`)).toEqual([
      'workload-deprecated-api low cs: v1 ComponentStatus is deprecated since Kubernetes 1.19 and still served (targeted: 1.31)',
      'workload-removed-api high gone: batch/v1beta1 CronJob is not served since Kubernetes 1.25 (targeted: 1.31): the API server rejects the object',
      'workload-deprecated-api low beta3: flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration is deprecated since Kubernetes 1.29 and removed in 1.32 (targeted: 1.31)',
    ]);
    const at33 = checkObjects(inputs, { rules: [DEPRECATED], settings: { kubernetesVersion: '1.33' } });
    expect(at33.findings.map((f) => f.name)).toEqual(['cs', 'legacy']);
  });
});
