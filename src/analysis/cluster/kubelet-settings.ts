/**
 * The kubelet settings table: one row per KubeletConfiguration (kubelet.config.k8s.io/v1beta1) field the library
 * sets, with its CIS items, secure predicate and reason. KubeletConfig builds its file from these rows and
 * validates it with `judge`; the kubelet rules under src/rules/cluster judge any KubeletConfiguration with the
 * same `judge`. An absent field takes the kubelet's v1beta1 default, which `judge` knows.
 */
import { isZeroOrInvalidDuration } from './duration';
import { STRONG_CIPHER_SUITES } from './tls';
import type { CisSettingRow } from '../../core/cis';
import { get } from '../../core/json';

/** One row of the table. */
export interface KubeletSetting extends CisSettingRow {
  /** Dotted field path (`authentication.anonymous.enabled`). */
  readonly path: string;
  /** Changes to a secure file that make this row fail (path → value, null removes it): the proof cases. */
  readonly insecure: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** The problem with the field's value (`undefined`: absent, the kubelet default applies), or undefined when secure. */
  judge(value: unknown, config: unknown): string | undefined;
}

const show = (v: unknown) => JSON.stringify(v);

function mustBe(path: string, expected: boolean, builtin: boolean) {
  return (value: unknown): string | undefined => {
    if (value === undefined) return builtin === expected ? undefined : `${path} is not set and defaults to ${builtin}`;
    return value === expected ? undefined : `${path} is ${show(value)} (must be ${expected})`;
  };
}

const TLS_VERSIONS_ACCEPTED = ['VersionTLS12', 'VersionTLS13'];
const ANONYMOUS = 'cluster-kubelet-anonymous-auth';
const AUTHZ = 'cluster-kubelet-authorization-webhook';
const READ_ONLY = 'cluster-kubelet-read-only-port';
const TLS = 'cluster-kubelet-tls';
const PROTECT = 'cluster-kubelet-node-protections';

