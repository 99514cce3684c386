import { Chart, Testing } from 'cdk8s';
import { configSchemaErrors } from './validate-config';
import {
  AnonymousAuth,
  ApiServerAuthenticationConfig,
  ControlPlaneConfig,
  EncryptionConfig,
  EncryptionKey,
  EncryptionProvider,
  KubeletConfig,
  TlsCipherSuite,
} from '../../src';
import { checkObjects } from '../../src/engine/engine';

function synth(build: (chart: Chart) => void): any[] {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  build(chart);
  app.synthYaml();
  const objects = Testing.synth(chart);
  // every file validates against the schema of its kind (test/cluster/config-schemas.ts)
  for (const o of objects) expect(configSchemaErrors(o)).toEqual([]);
  return objects;
}

/** kubeadm v1beta4 extraArgs as a map (names are unique in what the library writes). */
function argMap(args: Array<{ name: string; value: string }>): Record<string, string> {
  const names = args.map((a) => a.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual([...names].sort());
  return Object.fromEntries(args.map((a) => [a.name, a.value]));
}

describe('EncryptionConfig', () => {
  test('kms v2 first, previous providers next, identity last; keys are placeholders only', () => {
    const [config] = synth((c) => {
      new EncryptionConfig(c, 'Enc', {
        provider: EncryptionProvider.kmsV2({ name: 'cloud-kms', endpoint: 'unix:///var/run/kms/socket.sock' }),
        previousProviders: [EncryptionProvider.aesGcm([EncryptionKey.fromEnvironment('k1', 'ENC_KEY_1'), EncryptionKey.fromEnvironment('k0', 'ENC_KEY_0')])],
      });
    });
    expect(config).toMatchSnapshot();
    expect(config).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [
        {
          resources: ['secrets'],
          providers: [
            { kms: { apiVersion: 'v2', name: 'cloud-kms', endpoint: 'unix:///var/run/kms/socket.sock', timeout: '3s' } },
            { aesgcm: { keys: [{ name: 'k1', secret: '${ENC_KEY_1}' }, { name: 'k0', secret: '${ENC_KEY_0}' }] } },
            { identity: {} },
          ],
        },
      ],
    });
    expect(config.metadata).toBeUndefined();
    expect(checkObjects([{ object: config }])).toMatchObject({ findings: [], problems: [] });
  });

  test('requiredVariables lists what the installer substitutes', () => {
    const chart = new Chart(Testing.app(), 'x');
    const enc = new EncryptionConfig(chart, 'Enc', { provider: EncryptionProvider.aesCbc([EncryptionKey.fromEnvironment('b', 'KEY_B'), EncryptionKey.fromEnvironment('a', 'KEY_A')]) });
    expect(enc.requiredVariables).toEqual(['KEY_A', 'KEY_B']);
  });

  test('loud errors: no provider, no keys, bad names, resources without secrets, duplicate providers', () => {
    const chart = () => new Chart(Testing.app(), 'x');
    expect(() => new EncryptionConfig(chart(), 'Enc', undefined as any)).toThrow(/x\/Enc: provider is required/);
    expect(() => EncryptionProvider.aesGcm([])).toThrow(/needs at least one key/);
    expect(() => EncryptionProvider.secretbox([EncryptionKey.fromEnvironment('a', 'A'), EncryptionKey.fromEnvironment('a', 'B')])).toThrow(/"a" is used twice/);
    expect(() => EncryptionKey.fromEnvironment('k', 'not-a-var')).toThrow(/not an environment variable name/);
    expect(() => EncryptionKey.fromEnvironment('K!', 'A')).toThrow(/lowercase/);
    expect(() => EncryptionProvider.kmsV2({ name: 'kms', endpoint: 'tcp://1.2.3.4:80' })).toThrow(/unix socket/);
    const kms = () => EncryptionProvider.kmsV2({ name: 'kms', endpoint: 'unix:///k.sock' });
    expect(() => new EncryptionConfig(chart(), 'Enc', { provider: kms(), resources: ['configmaps'] })).toThrow(/must include "secrets"/);
    expect(() => new EncryptionConfig(chart(), 'Enc', { provider: kms(), previousProviders: [kms()] })).toThrow(/same provider is listed twice/);
  });

  test('the catalog rule rejects hand-written files with identity first or no entry for secrets', () => {
    const file = (resources: unknown) => ({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources });
    const run = (obj: unknown) => checkObjects([{ object: obj as any }]).findings.map((f) => `${f.ruleId} ${f.path}`);
    expect(run(file([{ resources: ['secrets'], providers: [{ identity: {} }, { aescbc: { keys: [] } }] }]))).toEqual(['cluster-encryption-secrets-encrypted resources[0].providers[0]']);
    expect(run(file([{ resources: ['configmaps'], providers: [{ aesgcm: {} }] }]))).toEqual(['cluster-encryption-secrets-encrypted resources']);
    expect(run(file('garbage'))).toEqual(['cluster-encryption-secrets-encrypted resources']);
    expect(run(file([{ resources: ['*.*'], providers: [{ secretbox: {} }, { identity: {} }] }]))).toEqual([]);
  });
});

