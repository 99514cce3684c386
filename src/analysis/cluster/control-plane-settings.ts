/**
 * The control-plane settings table: one row per flag of kube-apiserver, kube-controller-manager, kube-scheduler
 * and etcd that the library sets or forbids, with its CIS items, its secure predicate and its reason.
 * ControlPlaneConfig builds its flags from these rows and validates what it writes with `judge`; the catalog
 * rules under src/rules/cluster judge kubeadm ClusterConfigurations and static pod manifests with the same
 * `judge`, so a construct and a rule cannot disagree.
 *
 * CIS items are numbered as in the benchmark version of cis.ts (v1.10); sections 1.2 to 1.4 and 2 keep these
 * numbers in v1.12 (kube-bench `cis-1.12`, Kubernetes 1.32 to 1.34), which adds 1.2.30 (`cis112Only`).
 */
import type { ControlPlaneComponent, FlagValue } from './component-flags';
import { isZeroOrInvalidDuration } from './duration';
import { STRONG_CIPHER_SUITES, TLS_MIN_VERSION } from './tls';
import type { CisSettingRow } from '../../core/cis';

/** Flags of one component, by name (last value). */
export type Flags = ReadonlyMap<string, FlagValue>;

/** One row of the table. */
export interface ControlPlaneSetting extends CisSettingRow {
  readonly component: ControlPlaneComponent;
  /** Flag name without dashes. */
  readonly flag: string;
  /** True when the flag takes no separate value (`--profiling` alone means true). */
  readonly boolean?: boolean;
  /** The value ControlPlaneConfig always writes, when no prop chooses it. */
  readonly written?: string;
  /** The value kubeadm writes into the static pod when the ClusterConfiguration leaves the flag out. */
  readonly kubeadmDefault?: string;
  /**
   * The problem with the effective value (`undefined`: the flag is absent and the component uses its built-in
   * default), or undefined when the value is secure. `flags` are the component's other flags.
   */
  /** Changes to a secure command line that make this row fail (flag → value, null removes it): the proof cases. */
  readonly insecure: ReadonlyArray<Readonly<Record<string, string | null>>>;
  judge(value: string | undefined, flags: Flags): string | undefined;
}

/** Go's strconv.ParseBool, which pflag and Go's flag package use; undefined when not a boolean. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** A boolean flag that must end up `expected`; `builtin` is the component's default when the flag is absent. */
function mustBe(flag: string, expected: boolean, builtin: boolean) {
  return (value: string | undefined): string | undefined => {
    if (value === undefined) return builtin === expected ? undefined : `--${flag} is not set and defaults to ${builtin}; set --${flag}=${expected}`;
    const parsed = parseGoBool(value);
    if (parsed === undefined) return `--${flag}=${value} is not a boolean`;
    return parsed === expected ? undefined : `--${flag}=${value} (must be ${expected})`;
  };
}

const list = (value: string) => value.split(',').map((x) => x.trim()).filter((x) => x !== '');

/** An integer flag at least `min`; absent is a finding (the component's default is 0, unlimited or no rotation). */
function atLeast(flag: string, min: number, onlyWith?: string) {
  return (value: string | undefined, flags: Flags): string | undefined => {
    if (onlyWith !== undefined && !isFileLog(flags.get(onlyWith)?.value)) return undefined;
    if (value === undefined) return `--${flag} is not set; set it to ${min} or more`;
    if (!/^\d+$/.test(value) || Number(value) < min) return `--${flag}=${value} (must be an integer of ${min} or more)`;
    return undefined;
  };
}

/** An audit log path that writes a file (`-` writes to standard output, which rotation flags do not apply to). */
function isFileLog(path: string | undefined): boolean {
  return path !== undefined && path !== '' && path !== '-';
}

function required(flag: string, what: string) {
  return (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? `--${flag} is not set: ${what}` : undefined);
}

