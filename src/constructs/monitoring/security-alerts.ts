import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** Severity label of an alert (routing in Alertmanager). */
export enum AlertSeverity {
  CRITICAL = 'critical',
  WARNING = 'warning',
  INFO = 'info',
}

/** Properties of SecurityAlerts. */
export interface SecurityAlertsProps {
  /** Namespace of the PrometheusRule (where the Prometheus operator looks for rules). @default 'monitoring' */
  readonly namespace?: string;
  /** @default 'hardened-security-alerts' */
  readonly name?: string;
  /**
   * Labels of the PrometheusRule, to match the Prometheus `ruleSelector` (kube-prometheus-stack selects
   * `release: <release name>`).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /** Label matcher of the API server scrape job. @default 'job="apiserver"' */
  readonly apiServerSelector?: string;
  /** Label matcher of the kubelet scrape job. @default 'job="kubelet"' */
  readonly kubeletSelector?: string;
  /** Authentication failures (401) per second, over 5 minutes, that count as a burst. @default 1 */
  readonly authenticationFailuresPerSecond?: number;
  /** Authorization denials (403) per second, over 5 minutes, that count as a burst. @default 1 */
  readonly authorizationDenialsPerSecond?: number;
  /** Warn when a certificate expires within this many days. @default 7 */
  readonly certificateWarningDays?: number;
  /** Page when a certificate expires within this many days. @default 1 */
  readonly certificateCriticalDays?: number;
  /** Base URL of your runbooks; each alert gets `runbook_url` = base + '#' + alert name in lower case. @default - no runbook_url (the runbook text is in the `runbook` annotation) */
  readonly runbookBaseUrl?: string;
}

/** One alerting rule: what fires, how bad, what it means and what to do. */
export interface SecurityAlert {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold (Prometheus duration). */
  readonly for: string;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly description: string;
  /** What the on-call engineer does first. */
  readonly runbook: string;
}

const SELECTOR = /^[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*"(\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*")*$/;

/** `metric{base,extra}`. */
function series(metric: string, base: string, extra?: string): string {
  return `${metric}{${[base, extra].filter((x) => x).join(',')}}`;
}

/**
 * A PrometheusRule (monitoring.coreos.com/v1) with alerts for the attacks and failures the hardening guides
 * name, built on metrics the API server and kubelet expose:
 * - bursts of authentication failures (401: brute force, stolen or expired credentials, anonymous requests
 *   once anonymous auth is off) from `authentication_attempts` (the request counter never sees 401s);
 * - bursts of authorization denials (403: enumeration with a stolen identity) from
 *   `apiserver_authorization_decisions_total`;
 * - audit events failing to reach the backend or requests rejected for it, and audit logging going silent;
 * - encryption at rest failing (`apiserver_storage_transformation_operations_total`);
 * - client certificates presented to the API server, and kubelet certificates, close to expiry, and failed
 *   kubelet certificate renewals.
 */
export class SecurityAlerts extends Construct {
  /** The synthesized PrometheusRule. */
  public readonly apiObject: ApiObject;
  /** The alerts, in the order written. */
  public readonly alerts: SecurityAlert[];

  public constructor(scope: Construct, id: string, props: SecurityAlertsProps = {}) {
    super(scope, id);
    const p = this.node.path;
    const api = props.apiServerSelector ?? 'job="apiserver"';
    const kubelet = props.kubeletSelector ?? 'job="kubelet"';
    for (const [name, value] of [['apiServerSelector', api], ['kubeletSelector', kubelet]]) {
      if (!SELECTOR.test(value)) throw new Error(`${p}: ${name} '${value}' is not a PromQL label matcher list like job="apiserver"`);
    }
    const positive = (name: string, value: number | undefined, fallback: number) => {
      const v = value ?? fallback;
      if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`${p}: ${name} must be a positive number`);
      return v;
    };
    const authn = positive('authenticationFailuresPerSecond', props.authenticationFailuresPerSecond, 1);
    const authz = positive('authorizationDenialsPerSecond', props.authorizationDenialsPerSecond, 1);
    const warnDays = positive('certificateWarningDays', props.certificateWarningDays, 7);
    const critDays = positive('certificateCriticalDays', props.certificateCriticalDays, 1);
    if (critDays >= warnDays) throw new Error(`${p}: certificateCriticalDays (${critDays}) must be below certificateWarningDays (${warnDays})`);
    if (props.runbookBaseUrl !== undefined && !/^https:\/\/\S+$/.test(props.runbookBaseUrl)) {
      throw new Error(`${p}: runbookBaseUrl must be an https URL`);
    }
    const warnSeconds = Math.round(warnDays * 86400);
    const critSeconds = Math.round(critDays * 86400);
    const clientCertQuantile = `histogram_quantile(0.01, sum by (job, le) (rate(${series('apiserver_client_certificate_expiration_seconds_bucket', api)}[5m])))`;
    const clientCertSeen = `${series('apiserver_client_certificate_expiration_seconds_count', api)} > 0`;

