import { container, deployment, paths, pod, run, waive } from '../../supply-chain/fixtures';

const PRIVILEGED = 'workload-privileged-port';
const SSH = 'workload-ssh-port';
const ports = (...list: unknown[]) => deployment({ containers: [container({ ports: list })] });
const service = (portList: unknown[], annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'svc', namespace: 'shop', ...(annotations ? { annotations } : {}) },
  spec: { selector: { app: 'web' }, ports: portList },
});

describe('workload-privileged-port', () => {
  test('ports below 1024 fail at containerPort; 1024 and above pass', () => {
    const result = run(PRIVILEGED, [ports({ containerPort: 80 }, { containerPort: 1024 }, { containerPort: 8443 }, { containerPort: 0 })]);
    expect(result.findings.map((f) => [f.path, f.message])).toEqual([
      ['spec.template.spec.containers[0].ports[0].containerPort', 'container "app" declares privileged port 80'],
      ['spec.template.spec.containers[0].ports[3].containerPort', 'container "app" declares privileged port 0'],
    ]);
  });

  test('Windows pods are exempt; malformed ports never throw', () => {
    expect(paths(PRIVILEGED, [pod({ os: { name: 'windows' }, containers: [container({ ports: [{ containerPort: 80 }] })] })])).toEqual([]);
    expect(paths(PRIVILEGED, [ports(null, 'x', { containerPort: '80' }), deployment({ containers: [container({ ports: { containerPort: 80 } })] })])).toEqual([]);
  });
});

describe('workload-ssh-port', () => {
  test('container port 22/TCP or named ssh fails; 22/UDP passes', () => {
    const result = run(SSH, [ports({ containerPort: 22 }, { containerPort: 2222, name: 'ssh' }, { containerPort: 22, protocol: 'UDP' })]);
    expect(result.findings.map((f) => [f.kind, f.path, f.message])).toEqual([
      ['Deployment', 'spec.template.spec.containers[0].ports[0]', 'container "app" exposes the SSH port (22)'],
      ['Deployment', 'spec.template.spec.containers[0].ports[1]', 'container "app" exposes the SSH port (ssh)'],
    ]);
  });

  test('a Service port or targetPort 22 (or named ssh) fails', () => {
    const result = run(SSH, [service([{ port: 443, targetPort: 8443 }, { port: 22 }, { port: 2222, targetPort: 22 }, { port: 2223, targetPort: 'ssh' }, { port: 22, protocol: 'UDP' }])]);
    expect(result.findings.map((f) => [f.kind, f.path])).toEqual([
      ['Service', 'spec.ports[1]'],
      ['Service', 'spec.ports[2]'],
      ['Service', 'spec.ports[3]'],
    ]);
    expect(result.findings[1].message).toBe('Service "svc" exposes the SSH port (port 2222, targetPort 22)');
  });

  test('waivers on the Service or workload are honoured; malformed Services never throw', () => {
    const result = run(SSH, [service([{ port: 22 }], waive(SSH, 'gitea serves git over ssh')), ports({ containerPort: 8080 })]);
    expect(result.findings).toEqual([]);
    expect(result.waived).toHaveLength(1);
    expect(paths(SSH, [{ ...service([]), spec: { ports: 'x' } }, { ...service([]), spec: null }, service([null, { port: 'x' }])])).toEqual([]);
  });
});
