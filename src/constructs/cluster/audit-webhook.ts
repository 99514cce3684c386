import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { isZeroOrInvalidDuration } from '../../analysis/cluster/duration';
import { ClusterFile, TracedSetting } from '../../analysis/cluster/traced-setting';

/** How the API server hands audit events to the webhook (`--audit-webhook-mode`). */
export enum AuditWebhookMode {
  /** Events are buffered and sent in batches asynchronously: a slow backend never slows requests down. */
  BATCH = 'batch',
  /** Each event is sent before the request is answered; a failed send is logged and the request goes on. */
  BLOCKING = 'blocking',
  /** Like BLOCKING, and a failed send at RequestReceived fails the request: no unaudited request is served. */
  BLOCKING_STRICT = 'blocking-strict',
}

/** Properties of an AuditWebhookConfig. Credentials are file paths on the control plane node; nothing secret is written inline. */
export interface AuditWebhookConfigProps {
  /** The backend's endpoint, an https:// URL (Falco's k8saudit plugin: `https://falco.example:9765/k8s-audit`). */
  readonly server: string;
  /** CA bundle that verifies the backend's serving certificate (absolute path on the control plane node). */
  readonly certificateAuthorityFile: string;
  /**
   * Client certificate the API server presents to the backend; set with clientKeyFile, or neither when the
   * backend does not authenticate its callers.
   * @default - no client certificate
   */
  readonly clientCertificateFile?: string;
  /** Private key of clientCertificateFile. @default - no client certificate */
  readonly clientKeyFile?: string;
  /** Where the kubeconfig is installed (`--audit-webhook-config-file`). @default AuditWebhookConfig.CONFIG_FILE */
  readonly configFile?: string;
  /** @default AuditWebhookMode.BATCH */
  readonly mode?: AuditWebhookMode;
  /** Events buffered before batching (batch mode); at least 1. @default 10000 */
  readonly batchBufferSize?: number;
  /** Most events in one request to the backend (batch mode); at least 1. @default 400 */
  readonly batchMaxSize?: number;
  /** Longest an event waits before a partial batch is sent (batch mode), a duration like `30s`. @default '30s' */
  readonly batchMaxWait?: string;
  /** Batches per second sent at most (batch mode); at least 1. @default 10 */
  readonly batchThrottleQps?: number;
  /** Batches sent in a burst at most (batch mode); at least 1. @default 15 */
  readonly batchThrottleBurst?: number;
  /** Wait before the first retry of a failed send, a duration like `10s`. @default '10s' */
  readonly initialBackoff?: string;
}

interface WebhookFlag {
  readonly name: string;
  readonly value: string;
  readonly reason: string;
}

/**
 * The kubeconfig of the API server's audit webhook backend (`--audit-webhook-config-file`), so the audit log
 * leaves the node for a SIEM or Falco as it is written: an attacker with root on the control plane can no longer
 * erase the record. The file names the endpoint, the CA that verifies it and the client certificate the API
 * server presents, all as paths; pass the construct to ControlPlaneConfig (`auditWebhook`), which writes the
 * matching `--audit-webhook-*` flags and mounts the files into the API server's static pod.
 */
export class AuditWebhookConfig extends Construct {
  /** Where the installation guide puts the kubeconfig. */
  public static readonly CONFIG_FILE = '/etc/kubernetes/audit/webhook.kubeconfig';

  /** What the file and its flags set (for docs/cis-coverage.md). */
  public static settings(): TracedSetting[] {
    const sample = resolveFlags('defaults', { server: 'https://audit.example:9443/audit', certificateAuthorityFile: '/etc/kubernetes/audit/webhook-ca.crt' });
    return [
      {
        file: ClusterFile.AUDIT_WEBHOOK_KUBECONFIG,
        component: 'kube-apiserver',
        setting: 'clusters[0].cluster.server',
        value: 'https://…',
        cis: [],
        reason: 'Audit events leave the node over TLS to a backend (SIEM, Falco k8saudit) that keeps and alerts on them, out of reach of an attacker who takes the node.',
      },
      {
        file: ClusterFile.AUDIT_WEBHOOK_KUBECONFIG,
        component: 'kube-apiserver',
        setting: 'clusters[0].cluster.certificate-authority',
        value: '(path)',
        cis: [],
        reason: 'The backend is verified against a CA file, so events cannot be redirected to an impostor; credentials are paths, never inline data.',
      },
      ...sample.map((f) => ({ file: ClusterFile.KUBEADM_CLUSTER_CONFIGURATION, component: 'kube-apiserver', setting: `--${f.name}`, value: f.value, cis: [], reason: f.reason })),
    ];
  }

  /** The synthesized kubeconfig (v1 Config). */
  public readonly apiObject: ApiObject;
  /** Where the kubeconfig is installed. */
  public readonly configFile: string;
  /** Files the API server reads besides the kubeconfig (CA, client certificate and key), to mount into its pod. */
  public readonly referencedFiles: string[];
  private readonly flags: WebhookFlag[];

