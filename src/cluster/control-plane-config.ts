import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AuditPolicy } from './audit-policy';
import { ApiServerAuthenticationConfig } from './authentication-config';
import { configFileObject, isZeroOrInvalidDuration } from './config-file';
import { EncryptionConfig } from './encryption-config';
import { resolveCipherSuites, TLS_MIN_VERSION, TlsCipherSuite } from './tls';
import { ClusterFile, ImplicitCoverage, TracedSetting } from './traced-setting';

/** How the API server treats requests without credentials. */
export enum AnonymousAuth {
  /**
   * Anonymous requests reach only /healthz, /livez and /readyz (`--authentication-config`, Kubernetes 1.32+);
   * install the ApiServerAuthenticationConfig file too.
   */
  HEALTH_PROBES_ONLY = 'health-probes-only',
  /** `--anonymous-auth=false`: change kubeadm's API server probes to authenticate, or they fail. */
  DISABLED = 'disabled',
}

/** Properties of a ControlPlaneConfig. */
export interface ControlPlaneConfigProps {
  /** Kubernetes version kubeadm installs (`v1.33.2`); 1.32 or later (kubeadm v1beta4, anonymous authentication configuration). */
  readonly kubernetesVersion: string;
  /** @default - kubeadm's default ('kubernetes') */
  readonly clusterName?: string;
  /** Stable address of the control plane (`host:port`), for HA clusters. @default - the first control plane node */
  readonly controlPlaneEndpoint?: string;
  /** @default AnonymousAuth.HEALTH_PROBES_ONLY */
  readonly anonymousAuth?: AnonymousAuth;
  /** @default ApiServerAuthenticationConfig.CONFIG_FILE */
  readonly authenticationConfigFile?: string;
  /** @default AuditPolicy.POLICY_FILE */
  readonly auditPolicyFile?: string;
  /** @default '/var/log/kubernetes/audit/audit.log' */
  readonly auditLogPath?: string;
  /** Days to keep rotated audit logs; at least 1. @default 30 */
  readonly auditLogMaxAge?: number;
  /** Rotated audit log files to keep; at least 1. @default 10 */
  readonly auditLogMaxBackup?: number;
  /** Megabytes before the audit log rotates; at least 1. @default 100 */
  readonly auditLogMaxSize?: number;
  /** @default EncryptionConfig.CONFIG_FILE */
  readonly encryptionConfigFile?: string;
  /**
   * kubeconfig of an audit webhook backend (for example Falco's k8saudit plugin), sent every event the audit
   * Policy records in addition to the log file (`--audit-webhook-config-file`).
   * @default - audit events go to the log file only
   */
  readonly auditWebhookConfigFile?: string;
  /** Admission plugins enabled besides the hardened set (AlwaysAdmit is rejected). @default - none */
  readonly additionalAdmissionPlugins?: string[];
  /** TLS cipher suites of the API server. @default - every strong suite */
  readonly tlsCipherSuites?: TlsCipherSuite[];
  /** Longest a non-watch request may run. @default '60s' */
  readonly requestTimeout?: string;
  /** Terminated pods kept before the garbage collector deletes them; at least 1. @default 1000 */
  readonly terminatedPodGcThreshold?: number;
}

interface ResolvedControlPlane {
  readonly anonymousAuth: AnonymousAuth;
  readonly authenticationConfigFile: string;
  readonly auditPolicyFile: string;
  readonly auditLogPath: string;
  readonly auditLogMaxAge: number;
  readonly auditLogMaxBackup: number;
  readonly auditLogMaxSize: number;
  readonly encryptionConfigFile: string;
  readonly auditWebhookConfigFile?: string;
  readonly admissionPlugins: string[];
  readonly tlsCipherSuites: string[];
  readonly requestTimeout: string;
  readonly terminatedPodGcThreshold: number;
}

type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

interface Flag {
  readonly component: Component;
  readonly name: string;
  readonly value: string;
  readonly cis: string[];
  readonly reason: string;
}

/** Admission plugins always enabled (NamespaceLifecycle and ServiceAccount are on by default; listed so removing them is visible). */
const HARDENED_ADMISSION_PLUGINS = ['NodeRestriction', 'AlwaysPullImages', 'DenyServiceExternalIPs', 'NamespaceLifecycle', 'ServiceAccount'];
const REJECTED_ADMISSION_PLUGINS = ['AlwaysAdmit'];