/** Every row, in file order. */
export const KUBELET_SETTINGS: readonly KubeletSetting[] = [
  {
    path: 'authentication.anonymous.enabled',
    ruleId: ANONYMOUS,
    cis: ['4.2.1'],
    secure: 'false',
    reason: 'Requests without credentials to the kubelet API (exec, logs, pods) are rejected.',
    judge: (v) => (v === true ? 'the kubelet accepts anonymous requests' : v === undefined || v === false ? undefined : `authentication.anonymous.enabled is ${show(v)}, not a boolean`),
    insecure: [{ 'authentication.anonymous.enabled': true }],
  },
  {
    path: 'authentication.webhook.enabled',
    ruleId: TLS,
    cis: ['4.2.2'],
    secure: 'true (the default)',
    reason: 'Bearer tokens are checked with the API server (TokenReview).',
    judge: mustBe('authentication.webhook.enabled', true, true),
    insecure: [{ 'authentication.webhook.enabled': false }],
  },
  {
    path: 'authentication.x509.clientCAFile',
    ruleId: TLS,
    cis: ['4.2.3'],
    secure: 'set',
    reason: 'Client certificates (the API server\'s) are verified against the cluster CA.',
    judge: (v) => (typeof v === 'string' && v !== '' ? undefined : 'authentication.x509.clientCAFile is not set: client certificates are not verified'),
    insecure: [{ 'authentication.x509.clientCAFile': null }],
  },
  {
    path: 'authorization.mode',
    ruleId: AUTHZ,
    cis: ['4.2.2'],
    secure: 'Webhook (the default)',
    reason: 'Every kubelet API call is authorized by the API server (SubjectAccessReview), never AlwaysAllow.',
    judge: (v) => (v === undefined || v === 'Webhook' ? undefined : v === 'AlwaysAllow' ? 'the kubelet authorizes every request (AlwaysAllow)' : `authorization.mode is ${show(v)} (must be Webhook)`),
    insecure: [{ 'authorization.mode': 'AlwaysAllow' }],
  },
  {
    path: 'readOnlyPort',
    ruleId: READ_ONLY,
    cis: ['4.2.4'],
    secure: '0 (the default)',
    reason: 'The unauthenticated read-only port (10255) leaks pod specs and metrics to anyone on the network.',
    judge: (v) => (v === undefined || v === 0 ? undefined : `the kubelet serves its unauthenticated read-only API on port ${show(v)}`),
    insecure: [{ readOnlyPort: 10255 }],
  },
  {
    path: 'streamingConnectionIdleTimeout',
    ruleId: PROTECT,
    cis: ['4.2.5'],
    secure: 'a non-zero duration (default 4h)',
    reason: 'Idle exec/attach sessions are closed instead of staying open forever.',
    judge: (v) => (v === undefined || (typeof v === 'string' && !isZeroOrInvalidDuration(v)) ? undefined : `streamingConnectionIdleTimeout is ${show(v)} (must be a non-zero duration)`),
    insecure: [{ streamingConnectionIdleTimeout: '0s' }],
  },
  {
    path: 'makeIPTablesUtilChains',
    ruleId: PROTECT,
    cis: ['4.2.6'],
    secure: 'true (the default)',
    reason: 'The kubelet keeps the iptables utility chains consistent with the network configuration.',
    judge: mustBe('makeIPTablesUtilChains', true, true),
    insecure: [{ makeIPTablesUtilChains: false }],
  },
  {
    path: 'eventRecordQPS',
    ruleId: PROTECT,
    cis: ['4.2.8'],
    secure: 'at least 1 (0 is unlimited; default 50)',
    reason: 'Events are captured at a bounded rate: enough for investigation, no unlimited event flood.',
    judge: (v) => (v === undefined || (Number.isInteger(v) && (v as number) >= 1) ? undefined : `eventRecordQPS is ${show(v)} (must be an integer of 1 or more)`),
    insecure: [{ eventRecordQPS: 0 }],
  },
  {
    path: 'rotateCertificates',
    ruleId: TLS,
    cis: ['4.2.10'],
    secure: 'true',
    reason: 'The kubelet client certificate is renewed before it expires.',
    judge: (v) => (v === false ? 'rotateCertificates is false: the client certificate expires and is not renewed' : undefined),
    insecure: [{ rotateCertificates: false }],
  },
  {
    path: 'serverTLSBootstrap',
    ruleId: TLS,
    cis: ['4.2.9', '4.2.11'],
    secure: 'true, or tlsCertFile and tlsPrivateKeyFile',
    reason: 'The serving certificate is issued by the cluster CA and rotated, so the API server can verify the kubelet (--kubelet-certificate-authority). Approve the kubelet-serving CSRs.',
    judge: (v, config) => {
      if (v === true) return undefined;
      const cert = get(config, 'tlsCertFile');
      const key = get(config, 'tlsPrivateKeyFile');
      if (typeof cert === 'string' && cert !== '' && typeof key === 'string' && key !== '') return undefined;
      return 'neither serverTLSBootstrap nor tlsCertFile/tlsPrivateKeyFile: the kubelet serves with a self-signed certificate nobody can verify';
    },
    insecure: [{ serverTLSBootstrap: null }, { serverTLSBootstrap: false, tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt' }],
  },
  {
    path: 'tlsCipherSuites',
    ruleId: TLS,
    cis: ['4.2.12'],
    secure: 'only ECDHE key exchange with AEAD ciphers',
    reason: 'Only ECDHE key exchange with AEAD ciphers: no CBC, RC4 or static RSA.',
    judge: (v) => {
      if (!Array.isArray(v) || v.length === 0) return 'tlsCipherSuites is not set: the Go defaults include CBC suites';
      const weak = v.filter((s) => !(STRONG_CIPHER_SUITES as readonly unknown[]).includes(s));
      return weak.length > 0 ? `tlsCipherSuites allows weak suites ${weak.map(String).join(', ')}` : undefined;
    },
    insecure: [{ tlsCipherSuites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] }, { tlsCipherSuites: null }],
  },
  {
    path: 'tlsMinVersion',
    ruleId: TLS,
    cis: ['4.2.12'],
    secure: TLS_VERSIONS_ACCEPTED.join(' or '),
    reason: 'TLS 1.0 and 1.1 are refused.',
    judge: (v) => (typeof v === 'string' && TLS_VERSIONS_ACCEPTED.includes(v) ? undefined : `tlsMinVersion is ${v === undefined ? 'not set' : show(v)} (must be ${TLS_VERSIONS_ACCEPTED.join(' or ')})`),
    insecure: [{ tlsMinVersion: 'VersionTLS10' }, { tlsMinVersion: null }],
  },
  {
    path: 'podPidsLimit',
    ruleId: PROTECT,
    cis: ['4.2.13'],
    secure: 'at least 64 (the default -1 is unlimited)',
    reason: 'A fork bomb in one pod cannot exhaust the node\'s process table.',
    judge: (v) => (Number.isInteger(v) && (v as number) >= 64 ? undefined : `podPidsLimit is ${v === undefined ? 'not set (unlimited)' : show(v)} (must be an integer of 64 or more)`),
    insecure: [{ podPidsLimit: -1 }, { podPidsLimit: null }],
  },
  {
    path: 'seccompDefault',
    ruleId: PROTECT,
    cis: [],
    cis112Only: ['4.2.14'],
    secure: 'true',
    reason: 'Containers without a seccomp profile get RuntimeDefault instead of Unconfined.',
    judge: mustBe('seccompDefault', true, false),
    insecure: [{ seccompDefault: false }, { seccompDefault: null }],
  },
  {
    path: 'protectKernelDefaults',
    ruleId: PROTECT,
    cis: [],
    secure: 'true',
    reason: 'The kubelet refuses to start when kernel tunables differ from its defaults instead of changing them; set the sysctls on the node (see docs/cluster.md).',
    judge: mustBe('protectKernelDefaults', true, false),
    insecure: [{ protectKernelDefaults: null }],
  },
];

/** Reads a dotted path. */
export function fieldAt(config: unknown, path: string): unknown {
  return get(config, ...path.split('.'));
}

/** Violations of the rows owned by `ruleId` in a KubeletConfiguration. */
export function judgeKubelet(config: unknown, ruleId: string): Array<{ path: string; message: string }> {
  return KUBELET_SETTINGS.filter((r) => r.ruleId === ruleId).flatMap((row) => {
    const problem = row.judge(fieldAt(config, row.path), config);
    return problem === undefined ? [] : [{ path: row.path, message: problem }];
  });
}
