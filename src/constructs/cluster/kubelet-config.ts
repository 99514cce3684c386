import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configFileObject } from './config-file';
import { isZeroOrInvalidDuration } from '../../analysis/cluster/duration';
import { fieldAt, KUBELET_SETTINGS, KubeletSetting } from '../../analysis/cluster/kubelet-settings';
import { resolveCipherSuites, TLS_MIN_VERSION, TlsCipherSuite } from '../../analysis/cluster/tls';
import { ClusterFile, TracedSetting } from '../../analysis/cluster/traced-setting';

/** Properties of a KubeletConfig. Insecure values (anonymous auth, AlwaysAllow, a read-only port) are not offered. */
export interface KubeletConfigProps {
  /**
   * CA bundle that verifies client certificates (the API server's kubelet client certificate).
   * @default '/etc/kubernetes/pki/ca.crt' (kubeadm)
   */
  readonly clientCaFile?: string;
  /**
   * Idle timeout of exec/attach/port-forward streams; must not be 0.
   * @default '5m'
   */
  readonly streamingConnectionIdleTimeout?: string;
  /**
   * Events per second the kubelet may create; at least 1 (0 means unlimited).
   * @default 50
   */
  readonly eventRecordQps?: number;
  /**
   * Maximum number of processes per pod (fork-bomb protection); at least 64.
   * @default 4096
   */
  readonly podPidsLimit?: number;
  /**
   * TLS cipher suites of the kubelet's server.
   * @default - every strong suite (TlsCipherSuite)
   */
  readonly tlsCipherSuites?: TlsCipherSuite[];
  /**
   * Serving certificate of the kubelet. With neither this nor tlsPrivateKeyFile the kubelet requests its
   * serving certificate from the cluster CA (serverTLSBootstrap) and rotates it.
   * @default - requested through a CertificateSigningRequest
   */
  readonly tlsCertFile?: string;
  /**
   * Private key of tlsCertFile; set both or neither.
   * @default - requested through a CertificateSigningRequest
   */
  readonly tlsPrivateKeyFile?: string;
}

interface ResolvedKubelet {
  readonly clientCaFile: string;
  readonly streamingConnectionIdleTimeout: string;
  readonly eventRecordQps: number;
  readonly podPidsLimit: number;
  readonly tlsCipherSuites: TlsCipherSuite[];
  readonly tlsCertFile?: string;
  readonly tlsPrivateKeyFile?: string;
}

/** One field of the file with its value; its CIS items and reason come from the row of the kubelet settings table. */
interface KubeletField {
  readonly path: string;
  readonly value: unknown;
}

function kubeletFields(r: ResolvedKubelet): KubeletField[] {
  const servingCert: KubeletField[] = r.tlsCertFile
    ? [{ path: 'tlsCertFile', value: r.tlsCertFile }, { path: 'tlsPrivateKeyFile', value: r.tlsPrivateKeyFile }]
    : [{ path: 'serverTLSBootstrap', value: true }];
  return [
    { path: 'authentication.anonymous.enabled', value: false },
    { path: 'authentication.webhook.enabled', value: true },
    { path: 'authentication.x509.clientCAFile', value: r.clientCaFile },
    { path: 'authorization.mode', value: 'Webhook' },
    { path: 'readOnlyPort', value: 0 },
    { path: 'streamingConnectionIdleTimeout', value: r.streamingConnectionIdleTimeout },
    { path: 'makeIPTablesUtilChains', value: true },
    { path: 'eventRecordQPS', value: r.eventRecordQps },
    { path: 'rotateCertificates', value: true },
    ...servingCert,
    { path: 'tlsCipherSuites', value: r.tlsCipherSuites },
    { path: 'tlsMinVersion', value: TLS_MIN_VERSION },
    { path: 'podPidsLimit', value: r.podPidsLimit },
    { path: 'seccompDefault', value: true },
    { path: 'protectKernelDefaults', value: true },
  ];
}

/** The table row a field satisfies (the explicit serving certificate satisfies the serverTLSBootstrap row). */
function rowOf(path: string): KubeletSetting | undefined {
  const key = path === 'tlsCertFile' || path === 'tlsPrivateKeyFile' ? 'serverTLSBootstrap' : path;
  return KUBELET_SETTINGS.find((s) => s.path === key);
}