function controlPlaneFlags(r: ResolvedControlPlane): Flag[] {
  const api = (name: string, value: string, cis: string[], reason: string): Flag => ({ component: 'kube-apiserver', name, value, cis, reason });
  const cm = (name: string, value: string, cis: string[], reason: string): Flag => ({ component: 'kube-controller-manager', name, value, cis, reason });
  const sched = (name: string, value: string, cis: string[], reason: string): Flag => ({ component: 'kube-scheduler', name, value, cis, reason });
  const etcd = (name: string, value: string, cis: string[], reason: string): Flag => ({ component: 'etcd', name, value, cis, reason });
  const anonymous =
    r.anonymousAuth === AnonymousAuth.DISABLED
      ? api('anonymous-auth', 'false', ['1.2.1'], 'Requests without credentials are rejected instead of running as system:anonymous.')
      : api('authentication-config', r.authenticationConfigFile, ['1.2.1'], 'Anonymous requests reach only the health endpoints (ApiServerAuthenticationConfig); every API path needs credentials.');
  return [
    anonymous,
    api('authorization-mode', 'Node,RBAC', ['1.2.6', '1.2.7', '1.2.8'], 'Kubelets are limited to their own node\'s objects and everyone else to RBAC grants; never AlwaysAllow.'),
    api('enable-admission-plugins', r.admissionPlugins.join(','), ['1.2.3', '1.2.10', '1.2.11', '1.2.12', '1.2.13', '1.2.14'],
      'NodeRestriction stops a compromised kubelet from editing other nodes or pods; AlwaysPullImages stops pods from using images cached by another tenant; DenyServiceExternalIPs closes the externalIPs traffic hijack (CVE-2020-8554); AlwaysAdmit is never enabled.'),
    api('profiling', 'false', ['1.2.15'], 'The pprof endpoints expose internals and can be used to slow the API server down.'),
    api('audit-policy-file', r.auditPolicyFile, ['1.2.16', '3.2.1'], 'The audit Policy (AuditPolicy) decides what is recorded.'),
    api('audit-log-path', r.auditLogPath, ['1.2.16'], 'Every request is recorded to a file that log shipping collects.'),
    api('audit-log-maxage', String(r.auditLogMaxAge), ['1.2.17'], 'Enough history to investigate an incident discovered weeks later.'),
    api('audit-log-maxbackup', String(r.auditLogMaxBackup), ['1.2.18'], 'Rotated files are kept instead of overwritten.'),
    api('audit-log-maxsize', String(r.auditLogMaxSize), ['1.2.19'], 'The log rotates before it fills the disk.'),
    ...(r.auditWebhookConfigFile
      ? [api('audit-webhook-config-file', r.auditWebhookConfigFile, [], 'Audit events also stream to a detection backend (Falco k8saudit) that alerts in real time.')]
      : []),
    api('request-timeout', r.requestTimeout, ['1.2.20'], 'A bounded request time limits how long slow clients can hold server resources.'),
    api('service-account-lookup', 'true', ['1.2.21'], 'Tokens of deleted service accounts are rejected.'),
    api('service-account-extend-token-expiration', 'false', [], 'Bound service account tokens expire when they say they do; clients must reload them (CIS v1.11+ item 1.2.30).'),
    api('kubelet-certificate-authority', '/etc/kubernetes/pki/ca.crt', ['1.2.5'], 'The API server verifies the kubelet\'s serving certificate (issued through serverTLSBootstrap) before sending it exec and log traffic.'),
    api('encryption-provider-config', r.encryptionConfigFile, ['1.2.27'], 'Secrets are encrypted at rest with the EncryptionConfig.'),
    api('tls-cipher-suites', r.tlsCipherSuites.join(','), ['1.2.29'], 'Only ECDHE key exchange with AEAD ciphers.'),
    api('tls-min-version', TLS_MIN_VERSION, ['1.2.29'], 'TLS 1.0 and 1.1 are refused.'),
    cm('terminated-pod-gc-threshold', String(r.terminatedPodGcThreshold), ['1.3.1'], 'Terminated pods are garbage collected before they exhaust etcd and controller memory.'),
    cm('profiling', 'false', ['1.3.2'], 'The pprof endpoints expose internals.'),
    cm('use-service-account-credentials', 'true', ['1.3.3'], 'Each controller runs with its own service account, so RBAC limits what each may do.'),
    cm('feature-gates', 'RotateKubeletServerCertificate=true', ['1.3.6'], 'Kubelet serving certificates are issued and rotated through CSRs.'),
    cm('bind-address', '127.0.0.1', ['1.3.7'], 'The controller manager\'s metrics and health endpoints are not reachable from the network.'),
    sched('profiling', 'false', ['1.4.1'], 'The pprof endpoints expose internals.'),
    sched('bind-address', '127.0.0.1', ['1.4.2'], 'The scheduler\'s metrics and health endpoints are not reachable from the network.'),
    etcd('client-cert-auth', 'true', ['2.2'], 'Only clients with a certificate from the etcd CA (the API server) can read or write the datastore.'),
    etcd('auto-tls', 'false', ['2.3'], 'Self-signed client TLS would let anyone encrypt to etcd without being authenticated.'),
    etcd('peer-client-cert-auth', 'true', ['2.5'], 'Only etcd members with a certificate from the etcd CA can join the cluster.'),
    etcd('peer-auto-tls', 'false', ['2.6'], 'Self-signed peer TLS would let any host join as a member.'),
  ];
}