describe('KubeletConfig', () => {
  test('defaults: every CIS kubelet setting', () => {
    const [config] = synth((c) => new KubeletConfig(c, 'Kubelet'));
    expect(config).toMatchSnapshot();
    expect(config.apiVersion).toBe('kubelet.config.k8s.io/v1beta1');
    expect(config.kind).toBe('KubeletConfiguration');
    expect(config.metadata).toBeUndefined();
    expect(config.authentication).toEqual({ anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } });
    expect(config.authorization).toEqual({ mode: 'Webhook' });
    expect(config).toMatchObject({
      readOnlyPort: 0,
      rotateCertificates: true,
      serverTLSBootstrap: true,
      protectKernelDefaults: true,
      makeIPTablesUtilChains: true,
      seccompDefault: true,
      streamingConnectionIdleTimeout: '5m',
      eventRecordQPS: 50,
      podPidsLimit: 4096,
      tlsMinVersion: 'VersionTLS12',
    });
    expect(config.tlsCipherSuites).toHaveLength(6);
    expect(config.tlsCipherSuites.every((s: string) => /^TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305)$/.test(s))).toBe(true);
    expect(checkObjects([{ object: config }])).toMatchObject({ findings: [], problems: [] });
  });

  test('explicit serving certificate replaces serverTLSBootstrap; a subset of suites is kept', () => {
    const [config] = synth((c) => new KubeletConfig(c, 'Kubelet', {
      tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt',
      tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key',
      tlsCipherSuites: [TlsCipherSuite.ECDHE_RSA_AES_256_GCM_SHA384, TlsCipherSuite.ECDHE_RSA_AES_256_GCM_SHA384],
    }));
    expect(config.serverTLSBootstrap).toBeUndefined();
    expect(config.tlsCertFile).toBe('/var/lib/kubelet/pki/kubelet.crt');
    expect(config.tlsCipherSuites).toEqual(['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']);
  });

  test('weak values fail with the CIS item', () => {
    const make = (props: any) => () => new KubeletConfig(new Chart(Testing.app(), 'x'), 'Kubelet', props);
    expect(make({ streamingConnectionIdleTimeout: '0s' })).toThrow(/x\/Kubelet: streamingConnectionIdleTimeout "0s" must be a non-zero duration.*4\.2\.5/);
    expect(make({ streamingConnectionIdleTimeout: 'forever' })).toThrow(/4\.2\.5/);
    expect(make({ eventRecordQps: 0 })).toThrow(/4\.2\.8/);
    expect(make({ podPidsLimit: -1 })).toThrow(/4\.2\.13/);
    expect(make({ tlsCertFile: '/a.crt' })).toThrow(/set both tlsCertFile and tlsPrivateKeyFile/);
    expect(make({ tlsCipherSuites: ['TLS_RSA_WITH_RC4_128_SHA'] })).toThrow(/not one of the strong suites/);
    expect(make({ tlsCipherSuites: [] })).toThrow(/tlsCipherSuites is empty/);
    expect(make({ clientCaFile: 'ca.crt' })).toThrow(/absolute path/);
  });

  test('catalog rules judge hand-written kubelet files (with or without metadata)', () => {
    const bad = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', authentication: { anonymous: { enabled: true } }, authorization: { mode: 'AlwaysAllow' }, readOnlyPort: 10255 };
    const result = checkObjects([{ object: bad }, { object: { ...bad, metadata: { name: 'named' }, authentication: 'junk', readOnlyPort: 'x' } }]);
    expect(result.problems).toEqual([]);
    // the fields these files leave out are judged in kubelet-settings.test.ts
    const judged = ['cluster-kubelet-anonymous-auth', 'cluster-kubelet-authorization-webhook', 'cluster-kubelet-read-only-port'];
    expect(result.findings.filter((f) => judged.includes(f.ruleId)).map((f) => `${f.name || '-'} ${f.ruleId} ${f.path}`)).toEqual([
      '- cluster-kubelet-anonymous-auth authentication.anonymous.enabled',
      '- cluster-kubelet-authorization-webhook authorization.mode',
      '- cluster-kubelet-read-only-port readOnlyPort',
      'named cluster-kubelet-authorization-webhook authorization.mode',
      'named cluster-kubelet-read-only-port readOnlyPort', // "x" is no port: loud, not a pass
    ]);
  });
});