function httpsUrls(flag: string) {
  return (value: string | undefined): string | undefined => {
    if (value === undefined) return `--${flag} is not set and defaults to plain http on localhost; listen on https:// URLs`;
    const plain = list(value).filter((u) => !u.toLowerCase().startsWith('https://'));
    return plain.length > 0 ? `--${flag}=${value} serves ${plain.join(', ')} without TLS` : undefined;
  };
}

/** An address flag that must be 127.0.0.1; absent is a finding (the components listen on 0.0.0.0 by default). */
function loopbackOnly(flag: string) {
  return (value: string | undefined): string | undefined =>
    (value === '127.0.0.1' ? undefined : value === undefined ? `--${flag} is not set and defaults to 0.0.0.0` : `--${flag}=${value} (must be 127.0.0.1)`);
}

const API: ControlPlaneComponent = 'kube-apiserver';
const CM: ControlPlaneComponent = 'kube-controller-manager';
const SCHED: ControlPlaneComponent = 'kube-scheduler';
const ETCD: ControlPlaneComponent = 'etcd';

/** Admission plugins the table requires (NamespaceLifecycle and ServiceAccount are on by default: only their disabling is judged). */
export const REQUIRED_ADMISSION_PLUGINS: readonly string[] = ['NodeRestriction', 'AlwaysPullImages', 'DenyServiceExternalIPs'];
/** Plugins that must never be enabled. */
export const REJECTED_ADMISSION_PLUGINS: readonly string[] = ['AlwaysAdmit'];
/** Default plugins that must never be disabled. */
export const UNDISABLABLE_ADMISSION_PLUGINS: readonly string[] = ['NamespaceLifecycle', 'ServiceAccount'];

const TLS_VERSIONS_ACCEPTED = ['VersionTLS12', 'VersionTLS13'];

