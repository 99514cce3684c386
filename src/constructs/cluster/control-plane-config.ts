import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AuditPolicy } from './audit-policy';
import { AuditWebhookConfig } from './audit-webhook';
import { ApiServerAuthenticationConfig } from './authentication-config';
import { configFileObject } from './config-file';
import { EncryptionConfig } from './encryption-config';
import { CONTROL_PLANE_COMPONENTS, ControlPlaneComponent } from '../../analysis/cluster/component-flags';
import { effectiveFlags, judgeRow } from '../../analysis/cluster/control-plane-judge';
import {
  CONTROL_PLANE_SETTINGS,
  ControlPlaneSetting,
  REJECTED_ADMISSION_PLUGINS,
  REQUIRED_ADMISSION_PLUGINS,
  settingsOf,
  UNDISABLABLE_ADMISSION_PLUGINS,
} from '../../analysis/cluster/control-plane-settings';
import { isZeroOrInvalidDuration } from '../../analysis/cluster/duration';
import { resolveCipherSuites, TlsCipherSuite } from '../../analysis/cluster/tls';
import { ClusterFile, ImplicitCoverage, TracedSetting } from '../../analysis/cluster/traced-setting';

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
  /**
   * An audit webhook backend (its kubeconfig, mode, batch and retry settings): the `--audit-webhook-*` flags are
   * written and the kubeconfig with the files it names are mounted into the API server pod. Exclusive with
   * auditWebhookConfigFile.
   * @default - audit events go to the log file only
   */
  readonly auditWebhook?: AuditWebhookConfig;
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
  readonly auditWebhookFlags: Record<string, string>;
  readonly auditWebhookReasons: Record<string, string>;
  readonly auditWebhookMounts: string[];
  readonly admissionPlugins: string[];
  readonly tlsCipherSuites: string[];
  readonly requestTimeout: string;
  readonly terminatedPodGcThreshold: number;
}

type Component = ControlPlaneComponent;

/** One flag the construct writes; its CIS items and reason come from the row of the settings table with the same name. */
interface Flag {
  readonly component: Component;
  readonly name: string;
  readonly value: string;
  /** The row this flag satisfies when its name differs (`authentication-config` satisfies `anonymous-auth`). */
  readonly row?: string;
  /** Reason for a flag without a row (the audit webhook flags), or one that replaces the row's reason. */
  readonly reason?: string;
}

/** Admission plugins always enabled (NamespaceLifecycle and ServiceAccount are on by default; listed so removing them is visible). */
const HARDENED_ADMISSION_PLUGINS = [...REQUIRED_ADMISSION_PLUGINS, ...UNDISABLABLE_ADMISSION_PLUGINS];

function rowOf(f: Flag): ControlPlaneSetting | undefined {
  return CONTROL_PLANE_SETTINGS.find((s) => s.component === f.component && s.flag === (f.row ?? f.name));
}

/** The flags to write: every table row with its fixed value or the value a prop chose, then the flags without a row. */
function controlPlaneFlags(r: ResolvedControlPlane): Flag[] {
  const api = (name: string, value: string): Flag => ({ component: 'kube-apiserver', name, value });
  const chosen: Record<string, string> = {
    'kube-apiserver/enable-admission-plugins': r.admissionPlugins.join(','),
    'kube-apiserver/audit-policy-file': r.auditPolicyFile,
    'kube-apiserver/audit-log-path': r.auditLogPath,
    'kube-apiserver/audit-log-maxage': String(r.auditLogMaxAge),
    'kube-apiserver/audit-log-maxbackup': String(r.auditLogMaxBackup),
    'kube-apiserver/audit-log-maxsize': String(r.auditLogMaxSize),
    'kube-apiserver/request-timeout': r.requestTimeout,
    'kube-apiserver/encryption-provider-config': r.encryptionConfigFile,
    'kube-apiserver/tls-cipher-suites': r.tlsCipherSuites.join(','),
    'kube-controller-manager/terminated-pod-gc-threshold': String(r.terminatedPodGcThreshold),
    ...(r.anonymousAuth === AnonymousAuth.DISABLED ? { 'kube-apiserver/anonymous-auth': 'false' } : {}),
  };
  // Rows neither fixed nor chosen are flags the construct never writes (--token-auth-file) or leaves to kubeadm (etcd URLs).
  const fromTable: Flag[] = CONTROL_PLANE_SETTINGS.flatMap((row) => {
    const value = row.written ?? chosen[`${row.component}/${row.flag}`];
    return value === undefined ? [] : [{ component: row.component, name: row.flag, value }];
  });
  const anonymous: Flag[] = r.anonymousAuth === AnonymousAuth.DISABLED ? [] : [{
    ...api('authentication-config', r.authenticationConfigFile),
    row: 'anonymous-auth',
    reason: 'Anonymous requests reach only the health endpoints (ApiServerAuthenticationConfig); every API path needs credentials.',
  }];
  const webhook: Flag[] = Object.entries(r.auditWebhookFlags).map(([name, value]) => ({ ...api(name, value), reason: r.auditWebhookReasons[name] }));
  return [...anonymous, ...fromTable, ...webhook];
}

