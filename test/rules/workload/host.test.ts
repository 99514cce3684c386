import { sensitiveHostPathReason } from '../../../src/rules/workload/sensitive-host-mount';
import { container, deployment, paths, pod, run, waive } from '../../supply-chain/fixtures';

const OUTSIDE = 'workload-host-access-outside-daemonset';
const SENSITIVE = 'workload-sensitive-host-mount';
const hostVolume = (path: unknown, name = 'host') => ({ name, hostPath: { path } });
const daemonSet = (spec: Record<string, unknown>, annotations?: Record<string, string>) => ({
  ...deployment({ pod: spec, annotations }),
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'kube-system', ...(annotations ? { annotations } : {}) },
});

describe('workload-host-access-outside-daemonset', () => {
  const hostAccess = { hostNetwork: true, hostPID: true, hostIPC: false, volumes: [{ name: 'tmp', emptyDir: {} }, hostVolume('/var/log')] };

  test('host namespaces and hostPath volumes outside a DaemonSet fail, each at its path', () => {
    const result = run(OUTSIDE, [deployment({ pod: hostAccess })]);
    expect(result.findings.map((f) => [f.path, f.message])).toEqual([
      ['spec.template.spec.hostNetwork', 'Deployment "web" sets hostNetwork: true outside a DaemonSet'],
      ['spec.template.spec.hostPID', 'Deployment "web" sets hostPID: true outside a DaemonSet'],
      ['spec.template.spec.volumes[1].hostPath', 'Deployment "web" mounts hostPath "/var/log" (volume "host") outside a DaemonSet'],
    ]);
  });

  test('DaemonSets and pods owned by a DaemonSet are exempt', () => {
    expect(paths(OUTSIDE, [daemonSet(hostAccess)])).toEqual([]);
    const owned = pod({ containers: [container()], ...hostAccess }, { ownerReferences: [{ kind: 'DaemonSet', name: 'agent' }] });
    expect(paths(OUTSIDE, [owned])).toEqual([]);
    expect(paths(OUTSIDE, [pod({ containers: [container()], ...hostAccess })])).toHaveLength(3);
  });

  test('CronJobs are judged at their nested template', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { hostIPC: true } } } } } };
    expect(paths(OUTSIDE, [cron])).toEqual(['spec.jobTemplate.spec.template.spec.hostIPC']);
  });

  test('a waiver is honoured unless the organisation locks the rule', () => {
    const waived = deployment({ pod: { hostNetwork: true }, annotations: waive(OUTSIDE) });
    expect(run(OUTSIDE, [waived]).waived).toHaveLength(1);
    expect(paths(OUTSIDE, [waived], { lockedRules: [OUTSIDE] })).toEqual(['spec.template.spec.hostNetwork']);
  });
});

describe('workload-sensitive-host-mount', () => {
  test.each([
    ['/var/run/docker.sock', /Docker socket/],
    ['/run/containerd/containerd.sock', /containerd socket/],
    ['/var/run/crio/crio.sock', /CRI-O socket/],
    ['/opt/podman/podman.sock', /container runtime socket/],
    ['/var/lib/kubelet/pods', /kubelet credentials/],
    ['/etc', /node configuration/],
    ['/etc/kubernetes/pki/', /node configuration/],
    ['/proc', /host processes/],
    ['/', /whole filesystem/],
    ['//', /whole filesystem/],
    ['/var', /contains \/var\/run\/docker.sock/],
    ['/var/run', /contains \/var\/run\/docker.sock/],
    ['/run', /contains \/run\/docker.sock/],
    ['/root/.ssh', /root home/],
    ['/boot', /kernel images/],
    ['/var/lib/../lib/kubelet', /kubelet credentials/],
    ['etc', /node configuration/],
  ])('%s is sensitive', (path, reason) => {
    expect(sensitiveHostPathReason(path)).toMatch(reason);
  });

  test.each(['/var/log', '/var/log/pods', '/data/app', '/opt/agent', '/var/run/app', '/mnt/disks/ssd0', '/var/lib/app', ''])('%s is not sensitive', (path) => {
    expect(sensitiveHostPathReason(path)).toBeUndefined();
  });

  test('a sensitive mount fails in any workload, DaemonSets included, at the path field', () => {
    const spec = { volumes: [hostVolume('/var/log', 'logs'), hostVolume('/var/run/docker.sock', 'sock')] };
    const result = run(SENSITIVE, [daemonSet(spec), deployment({ pod: spec })]);
    expect(result.findings.map((f) => [f.kind, f.path])).toEqual([
      ['DaemonSet', 'spec.template.spec.volumes[1].hostPath.path'],
      ['Deployment', 'spec.template.spec.volumes[1].hostPath.path'],
    ]);
    expect(result.findings[0].message).toBe('volume "sock" mounts host path "/var/run/docker.sock": the Docker socket gives control of every container on the node');
  });

  test('a node agent can waive it with a reason; malformed volumes never throw', () => {
    const agent = daemonSet({ volumes: [hostVolume('/proc')] }, waive(SENSITIVE, 'node-exporter reads /proc read-only'));
    expect(run(SENSITIVE, [agent]).waived).toHaveLength(1);
    expect(paths(SENSITIVE, [deployment({ pod: { volumes: [null, 'x', { hostPath: 'str' }, hostVolume(7), { name: 'v', hostPath: {} }] } })])).toEqual([]);
  });
});

describe('host access: the PSS rules and workload-host-access-outside-daemonset together', () => {
  const rules = ['pod-host-namespaces', OUTSIDE];
  const pssWaiver = (reason: string) => ({ 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: 'pod-host-namespaces', reason }]) });
  const bothWaivers = {
    'hardened.cdk8s.io/waivers': JSON.stringify([
      { ruleId: 'pod-host-namespaces', reason: 'legacy app binds the node network' },
      { ruleId: OUTSIDE, reason: 'legacy app binds the node network' },
    ]),
  };

  test('a DaemonSet node agent needs only the PSS waiver', () => {
    const result = run(rules[0], [daemonSet({ hostNetwork: true }, pssWaiver('CNI agent programs the node network'))], { rules });
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => f.ruleId)).toEqual(['pod-host-namespaces']);
  });

  test('a Deployment with only the PSS waiver is still reported, with both waivers it passes, locked it never does', () => {
    const onlyPss = run(rules[0], [deployment({ pod: { hostNetwork: true }, annotations: pssWaiver('legacy app binds the node network') })], { rules });
    expect(onlyPss.findings.map((f) => f.ruleId)).toEqual([OUTSIDE]);
    const both = deployment({ pod: { hostNetwork: true }, annotations: bothWaivers });
    expect(run(rules[0], [both], { rules }).findings).toEqual([]);
    expect(run(rules[0], [both], { rules, lockedRules: [OUTSIDE] }).findings.map((f) => f.ruleId)).toEqual([OUTSIDE]);
  });
});
