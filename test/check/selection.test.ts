import { ApiObject, Testing } from 'cdk8s';
import { Hardening, HardenedValidation, PodSecurityLevel } from '../../src';
import { buildAdmissionPolicies } from '../../src/admission/policies';
import { K8sObject, Severity } from '../../src/core/types';
import { checkObjects, selectRules } from '../../src/engine/engine';
import { findRule } from '../../src/rules';
import { cli, tempDir, write } from '../cli/helpers';

/**
 * A rule selection keeps every control it does not name: overriding is a reporting detail, `--level` picks Pod
 * Security Standards controls only. Each case is proved in the engine, `check`, `admission`, `Hardening.enforce`
 * and the plugin, because each of them selected rules its own way before.
 */

const HOST_PATH_POD: K8sObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'hostpath', namespace: 'shop' },
  spec: { containers: [{ name: 'app', image: 'nginx' }], volumes: [{ name: 'root', hostPath: { path: '/' } }] },
};

/** Baseline-forbidden seccomp and capabilities: what the overridden baseline checks catch. */
const UNCONFINED_POD: K8sObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'unconfined', namespace: 'shop' },
  spec: {
    securityContext: { seccompProfile: { type: 'Unconfined' } },
    containers: [{ name: 'app', image: 'nginx', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }],
  },
};

const ANONYMOUS_ADMIN: K8sObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'anon-admin' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:anonymous' }],
};

const ids = (objects: K8sObject[], options: Parameters<typeof checkObjects>[1]) =>
  [...new Set(checkObjects(objects.map((object) => ({ object })), options).findings.map((f) => f.ruleId))].sort();

describe('selectRules keeps the controls a selection does not name', () => {
  test('--rule of an overridden baseline rule runs it', () => {
    expect(selectRules({ rules: ['pod-host-path-volumes'] }).map((r) => r.id)).toEqual(['pod-host-path-volumes']);
    expect(ids([HOST_PATH_POD], { rules: ['pod-host-path-volumes'] })).toEqual(['pod-host-path-volumes']);
  });

  test.each([
    ['pod-restricted-volumes', 'pod-host-path-volumes', HOST_PATH_POD],
    ['pod-seccomp-restricted', 'pod-seccomp-baseline', UNCONFINED_POD],
    ['pod-capabilities-restricted', 'pod-capabilities-baseline', UNCONFINED_POD],
  ])('skipping %s keeps %s', (skipped, kept, object) => {
    const run = selectRules({ skip: [skipped] }).map((r) => r.id);
    expect(run).toContain(kept);
    expect(run).not.toContain(skipped);
    expect(ids([object], { skip: [skipped] })).toContain(kept);
  });

  test('a stricter rule filtered out by minSeverity does not take the weaker one with it (engine and admission)', () => {
    const weak = findRule('pod-host-path-volumes')!;
    const strict = { ...findRule('pod-restricted-volumes')!, severity: Severity.LOW };
    const catalog = [weak, strict];
    expect(selectRules({ catalog, minSeverity: Severity.HIGH }).map((r) => r.id)).toContain('pod-host-path-volumes');
    expect(selectRules({ catalog }).map((r) => r.id)).toEqual(['pod-restricted-volumes']);
    expect(ids([HOST_PATH_POD], { catalog, minSeverity: Severity.HIGH })).toEqual(['pod-host-path-volumes']);
    expect(buildAdmissionPolicies({ catalog, minSeverity: Severity.HIGH }).policies.map((p: any) => p.metadata.labels['hardened.cdk8s.io/rule-id'])).toEqual(['pod-host-path-volumes']);
  });

  test('with both rules selected the problem is reported once, by the stricter rule', () => {
    const found = ids([HOST_PATH_POD], { rules: ['pod-host-path-volumes', 'pod-restricted-volumes'] });
    expect(found).toEqual(['pod-restricted-volumes']);
  });

  test('--level baseline drops only restricted Pod Security controls: RBAC, network and namespace rules stay', () => {
    const baseline = new Set(selectRules({ level: 'baseline' }).map((r) => r.id));
    const restricted = selectRules({ level: 'restricted' });
    const dropped = restricted.filter((r) => !baseline.has(r.id));
    expect(dropped.length).toBeGreaterThan(0);
    for (const rule of dropped) {
      expect(rule.level).toBe('restricted');
      expect(rule.references.pss).toBeDefined();
    }
    for (const area of ['rbac', 'network', 'namespace', 'image', 'workload']) {
      expect(restricted.filter((r) => r.area === area && !baseline.has(r.id))).toEqual([]);
    }
    expect(ids([ANONYMOUS_ADMIN], { level: 'baseline' })).toContain('rbac-anonymous-binding');
  });
});