/** Every row, in component order. */
export const CONTROL_PLANE_SETTINGS: readonly ControlPlaneSetting[] = [
  {
    component: API,
    flag: 'anonymous-auth',
    ruleId: 'cluster-apiserver-authentication',
    cis: ['1.2.1'],
    boolean: true,
    secure: 'false, or absent with --authentication-config (whose anonymous section the AuthenticationConfiguration rule judges)',
    reason: 'Requests without credentials run as system:anonymous; one careless binding to that user or system:unauthenticated opens the API to the internet.',
    judge: (value, flags) => {
      if (value === undefined && flags.has('authentication-config')) return undefined;
      return mustBe('anonymous-auth', false, true)(value);
    },
    insecure: [{ 'anonymous-auth': 'true', 'authentication-config': null }, { 'anonymous-auth': null, 'authentication-config': null }],
  },
  {
    component: API,
    flag: 'token-auth-file',
    ruleId: 'cluster-apiserver-authentication',
    cis: ['1.2.2'],
    secure: 'not set',
    reason: 'Static tokens live in clear text on the node, never expire and cannot be revoked without restarting the API server.',
    judge: (value) => (value === undefined ? undefined : `--token-auth-file=${value} accepts static, never-expiring bearer tokens`),
    insecure: [{ 'token-auth-file': '/etc/kubernetes/tokens.csv' }],
  },
  {
    component: API,
    flag: 'service-account-lookup',
    written: 'true',
    ruleId: 'cluster-apiserver-authentication',
    cis: ['1.2.21'],
    boolean: true,
    secure: 'true (the default)',
    reason: 'Tokens of deleted service accounts are rejected instead of staying valid until they expire.',
    judge: mustBe('service-account-lookup', true, true),
    insecure: [{ 'service-account-lookup': 'false' }],
  },
  {
    component: API,
    flag: 'service-account-extend-token-expiration',
    written: 'false',
    ruleId: 'cluster-apiserver-authentication',
    cis: [],
    cis112Only: ['1.2.30'],
    boolean: true,
    secure: 'false',
    reason: 'Bound service account tokens expire when they say they do instead of being silently valid for a year.',
    judge: mustBe('service-account-extend-token-expiration', false, true),
    insecure: [{ 'service-account-extend-token-expiration': 'true' }, { 'service-account-extend-token-expiration': null }],
  },
  {
    component: API,
    flag: 'authorization-mode',
    written: 'Node,RBAC',
    ruleId: 'cluster-apiserver-authorization-mode',
    cis: ['1.2.6', '1.2.7', '1.2.8'],
    kubeadmDefault: 'Node,RBAC',
    secure: 'includes Node and RBAC, never AlwaysAllow (or absent with --authorization-config)',
    reason: 'With AlwaysAllow any stolen token is cluster-admin; without Node, kubelets reach every node\'s objects; without RBAC no grant means anything.',
    judge: (value, flags) => {
      if (value === undefined) return flags.has('authorization-config') ? undefined : '--authorization-mode is not set and defaults to AlwaysAllow';
      const modes = list(value);
      const problems: string[] = [];
      if (modes.includes('AlwaysAllow')) problems.push('includes AlwaysAllow');
      for (const m of ['Node', 'RBAC']) if (!modes.includes(m)) problems.push(`lacks ${m}`);
      return problems.length > 0 ? `--authorization-mode=${value} ${problems.join(' and ')}` : undefined;
    },
    insecure: [{ 'authorization-mode': 'AlwaysAllow' }, { 'authorization-mode': 'RBAC' }],
  },
  {
    component: API,
    flag: 'enable-admission-plugins',
    ruleId: 'cluster-apiserver-admission-plugins',
    cis: ['1.2.3', '1.2.10', '1.2.11', '1.2.14'],
    kubeadmDefault: 'NodeRestriction',
    secure: `includes ${REQUIRED_ADMISSION_PLUGINS.join(', ')}; never ${REJECTED_ADMISSION_PLUGINS.join(', ')}`,
    reason: 'NodeRestriction stops a compromised kubelet from editing other nodes and pods; AlwaysPullImages stops pods from using images another tenant pulled; DenyServiceExternalIPs closes the externalIPs traffic hijack (CVE-2020-8554); AlwaysAdmit admits everything.',
    judge: (value) => {
      const plugins = list(value ?? '');
      const problems: string[] = [];
      const rejected = plugins.filter((p) => REJECTED_ADMISSION_PLUGINS.includes(p));
      if (rejected.length > 0) problems.push(`enables ${rejected.join(', ')}`);
      const missing = REQUIRED_ADMISSION_PLUGINS.filter((p) => !plugins.includes(p));
      if (missing.length > 0) problems.push(`lacks ${missing.join(', ')}`);
      const shown = value === undefined ? '--enable-admission-plugins is not set and' : `--enable-admission-plugins=${value}`;
      return problems.length > 0 ? `${shown} ${problems.join(' and ')}` : undefined;
    },
    insecure: [{ 'enable-admission-plugins': 'NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs,AlwaysAdmit' }, { 'enable-admission-plugins': 'AlwaysPullImages,DenyServiceExternalIPs' }],
  },
  {
    component: API,
    flag: 'disable-admission-plugins',
    ruleId: 'cluster-apiserver-admission-plugins',
    cis: ['1.2.12', '1.2.13'],
    secure: `does not include ${UNDISABLABLE_ADMISSION_PLUGINS.join(' or ')}`,
    reason: 'Without NamespaceLifecycle objects can be created in namespaces being deleted; without ServiceAccount pods are not tied to their service account\'s token.',
    judge: (value) => {
      const off = list(value ?? '').filter((p) => UNDISABLABLE_ADMISSION_PLUGINS.includes(p));
      return off.length > 0 ? `--disable-admission-plugins=${value} disables ${off.join(', ')}` : undefined;
    },
    insecure: [{ 'disable-admission-plugins': 'ServiceAccount' }],
  },
  {
    component: API,
    flag: 'profiling',
    written: 'false',
    ruleId: 'cluster-control-plane-profiling',
    cis: ['1.2.15'],
    boolean: true,
    secure: 'false',
    reason: 'The pprof endpoints expose internals and can be used to slow the API server down.',
    judge: mustBe('profiling', false, true),
    insecure: [{ profiling: 'true' }, { profiling: null }],
  },
  {
    component: API,
    flag: 'audit-policy-file',
    ruleId: 'cluster-apiserver-audit-log',
    cis: ['3.2.1'],
    secure: 'set',
    reason: 'Without a policy file the API server records no audit events at all, whatever backend is configured.',
    judge: required('audit-policy-file', 'the API server records no audit events'),
    insecure: [{ 'audit-policy-file': null }],
  },
  {
    component: API,
    flag: 'audit-log-path',
    ruleId: 'cluster-apiserver-audit-log',
    cis: ['1.2.16'],
    secure: 'set (or --audit-webhook-config-file)',
    reason: 'Audit events need a backend: a log file that log shipping collects, or a webhook to a SIEM or Falco.',
    judge: (value, flags) => (value === undefined && !flags.has('audit-webhook-config-file') ? '--audit-log-path is not set and no --audit-webhook-config-file: audit events go nowhere' : undefined),
    insecure: [{ 'audit-log-path': null, 'audit-webhook-config-file': null }],
  },
  {
    component: API,
    flag: 'audit-log-maxage',
    ruleId: 'cluster-apiserver-audit-log',
    cis: ['1.2.17'],
    secure: '30 or more (with a log file)',
    reason: 'Enough history to investigate an incident discovered weeks later.',
    judge: atLeast('audit-log-maxage', 30, 'audit-log-path'),
    insecure: [{ 'audit-log-maxage': '7' }, { 'audit-log-maxage': null }],
  },
  {
    component: API,
    flag: 'audit-log-maxbackup',
    ruleId: 'cluster-apiserver-audit-log',
    cis: ['1.2.18'],
    secure: '10 or more (with a log file)',
    reason: 'Rotated files are kept instead of overwritten.',
    judge: atLeast('audit-log-maxbackup', 10, 'audit-log-path'),
    insecure: [{ 'audit-log-maxbackup': '1' }],
  },
  {
    component: API,
    flag: 'audit-log-maxsize',
    ruleId: 'cluster-apiserver-audit-log',
    cis: ['1.2.19'],
    secure: '100 or more (with a log file)',
    reason: 'The log rotates by size, so it neither fills the disk nor rotates away the evidence.',
    judge: atLeast('audit-log-maxsize', 100, 'audit-log-path'),
    insecure: [{ 'audit-log-maxsize': 'x' }],
  },
  {
    component: API,
    flag: 'request-timeout',
    ruleId: 'cluster-control-plane-limits',
    cis: ['1.2.20'],
    secure: 'a non-zero duration (default 1m0s)',
    reason: 'A bounded request time limits how long slow clients can hold server resources.',
    judge: (value) => (value !== undefined && isZeroOrInvalidDuration(value) ? `--request-timeout=${value} is not a non-zero duration` : undefined),
    insecure: [{ 'request-timeout': '0s' }],
  },
  {
    component: API,
    flag: 'kubelet-certificate-authority',
    written: '/etc/kubernetes/pki/ca.crt',
    ruleId: 'cluster-apiserver-tls',
    cis: ['1.2.5'],
    secure: 'set',
    reason: 'The API server verifies the kubelet\'s serving certificate before sending it exec, attach and log traffic.',
    judge: required('kubelet-certificate-authority', 'the API server trusts any kubelet serving certificate'),
    insecure: [{ 'kubelet-certificate-authority': null }],
  },
  {
    component: API,
    flag: 'encryption-provider-config',
    ruleId: 'cluster-apiserver-encryption-at-rest',
    cis: ['1.2.27'],
    secure: 'set',
    reason: 'Without an encryption configuration Secrets are stored in etcd, its disks and its backups in clear text.',
    judge: required('encryption-provider-config', 'Secrets are stored unencrypted in etcd'),
    insecure: [{ 'encryption-provider-config': null }],
  },
  {
    component: API,
    flag: 'tls-min-version',
    written: TLS_MIN_VERSION,
    ruleId: 'cluster-apiserver-tls',
    cis: ['1.2.29'],
    secure: TLS_VERSIONS_ACCEPTED.join(' or '),
    reason: 'TLS 1.0 and 1.1 are refused.',
    judge: (value) => {
      if (value === undefined) return `--tls-min-version is not set; set ${TLS_VERSIONS_ACCEPTED[0]}`;
      return TLS_VERSIONS_ACCEPTED.includes(value) ? undefined : `--tls-min-version=${value} (must be ${TLS_VERSIONS_ACCEPTED.join(' or ')})`;
    },
    insecure: [{ 'tls-min-version': 'VersionTLS10' }, { 'tls-min-version': null }],
  },
  {
    component: API,
    flag: 'tls-cipher-suites',
    ruleId: 'cluster-apiserver-tls',
    cis: ['1.2.29'],
    secure: 'only ECDHE key exchange with AEAD ciphers',
    reason: 'No CBC, RC4 or static RSA key exchange.',
    judge: (value) => {
      if (value === undefined) return '--tls-cipher-suites is not set: the Go defaults include CBC suites';
      const weak = list(value).filter((s) => !(STRONG_CIPHER_SUITES as readonly string[]).includes(s));
      return weak.length > 0 ? `--tls-cipher-suites allows weak suites ${weak.join(', ')}` : undefined;
    },
    insecure: [{ 'tls-cipher-suites': 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA' }],
  },
  {
    component: CM,
    flag: 'terminated-pod-gc-threshold',
    ruleId: 'cluster-control-plane-limits',
    cis: ['1.3.1'],
    secure: 'a positive integer',
    reason: 'Terminated pods are garbage collected before they exhaust etcd and controller memory (the default keeps 12500).',
    judge: (value) => (value === undefined ? '--terminated-pod-gc-threshold is not set (12500 terminated pods are kept)' : /^[1-9]\d*$/.test(value) ? undefined : `--terminated-pod-gc-threshold=${value} (must be a positive integer)`),
    insecure: [{ 'terminated-pod-gc-threshold': '0' }],
  },
  {
    component: CM,
    flag: 'profiling',
    written: 'false',
    ruleId: 'cluster-control-plane-profiling',
    cis: ['1.3.2'],
    boolean: true,
    secure: 'false',
    reason: 'The pprof endpoints expose internals.',
    judge: mustBe('profiling', false, true),
    insecure: [{ profiling: 'true' }],
  },
  {
    component: CM,
    flag: 'use-service-account-credentials',
    written: 'true',
    ruleId: 'cluster-controller-manager-credentials',
    cis: ['1.3.3'],
    boolean: true,
    kubeadmDefault: 'true',
    secure: 'true',
    reason: 'Each controller runs with its own service account, so RBAC limits what each may do.',
    judge: mustBe('use-service-account-credentials', true, false),
    insecure: [{ 'use-service-account-credentials': 'false' }],
  },
  {
    component: CM,
    flag: 'feature-gates',
    written: 'RotateKubeletServerCertificate=true',
    ruleId: 'cluster-controller-manager-credentials',
    cis: ['1.3.6'],
    secure: 'does not turn RotateKubeletServerCertificate off',
    reason: 'Kubelet serving certificates are issued and rotated through CSRs.',
    judge: (value) => {
      const gate = list(value ?? '').map((g) => g.split('=')).find(([k]) => k === 'RotateKubeletServerCertificate');
      return gate && parseGoBool(gate[1] ?? '') !== true ? `--feature-gates turns RotateKubeletServerCertificate off (${gate.join('=')})` : undefined;
    },
    insecure: [{ 'feature-gates': 'RotateKubeletServerCertificate=false' }],
  },
  {
    component: CM,
    flag: 'bind-address',
    written: '127.0.0.1',
    ruleId: 'cluster-control-plane-bind-address',
    cis: ['1.3.7'],
    kubeadmDefault: '127.0.0.1',
    secure: '127.0.0.1',
    reason: 'The controller manager\'s metrics and health endpoints are not reachable from the network.',
    judge: loopbackOnly('bind-address'),
    insecure: [{ 'bind-address': '0.0.0.0' }],
  },
  {
    component: SCHED,
    flag: 'profiling',
    written: 'false',
    ruleId: 'cluster-control-plane-profiling',
    cis: ['1.4.1'],
    boolean: true,
    secure: 'false',
    reason: 'The pprof endpoints expose internals.',
    judge: mustBe('profiling', false, true),
    insecure: [{ profiling: 'true' }],
  },
  {
    component: SCHED,
    flag: 'bind-address',
    written: '127.0.0.1',
    ruleId: 'cluster-control-plane-bind-address',
    cis: ['1.4.2'],
    kubeadmDefault: '127.0.0.1',
    secure: '127.0.0.1',
    reason: 'The scheduler\'s metrics and health endpoints are not reachable from the network.',
    judge: loopbackOnly('bind-address'),
    insecure: [{ 'bind-address': '0.0.0.0' }],
  },
  {
    component: ETCD,
    flag: 'client-cert-auth',
    written: 'true',
    ruleId: 'cluster-etcd-client-cert-auth',
    cis: ['2.2'],
    boolean: true,
    kubeadmDefault: 'true',
    secure: 'true',
    reason: 'Only clients with a certificate from the etcd CA (the API server) can read or write the datastore.',
    judge: mustBe('client-cert-auth', true, false),
    insecure: [{ 'client-cert-auth': 'false' }],
  },
  {
    component: ETCD,
    flag: 'auto-tls',
    written: 'false',
    ruleId: 'cluster-etcd-client-cert-auth',
    cis: ['2.3'],
    boolean: true,
    secure: 'false',
    reason: 'Self-signed client TLS would let anyone encrypt to etcd without being authenticated.',
    judge: mustBe('auto-tls', false, false),
    insecure: [{ 'auto-tls': 'true' }],
  },
  {
    component: ETCD,
    flag: 'peer-client-cert-auth',
    written: 'true',
    ruleId: 'cluster-etcd-client-cert-auth',
    cis: ['2.5'],
    boolean: true,
    kubeadmDefault: 'true',
    secure: 'true',
    reason: 'Only etcd members with a certificate from the etcd CA can join the cluster.',
    judge: mustBe('peer-client-cert-auth', true, false),
    insecure: [{ 'peer-client-cert-auth': 'false' }],
  },
  {
    component: ETCD,
    flag: 'peer-auto-tls',
    written: 'false',
    ruleId: 'cluster-etcd-client-cert-auth',
    cis: ['2.6'],
    boolean: true,
    secure: 'false',
    reason: 'Self-signed peer TLS would let any host join as a member.',
    judge: mustBe('peer-auto-tls', false, false),
    insecure: [{ 'peer-auto-tls': 'true' }],
  },
  {
    component: ETCD,
    flag: 'listen-client-urls',
    ruleId: 'cluster-etcd-tls-urls',
    cis: ['2.1'],
    kubeadmDefault: 'https://127.0.0.1:2379',
    secure: 'https:// URLs only',
    reason: 'A plain http listener serves the whole datastore, Secrets included, without TLS or client certificates.',
    judge: httpsUrls('listen-client-urls'),
    insecure: [{ 'listen-client-urls': 'http://0.0.0.0:2379' }],
  },
  {
    component: ETCD,
    flag: 'listen-peer-urls',
    ruleId: 'cluster-etcd-tls-urls',
    cis: ['2.4'],
    kubeadmDefault: 'https://127.0.0.1:2380',
    secure: 'https:// URLs only',
    reason: 'Plain http peer traffic replicates every write, Secrets included, in clear text and lets any host join.',
    judge: httpsUrls('listen-peer-urls'),
    insecure: [{ 'listen-peer-urls': 'http://10.0.0.1:2380' }],
  },
];

/** The rows of one component. */
export function settingsOf(component: ControlPlaneComponent): ControlPlaneSetting[] {
  return CONTROL_PLANE_SETTINGS.filter((s) => s.component === component);
}

/** Boolean flags of a component (they never consume the next word of a command line). */
export function booleanFlagsOf(component: ControlPlaneComponent): Set<string> {
  return new Set(settingsOf(component).filter((s) => s.boolean).map((s) => s.flag));
}
