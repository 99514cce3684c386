import * as fs from 'fs';
import * as path from 'path';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { configSchemaErrors } from './validate-config';
import { AuditWebhookConfig, AuditWebhookMode, ControlPlaneConfig, Hardening } from '../../src';
import { ControlPlaneComponent, KUBEADM_SECTIONS, parseCommandLine } from '../../src/analysis/cluster/component-flags';
import { CONTROL_PLANE_SETTINGS, ControlPlaneSetting } from '../../src/analysis/cluster/control-plane-settings';
import { checkObjects } from '../../src/engine/engine';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cluster');

type Args = Array<{ name: string; value: string }>;

/** The ClusterConfiguration ControlPlaneConfig writes by default. */
function generated(): any {
  const chart = new Chart(Testing.app(), 'test');
  new ControlPlaneConfig(chart, 'CP', { kubernetesVersion: 'v1.33.2' });
  return Testing.synth(chart)[0];
}

function sectionOf(config: any, component: ControlPlaneComponent): any {
  return KUBEADM_SECTIONS[component].split('.').reduce((o, k) => o[k], config);
}

/** The generated config with one component's flags changed (null removes a flag), as v1beta4 lists. */
function patched(component: ControlPlaneComponent, changes: Readonly<Record<string, string | null>>): any {
  const config = JSON.parse(JSON.stringify(generated()));
  const section = sectionOf(config, component);
  const kept = (section.extraArgs as Args).filter((a) => !(a.name in changes));
  const added = Object.entries(changes).filter(([, v]) => v !== null).map(([name, value]) => ({ name, value: value as string }));
  section.extraArgs = [...kept, ...added];
  return config;
}

/** The same file in kubeadm v1beta3, extraArgs as maps. */
function asV1beta3(config: any): any {
  const copy = JSON.parse(JSON.stringify(config));
  copy.apiVersion = 'kubeadm.k8s.io/v1beta3';
  for (const component of Object.keys(KUBEADM_SECTIONS) as ControlPlaneComponent[]) {
    const section = sectionOf(copy, component);
    section.extraArgs = Object.fromEntries((section.extraArgs as Args).map((a) => [a.name, a.value]));
  }
  return copy;
}

