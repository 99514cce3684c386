import { Chart, Testing } from 'cdk8s';
import { KubeletConfig } from '../../src';
import { fieldAt, KUBELET_SETTINGS } from '../../src/analysis/cluster/kubelet-settings';
import { checkObjects } from '../../src/engine/engine';

/** The KubeletConfiguration KubeletConfig writes by default. */
function generated(): any {
  const chart = new Chart(Testing.app(), 'test');
  new KubeletConfig(chart, 'Kubelet');
  return Testing.synth(chart)[0];
}

/** A copy with dotted paths set (null removes the field). */
function changed(config: any, changes: Readonly<Record<string, unknown>>): any {
  const copy = JSON.parse(JSON.stringify(config));
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    let node = copy;
    for (const k of keys.slice(0, -1)) node = node[k] = node[k] ?? {};
    if (value === null) delete node[keys[keys.length - 1]];
    else node[keys[keys.length - 1]] = value;
  }
  return copy;
}

function findings(object: unknown, ruleId: string): string[] {
  const result = checkObjects([{ object: object as any }]);
  expect(result.problems).toEqual([]);
  return result.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.path}: ${f.message}`);
}

test('kubelet table rows are unique and each has a reason and proof cases', () => {
  const paths = KUBELET_SETTINGS.map((r) => r.path);
  expect(new Set(paths).size).toBe(paths.length);
  for (const row of KUBELET_SETTINGS) {
    expect({ path: row.path, reason: row.reason.length > 20, cases: row.insecure.length > 0 }).toEqual({ path: row.path, reason: true, cases: true });
  }
  expect(KUBELET_SETTINGS.length).toBe(15);
});

/** Every row, per rule: the construct writes a value the row accepts, and each insecure change fails. */
describe.each([
  ['cluster-kubelet-anonymous-auth'],
  ['cluster-kubelet-authorization-webhook'],
  ['cluster-kubelet-read-only-port'],
  ['cluster-kubelet-tls'],
  ['cluster-kubelet-node-protections'],
])('%s', (ruleId) => {
  const rows = KUBELET_SETTINGS.filter((r) => r.ruleId === ruleId);

  test('the generated file passes; a file without metadata or with any name is judged', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(findings(generated(), ruleId)).toEqual([]);
    for (const row of rows) expect(row.judge(fieldAt(generated(), row.path), generated())).toBeUndefined();
  });

  test.each(rows.flatMap((r) => r.insecure.map((change) => [`${r.path} ${JSON.stringify(change)}`, r, change] as const)))('%s fails', (_name, row, change) => {
    const bad = changed(generated(), change);
    expect(findings(bad, ruleId).filter((f) => f.startsWith(`${row.path}: `))).toHaveLength(1);
    expect(findings({ ...bad, metadata: { name: 'node-a' } }, ruleId).filter((f) => f.startsWith(`${row.path}: `))).toHaveLength(1);
  });
});

test('a minimal hand-written kubelet file gets a finding for each default the table rejects', () => {
  const file = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' };
  expect([...findings(file, 'cluster-kubelet-tls'), ...findings(file, 'cluster-kubelet-node-protections')]).toEqual([
    'authentication.x509.clientCAFile: authentication.x509.clientCAFile is not set: client certificates are not verified',
    'serverTLSBootstrap: neither serverTLSBootstrap nor tlsCertFile/tlsPrivateKeyFile: the kubelet serves with a self-signed certificate nobody can verify',
    'tlsCipherSuites: tlsCipherSuites is not set: the Go defaults include CBC suites',
    'tlsMinVersion: tlsMinVersion is not set (must be VersionTLS12 or VersionTLS13)',
    'podPidsLimit: podPidsLimit is not set (unlimited) (must be an integer of 64 or more)',
    'protectKernelDefaults: protectKernelDefaults is not set and defaults to false',
    'seccompDefault: seccompDefault is not set and defaults to false',
  ]);
  // the kubelet's own defaults for anonymous auth, authorization and the read-only port are secure
  for (const id of ['cluster-kubelet-anonymous-auth', 'cluster-kubelet-authorization-webhook', 'cluster-kubelet-read-only-port']) expect(findings(file, id)).toEqual([]);
});