describe('every judge applies the same selection', () => {
  const dir = tempDir();
  const hostPath = write(dir, 'hostpath.yaml', JSON.stringify(HOST_PATH_POD));
  const anonymous = write(dir, 'anonymous.yaml', JSON.stringify(ANONYMOUS_ADMIN));

  test('check --rule pod-host-path-volumes fails a hostPath Pod', async () => {
    const run = await cli(['check', hostPath, '--rule', 'pod-host-path-volumes', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: any) => f.ruleId)).toEqual(['pod-host-path-volumes']);
  });

  test('check --skip pod-restricted-volumes still fails a hostPath Pod', async () => {
    const run = await cli(['check', hostPath, '--skip', 'pod-restricted-volumes', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: any) => f.ruleId)).toContain('pod-host-path-volumes');
  });

  test('check --level baseline fails cluster-admin bound to system:anonymous', async () => {
    const run = await cli(['check', anonymous, '--level', 'baseline', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: any) => f.ruleId)).toContain('rbac-anonymous-binding');
  });

  test('admission --rule pod-host-path-volumes emits its policy; --skip of the stricter rule keeps it', async () => {
    const only = await cli(['admission', '--rule', 'pod-host-path-volumes']);
    expect(only.code).toBe(0);
    expect(only.stdout).toMatch(/name: \S*pod-host-path-volumes/);
    const skipped = await cli(['admission', '--skip', 'pod-restricted-volumes']);
    expect(skipped.stdout).toMatch(/name: \S*pod-host-path-volumes/);
    const baseline = await cli(['admission', '--level', 'baseline']);
    expect(baseline.stdout).toContain('rbac-anonymous-binding');
  });

  test('Hardening.enforce with skip of the stricter rule, or at baseline, keeps the weaker and the non-pod checks', () => {
    const skipped = Testing.chart();
    Hardening.enforce(skipped, { skip: ['pod-restricted-volumes'] });
    new ApiObject(skipped, 'pod', HOST_PATH_POD as any);
    expect(() => Testing.synth(skipped)).toThrow(/pod-host-path-volumes/);

    const baseline = Testing.chart();
    Hardening.enforce(baseline, { level: PodSecurityLevel.BASELINE });
    new ApiObject(baseline, 'binding', ANONYMOUS_ADMIN as any);
    expect(() => Testing.synth(baseline)).toThrow(/rbac-anonymous-binding/);
  });

  test.each([
    [{ rules: ['pod-host-path-volumes'] }, 'hostpath', 'pod-host-path-volumes'],
    [{ skip: ['pod-restricted-volumes'] }, 'hostpath', 'pod-host-path-volumes'],
    [{ level: 'baseline' }, 'anonymous', 'rbac-anonymous-binding'],
  ])('the plugin with %j reports %s', async (props, file, ruleId) => {
    const violations: any[] = [];
    let status: string | undefined;
    const context = {
      manifests: [file === 'hostpath' ? hostPath : anonymous],
      report: { addViolation: (v: any) => violations.push(v), submit: (s: string) => (status = s) },
    };
    await new HardenedValidation(props).validate(context);
    expect(status).toBe('failure');
    expect(violations.map((v) => v.ruleName.split(' ')[0])).toContain(ruleId);
  });
});