/** The static pod kubeadm would write for a component of the file: its own defaults, then the file's extraArgs. */
function staticPod(config: any, component: ControlPlaneComponent): any {
  const flags = new Map<string, string>();
  for (const row of CONTROL_PLANE_SETTINGS) {
    if (row.component === component && row.kubeadmDefault !== undefined) flags.set(row.flag, row.kubeadmDefault);
  }
  for (const a of sectionOf(config, component).extraArgs as Args) flags.set(a.name, a.value);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${component}-node1`, namespace: 'kube-system' },
    spec: { containers: [{ name: component, image: `registry.k8s.io/${component}:v1.33.2`, command: [component, ...[...flags].map(([k, v]) => `--${k}=${v}`)] }] },
  };
}

/** Findings of one rule, or of every cluster rule (static pods also meet the pod rules, which are not this area's). */
function findings(object: unknown, ruleId?: string): string[] {
  const result = checkObjects([{ object: object as any }]);
  expect(result.problems).toEqual([]);
  return result.findings.filter((f) => (ruleId === undefined ? f.ruleId.startsWith('cluster-') : f.ruleId === ruleId)).map((f) => `${f.ruleId} ${f.path}: ${f.message}`);
}

const rowName = (row: ControlPlaneSetting) => `${row.component} --${row.flag}`;

describe('the control-plane settings table', () => {
  test('rows are unique per component and flag, each names a catalog rule and CIS items', () => {
    const names = CONTROL_PLANE_SETTINGS.map(rowName);
    expect(new Set(names).size).toBe(names.length);
    for (const row of CONTROL_PLANE_SETTINGS) {
      const cis = row.cis.length + (row.cis112Only?.length ?? 0) > 0;
      const facts = { row: rowName(row), cis, reason: row.reason.length > 20, cases: row.insecure.length > 0 };
      expect(facts).toEqual({ row: rowName(row), cis: true, reason: true, cases: true });
    }
    expect(CONTROL_PLANE_SETTINGS.length).toBe(31);
  });

  test('the generated ClusterConfiguration and its static pods pass every rule; v1beta3 maps too', () => {
    const config = generated();
    expect(findings(config)).toEqual([]);
    expect(findings(asV1beta3(config))).toEqual([]);
    for (const component of Object.keys(KUBEADM_SECTIONS) as ControlPlaneComponent[]) expect(findings(staticPod(config, component))).toEqual([]);
  });
});

/**
 * Every row of the table, per rule: the construct writes a value the row accepts (or leaves the flag to a default
 * the row accepts), and each insecure change of the row fails in a v1beta4 file, a v1beta3 file and a static pod.
 */
describe.each([
  ['cluster-apiserver-authentication'],
  ['cluster-apiserver-authorization-mode'],
  ['cluster-apiserver-admission-plugins'],
  ['cluster-apiserver-audit-log'],
  ['cluster-apiserver-encryption-at-rest'],
  ['cluster-apiserver-tls'],
  ['cluster-control-plane-profiling'],
  ['cluster-control-plane-bind-address'],
  ['cluster-control-plane-limits'],
  ['cluster-controller-manager-credentials'],
  ['cluster-etcd-client-cert-auth'],
  ['cluster-etcd-tls-urls'],
])('%s', (ruleId) => {
  const rows = CONTROL_PLANE_SETTINGS.filter((r) => r.ruleId === ruleId);

  test('owns at least one row', () => expect(rows.length).toBeGreaterThan(0));

  test.each(rows.map((r) => [rowName(r), r] as const))('%s: the construct writes it or keeps a secure default', (_name, row) => {
    const args = sectionOf(generated(), row.component).extraArgs as Args;
    const written = args.filter((a) => a.name === row.flag).map((a) => a.value);
    const effective = written.length > 0 ? written[written.length - 1] : row.kubeadmDefault;
    const flags = new Map(args.map((a) => [a.name, { value: a.value, path: '' }]));
    expect(row.judge(effective, flags)).toBeUndefined();
    // a fixed value of the table is what the file says
    if (row.written !== undefined) expect(written).toEqual([row.written]);
    // a secure default is proven insecure when removed, so the row is not vacuous
    expect(row.insecure.length).toBeGreaterThan(0);
  });

  test.each(rows.flatMap((r) => r.insecure.map((change) => [`${rowName(r)} ${JSON.stringify(change)}`, r, change] as const)))(
    '%s fails as v1beta4, v1beta3 and static pod',
    (_name, row, change) => {
      const config = patched(row.component, change);
      const mentions = (list: string[]) => list.filter((f) => f.includes(`: ${row.component} `) && f.includes(`--${row.flag}`));
      expect(mentions(findings(config, ruleId))).toHaveLength(1);
      expect(mentions(findings(asV1beta3(config), ruleId))).toHaveLength(1);
      expect(mentions(findings(staticPod(config, row.component), ruleId))).toHaveLength(1);
    },
  );
});

describe('hand-written files', () => {
  test('the kubeadm config of the issue gives a finding per insecure setting', () => {
    const [config] = yaml.loadAll(fs.readFileSync(path.join(FIXTURES, 'handwritten-kubeadm.yaml'), 'utf8')) as any[];
    const result = checkObjects([{ object: config }]);
    expect(result.problems).toEqual([]);
    const bad = result.findings.filter((f) => f.path !== 'apiServer.extraArgs' && f.path !== 'controllerManager.extraArgs' && f.path !== 'scheduler.extraArgs');
    expect(bad.map((f) => `${f.ruleId} ${f.path}: ${f.message}`)).toEqual([
      'cluster-apiserver-admission-plugins apiServer.extraArgs.enable-admission-plugins: kube-apiserver --enable-admission-plugins=AlwaysAdmit enables AlwaysAdmit and lacks NodeRestriction, AlwaysPullImages, DenyServiceExternalIPs',
      'cluster-apiserver-authentication apiServer.extraArgs.anonymous-auth: kube-apiserver --anonymous-auth=true (must be false)',
      'cluster-apiserver-authentication apiServer.extraArgs.token-auth-file: kube-apiserver --token-auth-file=/etc/kubernetes/tokens.csv accepts static, never-expiring bearer tokens',
      'cluster-apiserver-tls apiServer.extraArgs.tls-min-version: kube-apiserver --tls-min-version=VersionTLS10 (must be VersionTLS12 or VersionTLS13)',
      'cluster-control-plane-bind-address controllerManager.extraArgs.bind-address: kube-controller-manager --bind-address=0.0.0.0 (must be 127.0.0.1)',
      'cluster-control-plane-profiling apiServer.extraArgs.profiling: kube-apiserver --profiling=true (must be false)',
      'cluster-etcd-tls-urls etcd.local.extraArgs.listen-client-urls: etcd --listen-client-urls=http://0.0.0.0:2379 serves http://0.0.0.0:2379 without TLS',
    ]);
    // and what it leaves out: no audit policy or backend, no encryption at rest
    const absent = result.findings.filter((f) => f.path === 'apiServer.extraArgs').map((f) => f.message);
    expect(absent).toEqual(expect.arrayContaining([
      'kube-apiserver --audit-policy-file is not set: the API server records no audit events',
      'kube-apiserver --audit-log-path is not set and no --audit-webhook-config-file: audit events go nowhere',
      'kube-apiserver --encryption-provider-config is not set: Secrets are stored unencrypted in etcd',
    ]));
  });

  test('a kube-apiserver static pod with AlwaysAllow is judged like the kubeadm file', () => {
    const [pod] = yaml.loadAll(fs.readFileSync(path.join(FIXTURES, 'kube-apiserver-always-allow.yaml'), 'utf8')) as any[];
    expect(findings(pod, 'cluster-apiserver-authorization-mode')).toEqual([
      'cluster-apiserver-authorization-mode spec.containers[0].command[3]: kube-apiserver --authorization-mode=AlwaysAllow includes AlwaysAllow and lacks Node and lacks RBAC',
    ]);
    // a static pod is the complete command line: what kubeadm would add is not assumed
    expect(findings(pod, 'cluster-apiserver-authentication')).toContain(
      'cluster-apiserver-authentication spec.containers[0].command: kube-apiserver --anonymous-auth is not set and defaults to true; set --anonymous-auth=false',
    );
    // the same manifest outside kube-system, or running another binary, is not a control-plane pod
    expect(findings({ ...pod, metadata: { ...pod.metadata, namespace: 'default' } }, 'cluster-apiserver-authorization-mode')).toEqual([]);
  });

  test('flags are read from command and args, --flag value and --flag=value, last wins; booleans never take the next word', () => {
    const pod = (command: string[], args: string[] = []) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 's', namespace: 'kube-system' },
      spec: { containers: [{ name: 'c', image: 'x', command, args }] },
    });
    const profiling = (p: any) => findings(p, 'cluster-control-plane-profiling');
    expect(profiling(pod(['/usr/local/bin/kube-scheduler', '--profiling=false']))).toEqual([]);
    expect(profiling(pod(['kube-scheduler'], ['--profiling=false', '--profiling=true']))).toEqual([
      'cluster-control-plane-profiling spec.containers[0].args[1]: kube-scheduler --profiling=true (must be false)',
    ]);
    expect(profiling(pod(['kube-scheduler', '--profiling=true'], ['--profiling=false']))).toEqual([]);
    // pflag: `--profiling false` sets profiling to true; "false" is a positional argument
    expect(profiling(pod(['kube-scheduler', '--profiling', 'false']))).toEqual([
      'cluster-control-plane-profiling spec.containers[0].command[1]: kube-scheduler --profiling=true (must be false)',
    ]);
    expect(findings(pod(['kube-scheduler', '--profiling=false', '--bind-address', '0.0.0.0']), 'cluster-control-plane-bind-address')).toEqual([
      'cluster-control-plane-bind-address spec.containers[0].command[3]: kube-scheduler --bind-address=0.0.0.0 (must be 127.0.0.1)',
    ]);
    // etcd parses with Go's flag package: a single dash works too
    const words = (list: string[]) => list.map((word, i) => ({ word, path: `w${i}` }));
    expect([...parseCommandLine(words(['-client-cert-auth=false', '-name', 'etcd0']), new Set(['client-cert-auth']), true)]).toEqual([
      ['client-cert-auth', { value: 'false', path: 'w0' }],
      ['name', { value: 'etcd0', path: 'w2' }],
    ]);
    expect([...parseCommandLine(words(['-profiling=false']), new Set(), false)]).toEqual([]);
  });

  test('YAML-typed values in a v1beta3 map are judged as the user wrote them; external etcd is not judged', () => {
    const config = asV1beta3(generated());
    config.apiServer.extraArgs.profiling = true;
    delete config.etcd.local;
    config.etcd.external = { endpoints: ['https://etcd.example:2379'] };
    expect(findings(config)).toEqual(['cluster-control-plane-profiling apiServer.extraArgs.profiling: kube-apiserver --profiling=true (must be false)']);
  });
});

describe('construct and rules agree', () => {
  test('a JSON patch adding anonymous-auth=true to a ControlPlaneConfig fails Hardening.enforce', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'kubeadm');
    Hardening.enforce(chart);
    const cp = new ControlPlaneConfig(chart, 'CP', { kubernetesVersion: 'v1.33.2' });
    expect(() => app.synthYaml()).not.toThrow();
    cp.apiObject.addJsonPatch(JsonPatch.add('/apiServer/extraArgs/-', { name: 'anonymous-auth', value: 'true' }));
    expect(() => app.synthYaml()).toThrow(/cluster-apiserver-authentication\s+critical\s+ClusterConfiguration\S*\s.*apiServer\.extraArgs\[\d+\]\.value/);
  });

  test('a prop the table rejects fails synth with the rule and CIS item', () => {
    const make = (props: any) => () => new ControlPlaneConfig(new Chart(Testing.app(), 'x'), 'CP', { kubernetesVersion: 'v1.33.0', ...props });
    expect(make({ auditLogMaxAge: 7 })).toThrow('x/CP: kube-apiserver --audit-log-maxage=7 (must be an integer of 30 or more) (cluster-apiserver-audit-log, CIS 1.2.17)');
    expect(make({ auditLogMaxBackup: 3 })).toThrow(/audit-log-maxbackup=3 .*CIS 1\.2\.18/);
    expect(make({ auditLogMaxSize: 10 })).toThrow(/audit-log-maxsize=10 .*CIS 1\.2\.19/);
  });
});

describe('AuthenticationConfiguration and AuthorizationConfiguration', () => {
  const authn = (anonymous: unknown) => ({ apiVersion: 'apiserver.config.k8s.io/v1beta1', kind: 'AuthenticationConfiguration', ...(anonymous === undefined ? {} : { anonymous }) });
  test('anonymous access beyond the health endpoints is a finding', () => {
    const run = (o: unknown) => findings(o, 'cluster-apiserver-authentication');
    expect(run(authn({ enabled: true, conditions: [{ path: '/healthz' }, { path: '/readyz' }] }))).toEqual([]);
    expect(run(authn({ enabled: false }))).toEqual([]);
    expect(run(authn({ enabled: true }))).toEqual(['cluster-apiserver-authentication anonymous.conditions: anonymous requests are allowed on every path']);
    expect(run(authn({ enabled: true, conditions: [{ path: '/healthz' }, { path: '/api' }] }))).toEqual([
      'cluster-apiserver-authentication anonymous.conditions[1].path: anonymous requests are allowed on "/api", not a health endpoint (/healthz, /livez, /readyz)',
    ]);
    expect(run(authn(undefined))).toHaveLength(1);
  });

  test('an authorizer chain with AlwaysAllow or without Node and RBAC is a finding', () => {
    const authz = (...types: string[]) => ({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AuthorizationConfiguration', authorizers: types.map((type) => ({ type, name: type.toLowerCase() })) });
    const run = (o: unknown) => findings(o, 'cluster-apiserver-authorization-mode');
    expect(run(authz('Node', 'RBAC'))).toEqual([]);
    expect(run(authz('Node', 'Webhook', 'RBAC'))).toEqual([]);
    expect(run(authz('Node', 'RBAC', 'AlwaysAllow'))).toEqual(['cluster-apiserver-authorization-mode authorizers[2].type: the authorizer chain includes AlwaysAllow']);
    expect(run(authz('RBAC'))).toEqual(['cluster-apiserver-authorization-mode authorizers: the authorizer chain lacks Node']);
    // with --authorization-config, --authorization-mode is not required
    const config = patched('kube-apiserver', { 'authorization-mode': null, 'authorization-config': '/etc/kubernetes/authz.yaml' });
    expect(findings(staticPod(config, 'kube-apiserver'), 'cluster-apiserver-authorization-mode')).toEqual([]);
  });
});

describe('AuditWebhookConfig', () => {
  const build = (props: any, cp: any = {}) => {
    const app = Testing.app();
    const chart = new Chart(app, 'audit');
    const webhook = new AuditWebhookConfig(chart, 'Webhook', props);
    new ControlPlaneConfig(chart, 'CP', { kubernetesVersion: 'v1.33.2', auditWebhook: webhook, ...cp });
    return Testing.synth(chart);
  };

  test('a kubeconfig with paths only, the --audit-webhook-* flags, and mounts for every file it names', () => {
    const [kubeconfig, config] = build({
      server: 'https://falco-k8saudit.falco.svc:9765/k8s-audit',
      certificateAuthorityFile: '/etc/kubernetes/audit/falco-ca.crt',
      clientCertificateFile: '/etc/kubernetes/pki/audit-webhook-client.crt',
      clientKeyFile: '/etc/kubernetes/pki/audit-webhook-client.key',
      batchMaxWait: '5s',
    });
    expect(kubeconfig).toEqual({
      'apiVersion': 'v1',
      'kind': 'Config',
      'metadata': { name: expect.any(String) },
      'clusters': [{ name: 'audit-webhook', cluster: { 'server': 'https://falco-k8saudit.falco.svc:9765/k8s-audit', 'certificate-authority': '/etc/kubernetes/audit/falco-ca.crt' } }],
      'users': [{ name: 'kube-apiserver', user: { 'client-certificate': '/etc/kubernetes/pki/audit-webhook-client.crt', 'client-key': '/etc/kubernetes/pki/audit-webhook-client.key' } }],
      'contexts': [{ name: 'audit-webhook', context: { cluster: 'audit-webhook', user: 'kube-apiserver' } }],
      'current-context': 'audit-webhook',
    });
    expect(JSON.stringify(kubeconfig)).not.toMatch(/-data"|token|password/);
    expect(configSchemaErrors(kubeconfig)).toEqual([]);
    const args = Object.fromEntries((config.apiServer.extraArgs as Args).map((a) => [a.name, a.value]));
    expect(Object.fromEntries(Object.entries(args).filter(([k]) => k.startsWith('audit-webhook-')))).toEqual({
      'audit-webhook-config-file': '/etc/kubernetes/audit/webhook.kubeconfig',
      'audit-webhook-mode': 'batch',
      'audit-webhook-initial-backoff': '10s',
      'audit-webhook-batch-buffer-size': '10000',
      'audit-webhook-batch-max-size': '400',
      'audit-webhook-batch-max-wait': '5s',
      'audit-webhook-batch-throttle-enable': 'true',
      'audit-webhook-batch-throttle-qps': '10',
      'audit-webhook-batch-throttle-burst': '15',
    });
    // the kubeconfig and the CA are mounted; the client pair sits in /etc/kubernetes/pki, which kubeadm mounts already
    const mounts = (config.apiServer.extraVolumes as any[]).filter((v) => v.name.startsWith('audit-webhook')).map((v) => [v.name, v.hostPath, v.readOnly]);
    expect(mounts).toEqual([
      ['audit-webhook-config', '/etc/kubernetes/audit/webhook.kubeconfig', true],
      ['audit-webhook-file-1', '/etc/kubernetes/audit/falco-ca.crt', true],
    ]);
    expect(checkObjects([{ object: kubeconfig }, { object: config }])).toMatchObject({ findings: [], problems: [] });
  });

  test('with only the webhook as backend the audit rule is satisfied; blocking modes write no batch flags', () => {
    const [, config] = build({ server: 'https://siem.example:8443/audit', certificateAuthorityFile: '/etc/siem/ca.crt', mode: AuditWebhookMode.BLOCKING_STRICT });
    const args = config.apiServer.extraArgs as Args;
    expect(args.filter((a) => a.name.startsWith('audit-webhook-')).map((a) => a.name).sort()).toEqual(['audit-webhook-config-file', 'audit-webhook-initial-backoff', 'audit-webhook-mode']);
    config.apiServer.extraArgs = args.filter((a) => !a.name.startsWith('audit-log-'));
    expect(findings(config, 'cluster-apiserver-audit-log')).toEqual([]);
    config.apiServer.extraArgs = (config.apiServer.extraArgs as Args).filter((a) => a.name !== 'audit-webhook-config-file');
    expect(findings(config, 'cluster-apiserver-audit-log')).toHaveLength(1);
  });

  test('loud errors: plain http, inline credentials, relative paths, half a client pair, batch settings outside batch mode', () => {
    const ca = '/etc/kubernetes/audit/ca.crt';
    const make = (props: any, cp: any = {}) => () => build(props, cp);
    expect(make({ server: 'http://falco:9765/k8s-audit', certificateAuthorityFile: ca })).toThrow(/audit\/Webhook: server "http:\/\/falco:9765\/k8s-audit" must use https:\/\//);
    expect(make({ server: 'https://user:pw@falco/x', certificateAuthorityFile: ca })).toThrow(/never inline secrets/);
    expect(make({ server: 'https://falco/x?token=abc', certificateAuthorityFile: ca })).toThrow(/never inline secrets/);
    expect(make({ server: 'not a url', certificateAuthorityFile: ca })).toThrow(/is not a URL/);
    expect(make({ server: 'https://falco/x', certificateAuthorityFile: 'ca.crt' })).toThrow(/certificateAuthorityFile "ca.crt" must be an absolute file path/);
    expect(make({ server: 'https://falco/x', certificateAuthorityFile: ca, clientKeyFile: '/k.key' })).toThrow(/set both clientCertificateFile and clientKeyFile/);
    expect(make({ server: 'https://falco/x', certificateAuthorityFile: ca, mode: AuditWebhookMode.BLOCKING, batchMaxSize: 10 })).toThrow(/batchMaxSize only apply to AuditWebhookMode.BATCH/);
    expect(make({ server: 'https://falco/x', certificateAuthorityFile: ca, batchMaxWait: '0s' })).toThrow(/batchMaxWait "0s" must be a non-zero duration/);
    expect(make({ server: 'https://falco/x', certificateAuthorityFile: ca, batchThrottleQps: 0 })).toThrow(/batchThrottleQps must be an integer >= 1/);
    expect(make({ server: 'https://falco/x', certificateAuthorityFile: ca }, { auditWebhookConfigFile: '/etc/w.kubeconfig' })).toThrow(/set auditWebhook or auditWebhookConfigFile, not both/);
  });
});