/** Items kubeadm satisfies with its own defaults, which the construct never overrides. */
export const KUBEADM_IMPLICIT_COVERAGE: readonly ImplicitCoverage[] = [
  { cis: '1.2.2', how: 'Neither kubeadm nor the library sets --token-auth-file; ControlPlaneConfig accepts no free-form flags.' },
  { cis: '1.2.4', how: 'kubeadm sets --kubelet-client-certificate/--kubelet-client-key (apiserver-kubelet-client.crt/key).' },
  { cis: '1.2.22', how: 'kubeadm sets --service-account-key-file (sa.pub).' },
  { cis: '1.2.23', how: 'kubeadm sets --etcd-certfile/--etcd-keyfile (apiserver-etcd-client.crt/key).' },
  { cis: '1.2.24', how: 'kubeadm sets --tls-cert-file/--tls-private-key-file (apiserver.crt/key).' },
  { cis: '1.2.25', how: 'kubeadm sets --client-ca-file (ca.crt).' },
  { cis: '1.2.26', how: 'kubeadm sets --etcd-cafile (etcd/ca.crt).' },
  { cis: '1.3.4', how: 'kubeadm sets --service-account-private-key-file (sa.key).' },
  { cis: '1.3.5', how: 'kubeadm sets --root-ca-file (ca.crt).' },
  { cis: '2.1', how: 'kubeadm sets etcd --cert-file/--key-file (etcd/server.crt/key).' },
  { cis: '2.4', how: 'kubeadm sets etcd --peer-cert-file/--peer-key-file (etcd/peer.crt/key).' },
  { cis: '2.7', how: 'kubeadm creates a separate etcd CA (etcd/ca.crt) distinct from the cluster CA.' },
];

const DEFAULT_AUDIT_LOG = '/var/log/kubernetes/audit/audit.log';