const SERVING_CERT_REASON = 'The kubelet serves its API with a certificate the API server can verify.';

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = node[key] ?? {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

const DEFAULTS: ResolvedKubelet = {
  clientCaFile: '/etc/kubernetes/pki/ca.crt',
  streamingConnectionIdleTimeout: '5m',
  eventRecordQps: 50,
  podPidsLimit: 4096,
  tlsCipherSuites: resolveCipherSuites('defaults', undefined),
};

/**
 * The kubelet's KubeletConfiguration (kubelet.config.k8s.io/v1beta1): the `--config` file of every node, or
 * the KubeletConfiguration document of a kubeadm configuration file (kubeadm distributes it to every node).
 * Anonymous auth is off, authorization is Webhook, the read-only port is 0, certificates rotate, kernel
 * defaults are protected. None of these can be weakened through props.
 */
export class KubeletConfig extends Construct {
  /** What the file sets, with the CIS items it satisfies (for docs/cis-coverage.md). */
  public static settings(): TracedSetting[] {
    return kubeletFields(DEFAULTS).map((f) => ({
      file: ClusterFile.KUBELET_CONFIGURATION,
      component: 'kubelet',
      setting: f.path,
      value: Array.isArray(f.value) ? f.value.join(',') : String(f.value),
      cis: [...(rowOf(f.path)?.cis ?? [])],
      ...(rowOf(f.path)?.cis112Only ? { cis112Only: [...rowOf(f.path)!.cis112Only!] } : {}),
      reason: f.path === 'tlsCertFile' || f.path === 'tlsPrivateKeyFile' ? SERVING_CERT_REASON : rowOf(f.path)?.reason ?? '',
    }));
  }

  /** The synthesized KubeletConfiguration. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: KubeletConfigProps = {}) {
    super(scope, id);
    const path = this.node.path;
    const resolved: ResolvedKubelet = {
      clientCaFile: props.clientCaFile ?? DEFAULTS.clientCaFile,
      streamingConnectionIdleTimeout: props.streamingConnectionIdleTimeout ?? DEFAULTS.streamingConnectionIdleTimeout,
      eventRecordQps: props.eventRecordQps ?? DEFAULTS.eventRecordQps,
      podPidsLimit: props.podPidsLimit ?? DEFAULTS.podPidsLimit,
      tlsCipherSuites: resolveCipherSuites(path, props.tlsCipherSuites),
      tlsCertFile: props.tlsCertFile,
      tlsPrivateKeyFile: props.tlsPrivateKeyFile,
    };
    if (!resolved.clientCaFile.startsWith('/')) throw new Error(`${path}: clientCaFile must be an absolute path (CIS 4.2.3)`);
    if (isZeroOrInvalidDuration(resolved.streamingConnectionIdleTimeout)) {
      throw new Error(`${path}: streamingConnectionIdleTimeout "${resolved.streamingConnectionIdleTimeout}" must be a non-zero duration like 5m (CIS 4.2.5)`);
    }
    if (!Number.isInteger(resolved.eventRecordQps) || resolved.eventRecordQps < 1) {
      throw new Error(`${path}: eventRecordQps must be an integer >= 1; 0 removes the limit (CIS 4.2.8)`);
    }
    if (!Number.isInteger(resolved.podPidsLimit) || resolved.podPidsLimit < 64) {
      throw new Error(`${path}: podPidsLimit must be an integer >= 64; -1 or 0 leave pods unlimited (CIS 4.2.13)`);
    }
    if ((resolved.tlsCertFile === undefined) !== (resolved.tlsPrivateKeyFile === undefined)) {
      throw new Error(`${path}: set both tlsCertFile and tlsPrivateKeyFile, or neither to use serverTLSBootstrap (CIS 4.2.9)`);
    }
    const body: Record<string, unknown> = {};
    for (const field of kubeletFields(resolved)) setPath(body, field.path, field.value);
    // What the file says is judged by the same rows the catalog rules use, so construct and rules cannot disagree.
    for (const row of KUBELET_SETTINGS) {
      const problem = row.judge(fieldAt(body, row.path), body);
      if (problem !== undefined) throw new Error(`${path}: ${problem} (${row.ruleId}, CIS ${row.cis.join(', ') || '-'})`);
    }
    this.apiObject = configFileObject(this, 'kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration', body);
  }
}