    this.alerts = [
      {
        alert: 'KubeAPIServerAuthenticationFailureBurst',
        expr: `sum by (job) (rate(${series('authentication_attempts', api, 'result="failure"')}[5m])) > ${authn}`,
        for: '10m',
        severity: AlertSeverity.WARNING,
        summary: 'Burst of failed authentications (401) at the API server',
        description: `More than ${authn} requests per second fail authentication: password or token guessing, a client with revoked or expired credentials, or anonymous requests (anonymous auth is off outside the health endpoints).`,
        runbook: 'Find the source addresses and user agents of 401 responses in the audit log (responseStatus.code 401); block unknown sources at the firewall of port 6443; rotate any credential that appears in failed attempts from unknown addresses.',
      },
      {
        alert: 'KubeAPIServerAuthorizationDenialBurst',
        expr: `sum by (job) (rate(${series('apiserver_authorization_decisions_total', api, 'decision="denied"')}[5m])) > ${authz}`,
        for: '10m',
        severity: AlertSeverity.WARNING,
        summary: 'Burst of authorization denials (403) at the API server',
        description: `More than ${authz} requests per second are denied by the authorizers: an identity probing what it may do (typical after a token is stolen) or a workload whose RBAC is wrong.`,
        runbook: 'Group 403 events in the audit log by user.username and objectRef.resource; an identity that walks through many resources or namespaces is enumerating: disable its credentials and review what it was allowed to do.',
      },
      {
        alert: 'KubeAPIServerAuditEventsFailing',
        expr: `sum by (job, plugin) (rate(${series('apiserver_audit_error_total', api)}[5m])) > 0`,
        for: '5m',
        severity: AlertSeverity.CRITICAL,
        summary: 'Audit events are failing to reach the audit backend',
        description: 'The API server drops audit events (full disk, unwritable log path, webhook backend unreachable): actions in the cluster are no longer recorded.',
        runbook: 'Check free space and permissions of the audit log directory (--audit-log-path) on every control plane node and the audit webhook backend; treat the gap as unaudited time in any investigation.',
      },
      {
        alert: 'KubeAPIServerAuditRequestsRejected',
        expr: `sum by (job) (rate(${series('apiserver_audit_requests_rejected_total', api)}[5m])) > 0`,
        for: '5m',
        severity: AlertSeverity.CRITICAL,
        summary: 'API requests are rejected because they cannot be audited',
        description: 'The audit backend cannot keep up or is failing; the API server rejects requests rather than leave them unaudited.',
        runbook: 'Restore the audit backend (disk, webhook, log shipping); requests fail until it recovers.',
      },
      {
        alert: 'KubeAPIServerAuditLogSilent',
        // A counter that stops, or one that is gone from an API server that is still scraped (`--disabled-metrics`
        // hides it, and a rate of nothing is no alert).
        expr: `sum by (job) (rate(${series('apiserver_audit_event_total', api)}[15m])) == 0 or (sum by (job) (${series('up', api)}) > 0 unless on (job) count by (job) (${series('apiserver_audit_event_total', api)}))`,
        for: '15m',
        severity: AlertSeverity.CRITICAL,
        summary: 'The API server records no audit events',
        description: 'No audit event in 15 minutes on a running API server, or no audit counter at all from an API server that is scraped: audit logging was turned off, the policy was replaced with one that drops everything, or the metric was disabled.',
        runbook: 'Compare --audit-policy-file and the policy file on every control plane node with the synthesized AuditPolicy; a change nobody made is an incident.',
      },
      {
        alert: 'KubeAPIServerEncryptionAtRestFailing',
        expr: `sum by (job, transformation_type, transformer_prefix) (rate(${series('apiserver_storage_transformation_operations_total', api, 'status!="OK"')}[5m])) > 0`,
        for: '5m',
        severity: AlertSeverity.CRITICAL,
        summary: 'Encryption or decryption of stored resources is failing',
        description: 'The API server cannot encrypt or decrypt resources in etcd: the KMS plugin is unreachable or a key was removed while data still uses it.',
        runbook: 'Check the KMS plugin socket and its logs on every control plane node, and that the EncryptionConfiguration still lists every key that encrypted existing data.',
      },
      {
        alert: 'KubeClientCertificateExpiringSoon',
        expr: `${clientCertSeen} and on (job) ${clientCertQuantile} < ${warnSeconds}`,
        for: '5m',
        severity: AlertSeverity.WARNING,
        summary: `A client certificate used against the API server expires within ${warnDays} days`,
        description: 'Clients present certificates that expire soon; when they do, those clients (kubelets, controllers, admins) are locked out.',
        runbook: 'Find the certificates with `kubeadm certs check-expiration` and the kubelet client certificates on the nodes; renew them (kubeadm certs renew, kubelet rotateCertificates).',
      },
      {
        alert: 'KubeClientCertificateExpiring',
        expr: `${clientCertSeen} and on (job) ${clientCertQuantile} < ${critSeconds}`,
        for: '5m',
        severity: AlertSeverity.CRITICAL,
        summary: `A client certificate used against the API server expires within ${critDays} days`,
        description: 'Clients will be locked out of the API server very soon.',
        runbook: 'Renew now: kubeadm certs renew all on the control plane, restart the static pods, and check kubelet certificate rotation.',
      },
      {
        alert: 'KubeletCertificateExpiringSoon',
        expr: `min by (node) (${series('kubelet_certificate_manager_client_ttl_seconds', kubelet)}) < ${warnSeconds} or min by (node) (${series('kubelet_certificate_manager_server_ttl_seconds', kubelet)}) < ${warnSeconds}`,
        for: '5m',
        severity: AlertSeverity.WARNING,
        summary: `A kubelet client or serving certificate expires within ${warnDays} days`,
        description: 'Certificate rotation is not renewing the kubelet\'s certificates: the node will drop out of the cluster when they expire.',
        runbook: 'Check rotateCertificates/serverTLSBootstrap in the KubeletConfiguration and pending CertificateSigningRequests (kubectl get csr); approve legitimate kubelet-serving CSRs.',
      },
      {
        alert: 'KubeletCertificateRenewalErrors',
        expr: `sum by (node) (increase(${series('kubelet_certificate_manager_client_expiration_renew_errors', kubelet)}[15m])) > 0 or sum by (node) (increase(${series('kubelet_server_expiration_renew_errors', kubelet)}[15m])) > 0`,
        for: '15m',
        severity: AlertSeverity.WARNING,
        summary: 'A kubelet fails to renew its certificates',
        description: 'The kubelet tried and failed to renew its client or serving certificate.',
        runbook: 'Read the kubelet log on the node for certificate_manager errors; check that the node can reach the API server and that its CSRs are approved.',
      },
    ];

    const rules = this.alerts.map((a) => ({
      alert: a.alert,
      expr: a.expr,
      for: a.for,
      labels: { severity: a.severity },
      annotations: {
        summary: a.summary,
        description: a.description,
        runbook: a.runbook,
        ...(props.runbookBaseUrl ? { runbook_url: `${props.runbookBaseUrl}#${a.alert.toLowerCase()}` } : {}),
      },
    }));
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name ?? 'hardened-security-alerts', namespace: props.namespace ?? 'monitoring', labels: { ...(props.labels ?? {}) } },
      spec: { groups: [{ name: 'hardened.security', rules }] },
    });
  }
}