function resolve(p: string, props: ControlPlaneConfigProps): ResolvedControlPlane {
  const positive = (name: string, value: number, cis: string) => {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${p}: ${name} must be an integer >= 1 (CIS ${cis})`);
    return value;
  };
  const absolute = (name: string, value: string) => {
    if (!path.posix.isAbsolute(value) || value.endsWith('/')) throw new Error(`${p}: ${name} "${value}" must be an absolute file path`);
    return value;
  };
  const extra = props.additionalAdmissionPlugins ?? [];
  for (const plugin of extra) {
    if (REJECTED_ADMISSION_PLUGINS.includes(plugin)) throw new Error(`${p}: admission plugin ${plugin} admits every request (CIS 1.2.10); remove it`);
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(plugin)) throw new Error(`${p}: "${plugin}" is not an admission plugin name`);
  }
  const requestTimeout = props.requestTimeout ?? '60s';
  if (isZeroOrInvalidDuration(requestTimeout)) throw new Error(`${p}: requestTimeout "${requestTimeout}" must be a non-zero duration like 60s (CIS 1.2.20)`);
  return {
    anonymousAuth: props.anonymousAuth ?? AnonymousAuth.HEALTH_PROBES_ONLY,
    authenticationConfigFile: absolute('authenticationConfigFile', props.authenticationConfigFile ?? ApiServerAuthenticationConfig.CONFIG_FILE),
    auditPolicyFile: absolute('auditPolicyFile', props.auditPolicyFile ?? AuditPolicy.POLICY_FILE),
    auditLogPath: absolute('auditLogPath', props.auditLogPath ?? DEFAULT_AUDIT_LOG),
    auditLogMaxAge: positive('auditLogMaxAge', props.auditLogMaxAge ?? 30, '1.2.17'),
    auditLogMaxBackup: positive('auditLogMaxBackup', props.auditLogMaxBackup ?? 10, '1.2.18'),
    auditLogMaxSize: positive('auditLogMaxSize', props.auditLogMaxSize ?? 100, '1.2.19'),
    encryptionConfigFile: absolute('encryptionConfigFile', props.encryptionConfigFile ?? EncryptionConfig.CONFIG_FILE),
    auditWebhookConfigFile: props.auditWebhookConfigFile === undefined ? undefined : absolute('auditWebhookConfigFile', props.auditWebhookConfigFile),
    admissionPlugins: [...new Set([...HARDENED_ADMISSION_PLUGINS, ...extra])],
    tlsCipherSuites: resolveCipherSuites(p, props.tlsCipherSuites),
    requestTimeout,
    terminatedPodGcThreshold: positive('terminatedPodGcThreshold', props.terminatedPodGcThreshold ?? 1000, '1.3.1'),
  };
}

function args(flags: Flag[], component: Component): Array<{ name: string; value: string }> {
  return flags
    .filter((f) => f.component === component)
    .map((f) => ({ name: f.name, value: f.value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A kubeadm ClusterConfiguration (kubeadm.k8s.io/v1beta4) whose API server, controller manager, scheduler
 * and local etcd flags follow the CIS Kubernetes Benchmark, with host volumes that mount the audit policy,
 * audit log directory, encryption configuration and authentication configuration into the API server's
 * static pod. Put it in the same file as a KubeletConfig and pass that file to `kubeadm init --config`.
 */
export class ControlPlaneConfig extends Construct {
  /** What the file sets, with the CIS items it satisfies (for docs/cis-coverage.md). */
  public static settings(): TracedSetting[] {
    const defaults = resolve('defaults', { kubernetesVersion: 'v1.32.0', auditWebhookConfigFile: '/etc/kubernetes/audit/webhook.kubeconfig' });
    // The anonymous-auth alternative (AnonymousAuth.DISABLED) replaces the first flag of the default.
    const alternative = { ...controlPlaneFlags({ ...defaults, anonymousAuth: AnonymousAuth.DISABLED })[0], name: 'anonymous-auth (AnonymousAuth.DISABLED)' };
    const flags = [...controlPlaneFlags(defaults), alternative];
    return flags.map((f) => ({ file: ClusterFile.KUBEADM_CLUSTER_CONFIGURATION, component: f.component, setting: `--${f.name}`, value: f.value, cis: f.cis, reason: f.reason }));
  }

  /** The synthesized ClusterConfiguration. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: ControlPlaneConfigProps) {
    super(scope, id);
    const p = this.node.path;
    if (!props || typeof props.kubernetesVersion !== 'string' || !/^v1\.(3[2-9]|[4-9]\d)\.\d+$/.test(props.kubernetesVersion)) {
      throw new Error(`${p}: kubernetesVersion must be v1.32.0 or later written as vMAJOR.MINOR.PATCH (kubeadm v1beta4, anonymous authentication configuration); got ${JSON.stringify(props?.kubernetesVersion)}`);
    }
    const r = resolve(p, props);
    const flags = controlPlaneFlags(r);
    const file = (name: string, hostPath: string) => ({ name, hostPath, mountPath: hostPath, readOnly: true, pathType: 'File' });
    const volumes = [
      file('audit-policy', r.auditPolicyFile),
      { name: 'audit-log', hostPath: path.posix.dirname(r.auditLogPath), mountPath: path.posix.dirname(r.auditLogPath), readOnly: false, pathType: 'DirectoryOrCreate' },
      file('encryption-config', r.encryptionConfigFile),
      ...(r.anonymousAuth === AnonymousAuth.HEALTH_PROBES_ONLY ? [file('authentication-config', r.authenticationConfigFile)] : []),
      ...(r.auditWebhookConfigFile ? [file('audit-webhook-config', r.auditWebhookConfigFile)] : []),
    ];
    const body: Record<string, unknown> = { kubernetesVersion: props.kubernetesVersion };
    if (props.clusterName !== undefined) body.clusterName = props.clusterName;
    if (props.controlPlaneEndpoint !== undefined) body.controlPlaneEndpoint = props.controlPlaneEndpoint;
    body.apiServer = { extraArgs: args(flags, 'kube-apiserver'), extraVolumes: volumes };
    body.controllerManager = { extraArgs: args(flags, 'kube-controller-manager') };
    body.scheduler = { extraArgs: args(flags, 'kube-scheduler') };
    body.etcd = { local: { extraArgs: args(flags, 'etcd') } };
    this.apiObject = configFileObject(this, 'kubeadm.k8s.io/v1beta4', 'ClusterConfiguration', body);
  }
}