  public constructor(scope: Construct, id: string, props: AuditWebhookConfigProps) {
    super(scope, id);
    const p = this.node.path;
    if (!props || typeof props.server !== 'string') throw new Error(`${p}: server is required (the backend's https:// URL)`);
    let url: URL;
    try {
      url = new URL(props.server);
    } catch {
      throw new Error(`${p}: server "${props.server}" is not a URL`);
    }
    if (url.protocol !== 'https:') throw new Error(`${p}: server "${props.server}" must use https:// so audit events are encrypted and the backend verified`);
    if (url.username !== '' || url.password !== '' || url.search !== '') {
      throw new Error(`${p}: server "${props.server}" carries credentials or a query; use clientCertificateFile/clientKeyFile, never inline secrets`);
    }
    const ca = absoluteFile(p, 'certificateAuthorityFile', props.certificateAuthorityFile);
    if ((props.clientCertificateFile === undefined) !== (props.clientKeyFile === undefined)) {
      throw new Error(`${p}: set both clientCertificateFile and clientKeyFile, or neither`);
    }
    const cert = props.clientCertificateFile === undefined ? undefined : absoluteFile(p, 'clientCertificateFile', props.clientCertificateFile);
    const key = props.clientKeyFile === undefined ? undefined : absoluteFile(p, 'clientKeyFile', props.clientKeyFile);
    this.configFile = absoluteFile(p, 'configFile', props.configFile ?? AuditWebhookConfig.CONFIG_FILE);
    this.flags = resolveFlags(p, props);
    this.referencedFiles = [ca, ...(cert && key ? [cert, key] : [])];
    const user: Record<string, string> = cert && key ? { 'client-certificate': cert, 'client-key': key } : {};
    this.apiObject = new ApiObject(this, 'Resource', {
      'apiVersion': 'v1',
      'kind': 'Config',
      'clusters': [{ name: 'audit-webhook', cluster: { 'server': props.server, 'certificate-authority': ca } }],
      'users': [{ name: 'kube-apiserver', user }],
      'contexts': [{ name: 'audit-webhook', context: { cluster: 'audit-webhook', user: 'kube-apiserver' } }],
      'current-context': 'audit-webhook',
    });
  }

  /** The kube-apiserver flags that use this backend (`audit-webhook-config-file`, mode, batch and retry settings). */
  public apiServerFlags(): Record<string, string> {
    const flags: Record<string, string> = { 'audit-webhook-config-file': this.configFile };
    for (const f of this.flags) flags[f.name] = f.value;
    return flags;
  }

  /** The same flags with the reason for each (for ControlPlaneConfig's settings). */
  public flagReasons(): Record<string, string> {
    const reasons: Record<string, string> = { 'audit-webhook-config-file': 'Audit events also stream to the backend of the AuditWebhookConfig kubeconfig.' };
    for (const f of this.flags) reasons[f.name] = f.reason;
    return reasons;
  }
}

function absoluteFile(p: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || !path.posix.isAbsolute(value) || value.endsWith('/')) {
    throw new Error(`${p}: ${name} ${JSON.stringify(value)} must be an absolute file path on the control plane node`);
  }
  return value;
}

function resolveFlags(p: string, props: AuditWebhookConfigProps): WebhookFlag[] {
  const count = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 1) throw new Error(`${p}: ${name} must be an integer >= 1; got ${v}`);
    return String(v);
  };
  const duration = (name: string, value: string | undefined, fallback: string) => {
    const v = value ?? fallback;
    if (isZeroOrInvalidDuration(v)) throw new Error(`${p}: ${name} "${v}" must be a non-zero duration like ${fallback}`);
    return v;
  };
  const mode = props.mode ?? AuditWebhookMode.BATCH;
  if (!Object.values(AuditWebhookMode).includes(mode)) throw new Error(`${p}: mode "${String(mode)}" is not an AuditWebhookMode`);
  const flags: WebhookFlag[] = [
    { name: 'audit-webhook-mode', value: mode, reason: 'Batch mode keeps a slow backend from slowing requests; blocking-strict refuses requests that cannot be audited.' },
    { name: 'audit-webhook-initial-backoff', value: duration('initialBackoff', props.initialBackoff, '10s'), reason: 'Failed sends are retried with backoff instead of dropped.' },
  ];
  const batch: WebhookFlag[] = [
    { name: 'audit-webhook-batch-buffer-size', value: count('batchBufferSize', props.batchBufferSize, 10000), reason: 'Events wait in a bounded buffer while the backend is slow.' },
    { name: 'audit-webhook-batch-max-size', value: count('batchMaxSize', props.batchMaxSize, 400), reason: 'Bounded batches keep each request to the backend small.' },
    { name: 'audit-webhook-batch-max-wait', value: duration('batchMaxWait', props.batchMaxWait, '30s'), reason: 'Events reach the backend within a bounded delay even when traffic is low.' },
    { name: 'audit-webhook-batch-throttle-enable', value: 'true', reason: 'A burst of events cannot overwhelm the backend.' },
    { name: 'audit-webhook-batch-throttle-qps', value: count('batchThrottleQps', props.batchThrottleQps, 10), reason: 'Sustained batch rate to the backend.' },
    { name: 'audit-webhook-batch-throttle-burst', value: count('batchThrottleBurst', props.batchThrottleBurst, 15), reason: 'Batches that may be sent at once after a quiet period.' },
  ];
  if (mode !== AuditWebhookMode.BATCH) {
    const given = (['batchBufferSize', 'batchMaxSize', 'batchMaxWait', 'batchThrottleQps', 'batchThrottleBurst'] as const).filter((k) => props[k] !== undefined);
    if (given.length > 0) throw new Error(`${p}: ${given.join(', ')} only apply to AuditWebhookMode.BATCH (mode is ${mode})`);
    return flags;
  }
  return [...flags, ...batch];
}