/**
 * Judges what the construct writes with the rows of the settings table, as the catalog rules judge the file:
 * a value a prop allowed but the table rejects is a synth error, so construct and rules cannot disagree.
 */
function validateFlags(p: string, flags: Flag[]): void {
  for (const component of CONTROL_PLANE_COMPONENTS) {
    const written = new Map(flags.filter((f) => f.component === component).map((f) => [f.name, { value: f.value, path: f.name }]));
    const effective = effectiveFlags({ component, source: 'kubeadm', flags: written, path: '' });
    for (const row of settingsOf(component)) {
      const problem = judgeRow(row, effective);
      if (problem !== undefined) throw new Error(`${p}: ${component} ${problem} (${row.ruleId}, CIS ${row.cis.join(', ') || '-'})`);
    }
  }
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
    ...resolveWebhook(p, props, absolute),
    admissionPlugins: [...new Set([...HARDENED_ADMISSION_PLUGINS, ...extra])],
    tlsCipherSuites: resolveCipherSuites(p, props.tlsCipherSuites),
    requestTimeout,
    terminatedPodGcThreshold: positive('terminatedPodGcThreshold', props.terminatedPodGcThreshold ?? 1000, '1.3.1'),
  };
}

const KUBEADM_PKI = '/etc/kubernetes/pki/';

function resolveWebhook(p: string, props: ControlPlaneConfigProps, absolute: (name: string, value: string) => string) {
  if (props.auditWebhook !== undefined && props.auditWebhookConfigFile !== undefined) {
    throw new Error(`${p}: set auditWebhook or auditWebhookConfigFile, not both`);
  }
  if (props.auditWebhook !== undefined) {
    const w = props.auditWebhook;
    // kubeadm already mounts /etc/kubernetes/pki into the API server pod; a second mount of a file in it is not needed.
    const files = w.referencedFiles.filter((f) => !f.startsWith(KUBEADM_PKI));
    const mounts = [...new Set([w.configFile, ...files])];
    return { auditWebhookFlags: w.apiServerFlags(), auditWebhookReasons: w.flagReasons(), auditWebhookMounts: mounts };
  }
  if (props.auditWebhookConfigFile !== undefined) {
    const file = absolute('auditWebhookConfigFile', props.auditWebhookConfigFile);
    return {
      auditWebhookFlags: { 'audit-webhook-config-file': file },
      auditWebhookReasons: { 'audit-webhook-config-file': 'Audit events also stream to a detection backend (Falco k8saudit) that alerts in real time.' },
      auditWebhookMounts: [file],
    };
  }
  return { auditWebhookFlags: {}, auditWebhookReasons: {}, auditWebhookMounts: [] };
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
    // The anonymous-auth alternative (AnonymousAuth.DISABLED) replaces --authentication-config of the default.
    const disabled = controlPlaneFlags({ ...defaults, anonymousAuth: AnonymousAuth.DISABLED }).find((f) => f.name === 'anonymous-auth')!;
    const alternative: Flag = { ...disabled, name: 'anonymous-auth (AnonymousAuth.DISABLED)', row: 'anonymous-auth' };
    const flags = [...controlPlaneFlags(defaults), alternative];
    return flags.map((f) => {
      const row = rowOf(f);
      const later = row?.cis112Only ? { cis112Only: [...row.cis112Only] } : {};
      const cis = [...(row?.cis ?? [])];
      return { file: ClusterFile.KUBEADM_CLUSTER_CONFIGURATION, component: f.component, setting: `--${f.name}`, value: f.value, cis, ...later, reason: f.reason ?? row?.reason ?? '' };
    });
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
    validateFlags(p, flags);
    const file = (name: string, hostPath: string) => ({ name, hostPath, mountPath: hostPath, readOnly: true, pathType: 'File' });
    const volumes = [
      file('audit-policy', r.auditPolicyFile),
      { name: 'audit-log', hostPath: path.posix.dirname(r.auditLogPath), mountPath: path.posix.dirname(r.auditLogPath), readOnly: false, pathType: 'DirectoryOrCreate' },
      file('encryption-config', r.encryptionConfigFile),
      ...(r.anonymousAuth === AnonymousAuth.HEALTH_PROBES_ONLY ? [file('authentication-config', r.authenticationConfigFile)] : []),
      ...r.auditWebhookMounts.map((m, i) => file(i === 0 ? 'audit-webhook-config' : `audit-webhook-file-${i}`, m)),
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
