import { K8sObject } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { applyChanges, podHardeningChanges } from '../../src/engine/hardening/pod-defaults';
import { findRule } from '../../src/rules';

function deployment(pod: Record<string, unknown>, podMetadata: Record<string, unknown> = { labels: { app: 'web' } }): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: podMetadata, spec: pod } },
  };
}

const bare = (): K8sObject => deployment({ containers: [{ name: 'web', image: 'example.com/web@sha256:' + 'a'.repeat(64) }] });

describe('podHardeningChanges', () => {
  // Kubernetes' ValidateSecurityContext: allowPrivilegeEscalation false is refused beside privileged true or an added
  // "CAP_SYS_ADMIN" (compared as written), so the core never writes that pair: the field stays unset and the rule reports it.
  const apiServerRefuses = (sc: any) => sc.allowPrivilegeEscalation === false && (sc.privileged === true || (sc.capabilities?.add ?? []).includes('CAP_SYS_ADMIN'));
  const withContainerContext = (securityContext: Record<string, unknown>) =>
    deployment({ containers: [{ name: 'agent', image: 'example.com/agent@sha256:' + 'a'.repeat(64), securityContext }] });

  test.each([
    ['privileged: true', { privileged: true }, false],
    ['an added CAP_SYS_ADMIN', { capabilities: { add: ['CAP_SYS_ADMIN'] } }, false],
    ['an added CAP_SYS_ADMIN, respelled SYS_ADMIN first', { capabilities: { add: ['CAP_SYS_ADMIN'] } }, true],
  ])('beside %s it writes nothing the API server refuses', (_name, securityContext, respellCapabilities) => {
    const object = withContainerContext(securityContext);
    const hardened = applyChanges(object, podHardeningChanges(object, { respellCapabilities }));
    const sc = (hardened.spec as any).template.spec.containers[0].securityContext;
    expect(apiServerRefuses(sc)).toBe(false);
    expect(sc.allowPrivilegeEscalation).toBe(respellCapabilities ? false : undefined);
    if (!respellCapabilities) {
      const findings = checkObjects([{ object: hardened }], { rules: ['pod-allow-privilege-escalation'] }).findings;
      expect(findings.map((f) => f.ruleId)).toEqual(['pod-allow-privilege-escalation']);
    }
  });

  test('fills every unset control of a bare pod and its container', () => {
    const hardened = applyChanges(bare(), podHardeningChanges(bare()));
    const spec = (hardened.spec as any).template.spec;
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
      appArmorProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.containers[0].securityContext).toEqual({
      runAsNonRoot: true,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(spec.containers[0].volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(spec.volumes).toEqual([{ emptyDir: { sizeLimit: '64Mi' }, name: 'tmp' }]);
  });

  test('the hardened pod passes every pod rule the core is about', () => {
    const hardened = applyChanges(bare(), podHardeningChanges(bare()));
    const ids = [...new Set(podHardeningChanges(bare()).flatMap((c) => c.ruleIds))].sort();
    const result = checkObjects([{ object: hardened }], { rules: ids, settings: { completeSet: false } });
    expect(result.findings).toEqual([]);
    // The same rules fail on the bare input, so the changes are what satisfy them.
    const before = checkObjects([{ object: bare() }], { rules: ids, settings: { completeSet: false } });
    expect(new Set(before.findings.map((f) => f.ruleId)).size).toBeGreaterThanOrEqual(7);
  });

  test('every change names catalog rules or none, and describes itself', () => {
    for (const change of podHardeningChanges(bare())) {
      for (const id of change.ruleIds) expect(findRule(id)).toBeDefined();
      expect(change.description).not.toBe('');
    }
  });

  test('never changes an explicit value, weak or not', () => {
    const weak = deployment({
      securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'Unconfined' } },
      automountServiceAccountToken: true,
      containers: [{ name: 'web', image: 'x', securityContext: { privileged: true, readOnlyRootFilesystem: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } } }],
    });
    const hardened = applyChanges(weak, podHardeningChanges(weak));
    const spec = (hardened.spec as any).template.spec;
    expect(spec.securityContext.runAsNonRoot).toBe(false);
    expect(spec.securityContext.runAsUser).toBe(0);
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'Unconfined' });
    expect(spec.automountServiceAccountToken).toBe(true);
    expect(spec.containers[0].securityContext).toMatchObject({ privileged: true, readOnlyRootFilesystem: false, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } });
    // ...and the rules still judge them.
    const ids = checkObjects([{ object: hardened }], { settings: { completeSet: false } }).findings.map((f) => f.ruleId);
    expect(ids).toEqual(expect.arrayContaining(['pod-privileged', 'pod-run-as-user', 'pod-seccomp-restricted', 'pod-automount-service-account-token']));
  });

  test('completes a drop list without ALL and keeps the listed capabilities; respells CAP_ only when asked', () => {
    const pod = deployment({ containers: [{ name: 'web', image: 'x', securityContext: { capabilities: { add: ['CAP_NET_BIND_SERVICE'], drop: ['NET_RAW'] } } }] });
    const caps = (o: K8sObject) => (o.spec as any).template.spec.containers[0].securityContext.capabilities;
    expect(caps(applyChanges(pod, podHardeningChanges(pod)))).toEqual({ add: ['CAP_NET_BIND_SERVICE'], drop: ['ALL', 'NET_RAW'] });
    expect(caps(applyChanges(pod, podHardeningChanges(pod, { respellCapabilities: true })))).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['ALL', 'NET_RAW'] });
  });

  test('keeps an existing /tmp mount and adds no scratch volume then', () => {
    const pod = deployment({
      containers: [{ name: 'web', image: 'x', volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }] }],
      volumes: [{ name: 'scratch', emptyDir: {} }],
    });
    const spec = (applyChanges(pod, podHardeningChanges(pod)).spec as any).template.spec;
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'scratch', mountPath: '/tmp' }]);
    expect(spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
  });

  test('hardens init containers and CronJob, Pod and foreign pod templates at their own paths', () => {
    const cron: K8sObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template: { spec: { initContainers: [{ name: 'init', image: 'x' }], containers: [{ name: 'job', image: 'x' }] } } } } },
    };
    const paths = podHardeningChanges(cron).map((c) => c.path.join('.'));
    expect(paths).toContain('spec.jobTemplate.spec.template.spec.initContainers.0.securityContext.readOnlyRootFilesystem');
    expect(paths).toContain('spec.jobTemplate.spec.template.spec.volumes.0');
    const pod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    expect(podHardeningChanges(pod).map((c) => c.path.join('.'))).toContain('spec.securityContext.runAsNonRoot');
    const rollout: K8sObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    expect(podHardeningChanges(rollout).map((c) => c.path.join('.'))).toContain('spec.template.spec.containers.0.securityContext.privileged');
    expect(podHardeningChanges({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toEqual([]);
  });

  test('is pure and deterministic, and a second pass changes nothing', () => {
    const input = bare();
    const snapshot = JSON.stringify(input);
    const first = podHardeningChanges(input);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(JSON.stringify(podHardeningChanges(bare()))).toBe(JSON.stringify(first));
    const hardened = applyChanges(input, first);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(podHardeningChanges(hardened)).toEqual([]);
  });

  test('options: profiles, AppArmor annotation, SELinux, runtime class, size, node selector', () => {
    const changes = podHardeningChanges(bare(), {
      runAsId: 10001,
      seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' },
      appArmorProfile: { type: 'Localhost', localhostProfile: 'web' },
      appArmorPlacement: 'annotation',
      seLinuxOptions: { type: 'container_t' },
      runtimeClassName: 'gvisor',
      tmpSizeLimit: '1Gi',
      nodeSelector: { pool: 'web' },
    });
    const hardened = applyChanges(bare(), changes) as any;
    const spec = hardened.spec.template.spec;
    expect(spec.securityContext).toMatchObject({ runAsUser: 10001, seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/web.json' }, seLinuxOptions: { type: 'container_t' } });
    expect(spec.securityContext.appArmorProfile).toBeUndefined();
    expect(hardened.spec.template.metadata.annotations).toEqual({ 'container.apparmor.security.beta.kubernetes.io/web': 'localhost/web' });
    expect(spec.runtimeClassName).toBe('gvisor');
    expect(spec.nodeSelector).toEqual({ pool: 'web' });
    expect(spec.volumes[0].emptyDir.sizeLimit).toBe('1Gi');
  });

  test('input it cannot harden without guessing is an error naming the object, field and fix', () => {
    const squatter = deployment({ containers: [{ name: 'web', image: 'x' }], volumes: [{ name: 'tmp', configMap: { name: 'c' } }] });
    expect(() => podHardeningChanges(squatter)).toThrow(/Deployment\/web: a volume is already named "tmp".*Fix: rename that volume/);
    const wrongType = deployment({ containers: [{ name: 'web', image: 'x', securityContext: 'strict' }] });
    expect(() => podHardeningChanges(wrongType)).toThrow(/Deployment\/web: spec\.template\.spec\.containers\[0\]\.securityContext is a string \("strict"\), not an object.*Fix:/);
    const conflict = deployment({ containers: [{ name: 'web', image: 'x' }], nodeSelector: { pool: 'batch' } });
    expect(() => podHardeningChanges(conflict, { nodeSelector: { pool: 'web' }, subject: '[app/web] HardenedDeployment' }))
      .toThrow(/^\[app\/web\] HardenedDeployment: nodeSelector pool=batch conflicts with dedicatedNodes pool=web/);
  });
});