describe('ControlPlaneConfig', () => {
  test('kubeadm v1beta4 ClusterConfiguration with CIS flags and volumes', () => {
    const [config] = synth((c) => new ControlPlaneConfig(c, 'ControlPlane', { kubernetesVersion: 'v1.33.2', controlPlaneEndpoint: 'api.example:6443' }));
    expect(config).toMatchSnapshot();
    expect(config.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(config.kind).toBe('ClusterConfiguration');
    expect(config.metadata).toBeUndefined();
    const api = argMap(config.apiServer.extraArgs);
    expect(api).toMatchObject({
      'authentication-config': '/etc/kubernetes/authn/authentication-config.yaml',
      'authorization-mode': 'Node,RBAC',
      'profiling': 'false',
      'audit-log-path': '/var/log/kubernetes/audit/audit.log',
      'audit-log-maxage': '30',
      'audit-log-maxbackup': '10',
      'audit-log-maxsize': '100',
      'audit-policy-file': '/etc/kubernetes/audit/policy.yaml',
      'encryption-provider-config': '/etc/kubernetes/enc/encryption-config.yaml',
      'service-account-lookup': 'true',
      'kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt',
      'tls-min-version': 'VersionTLS12',
    });
    expect(api['anonymous-auth']).toBeUndefined(); // exclusive with the anonymous section of --authentication-config
    const plugins = api['enable-admission-plugins'].split(',');
    expect(plugins).toEqual(expect.arrayContaining(['NodeRestriction', 'AlwaysPullImages', 'NamespaceLifecycle', 'ServiceAccount', 'DenyServiceExternalIPs']));
    expect(plugins).not.toContain('AlwaysAdmit');
    expect(argMap(config.controllerManager.extraArgs)).toMatchObject({ 'profiling': 'false', 'use-service-account-credentials': 'true', 'bind-address': '127.0.0.1' });
    expect(argMap(config.scheduler.extraArgs)).toEqual({ 'profiling': 'false', 'bind-address': '127.0.0.1' });
    expect(argMap(config.etcd.local.extraArgs)).toEqual({ 'client-cert-auth': 'true', 'peer-client-cert-auth': 'true', 'auto-tls': 'false', 'peer-auto-tls': 'false' });
    // every file a flag names is mounted into the API server pod; only the log directory is writable
    const mounts = config.apiServer.extraVolumes;
    for (const flag of ['audit-policy-file', 'encryption-provider-config', 'authentication-config']) {
      expect(mounts).toContainEqual(expect.objectContaining({ hostPath: api[flag], mountPath: api[flag], readOnly: true, pathType: 'File' }));
    }
    expect(mounts.filter((m: any) => !m.readOnly)).toEqual([expect.objectContaining({ hostPath: '/var/log/kubernetes/audit', pathType: 'DirectoryOrCreate' })]);
    expect(checkObjects([{ object: config }])).toMatchObject({ findings: [], problems: [] });
  });

  test('AnonymousAuth.DISABLED uses --anonymous-auth=false and mounts no authentication config', () => {
    const [config] = synth((c) => new ControlPlaneConfig(c, 'ControlPlane', { kubernetesVersion: 'v1.32.0', anonymousAuth: AnonymousAuth.DISABLED, additionalAdmissionPlugins: ['EventRateLimit'] }));
    const api = argMap(config.apiServer.extraArgs);
    expect(api['anonymous-auth']).toBe('false');
    expect(api['authentication-config']).toBeUndefined();
    expect(api['enable-admission-plugins']).toMatch(/,EventRateLimit$/);
    expect(config.apiServer.extraVolumes.map((v: any) => v.name)).toEqual(['audit-policy', 'audit-log', 'encryption-config']);
    expect(api['audit-webhook-config-file']).toBeUndefined();
  });

  test('an audit webhook backend is configured and mounted when given', () => {
    const [config] = synth((c) => new ControlPlaneConfig(c, 'ControlPlane', { kubernetesVersion: 'v1.34.1', auditWebhookConfigFile: '/etc/kubernetes/audit/falco.kubeconfig' }));
    expect(argMap(config.apiServer.extraArgs)['audit-webhook-config-file']).toBe('/etc/kubernetes/audit/falco.kubeconfig');
    expect(config.apiServer.extraVolumes).toContainEqual({ name: 'audit-webhook-config', hostPath: '/etc/kubernetes/audit/falco.kubeconfig', mountPath: '/etc/kubernetes/audit/falco.kubeconfig', readOnly: true, pathType: 'File' });
  });

  test('catalog rules judge hand-written kubeadm files, v1beta4 lists and v1beta3 maps', () => {
    const v4 = {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      apiServer: { extraArgs: [{ name: 'authorization-mode', value: 'Node,RBAC' }, { name: 'authorization-mode', value: 'AlwaysAllow' }] },
      etcd: { local: { extraArgs: [{ name: 'client-cert-auth', value: 'false' }, { name: 'auto-tls', value: 'true' }, { name: 'peer-client-cert-auth', value: 'true' }] } },
    };
    const v3 = { apiVersion: 'kubeadm.k8s.io/v1beta3', kind: 'ClusterConfiguration', metadata: { name: 'v3' }, apiServer: { extraArgs: { 'authorization-mode': 'RBAC' } }, etcd: { local: { extraArgs: 'junk' } } };
    const result = checkObjects([{ object: v4 }, { object: v3 }]);
    expect(result.problems).toEqual([]);
    // the other settings these files leave out are judged in control-plane-settings.test.ts
    const judged = ['cluster-apiserver-authorization-mode', 'cluster-etcd-client-cert-auth'];
    expect(result.findings.filter((f) => judged.includes(f.ruleId)).map((f) => `${f.name || '-'} ${f.ruleId} ${f.path}: ${f.message}`)).toEqual([
      '- cluster-apiserver-authorization-mode apiServer.extraArgs[1].value: kube-apiserver --authorization-mode=AlwaysAllow includes AlwaysAllow and lacks Node and lacks RBAC',
      '- cluster-etcd-client-cert-auth etcd.local.extraArgs[0].value: etcd --client-cert-auth=false (must be true)',
      '- cluster-etcd-client-cert-auth etcd.local.extraArgs[1].value: etcd --auto-tls=true (must be false)',
      'v3 cluster-apiserver-authorization-mode apiServer.extraArgs.authorization-mode: kube-apiserver --authorization-mode=RBAC lacks Node',
    ]);
  });

  test('loud errors', () => {
    const make = (props: any) => () => new ControlPlaneConfig(new Chart(Testing.app(), 'x'), 'CP', props);
    expect(make({ kubernetesVersion: 'v1.31.4' })).toThrow(/x\/CP: kubernetesVersion must be v1\.32\.0 or later/);
    expect(make({ kubernetesVersion: '1.33' })).toThrow(/kubernetesVersion/);
    expect(make({ kubernetesVersion: 'v1.33.0', additionalAdmissionPlugins: ['AlwaysAdmit'] })).toThrow(/AlwaysAdmit admits every request \(CIS 1\.2\.10\)/);
    expect(make({ kubernetesVersion: 'v1.33.0', auditLogMaxAge: 0 })).toThrow(/auditLogMaxAge must be an integer >= 1 \(CIS 1\.2\.17\)/);
    expect(make({ kubernetesVersion: 'v1.33.0', auditLogPath: 'audit.log' })).toThrow(/absolute file path/);
    expect(make({ kubernetesVersion: 'v1.33.0', requestTimeout: '0s' })).toThrow(/1\.2\.20/);
  });
});

describe('configuration schemas', () => {
  test('reject misspelt fields, wrong enums and wrong shapes (so the checks above can fail)', () => {
    const kubelet = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', eventRecordQps: 5 };
    expect(configSchemaErrors(kubelet)).toEqual(['KubeletConfiguration must NOT have additional properties']);
    const policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Everything' }, { level: 'None', nonResourceUrls: ['/x'] }] };
    expect(configSchemaErrors(policy).length).toBe(2);
    const enc = { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers: [{ aesgcm: { keys: [] }, identity: {} }] }] };
    expect(configSchemaErrors(enc).length).toBeGreaterThan(0);
    const kubeadm = { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration', kubernetesVersion: 'v1.33.0', apiServer: { extraArgs: { profiling: 'false' } } };
    expect(configSchemaErrors(kubeadm)).toEqual(['ClusterConfiguration/apiServer/extraArgs must be array']);
  });
});

describe('ApiServerAuthenticationConfig', () => {
  test('anonymous only for health endpoints', () => {
    const [config] = synth((c) => new ApiServerAuthenticationConfig(c, 'Authn'));
    expect(config).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1beta1',
      kind: 'AuthenticationConfiguration',
      anonymous: { enabled: true, conditions: [{ path: '/healthz' }, { path: '/livez' }, { path: '/readyz' }] },
    });
    expect(() => new ApiServerAuthenticationConfig(new Chart(Testing.app(), 'x'), 'A', { anonymousHealthPaths: ['/api'] })).toThrow(/anonymous access to "\/api" is not allowed \(CIS 1\.2\.1\)/);
    expect(() => new ApiServerAuthenticationConfig(new Chart(Testing.app(), 'x'), 'A', { anonymousHealthPaths: [] })).toThrow(/AnonymousAuth.DISABLED/);
  });
});
