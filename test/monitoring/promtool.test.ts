import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { SecurityAlert, SecurityAlerts } from '../../src';

/**
 * The SecurityAlerts rules run by Prometheus itself: `promtool check rules` parses and type-checks the synthesized
 * groups, and `promtool test rules` evaluates them on synthetic series. For every alert, the attack or failure it
 * names makes it fire with its documented labels and annotations, and normal traffic keeps it silent. promtool comes
 * from Debian's prometheus package; under CI=true its absence fails the suite instead of skipping it.
 */

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const available = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' }).status === 0;

test('promtool is installed where CI runs this suite', () => {
  if (process.env.CI === 'true' || process.env.CI === '1') expect(available).toBe(true);
});

/** A series in promtool's expanding notation: `0+600x40` starts at 0 and grows by 600 per interval (1m), 40 times. */
type Series = Record<string, string>;

/** One scenario: input series, when to evaluate, and the alerts expected then (labels besides alertname and severity). */
interface Scenario {
  readonly series: Series;
  readonly at: string;
  /** Label sets of the expected alerts; empty means the alert must be silent. */
  readonly fires: ReadonlyArray<Record<string, string>>;
}

const API = 'job="apiserver"';
const KUBELET = 'job="kubelet"';
const DAY = 86400;
/** Buckets of apiserver_client_certificate_expiration_seconds (a subset of the API server's own). */
const BUCKETS = [DAY, 7 * DAY, 30 * DAY];
/** Client certificates presented at 10 per minute, all expiring after `days`. */
function certificates(days: number): Series {
  const series: Series = {};
  for (const le of [...BUCKETS.map(String), '+Inf']) {
    series[`apiserver_client_certificate_expiration_seconds_bucket{${API},le="${le}"}`] = le === '+Inf' || Number(le) >= days * DAY ? '0+10x40' : '0+0x40';
  }
  series[`apiserver_client_certificate_expiration_seconds_count{${API}}`] = '0+10x40';
  return series;
}

/** Per alert: the attack or failure it names, and the normal traffic it must ignore. */
const SCENARIOS: Record<string, { attack: Scenario[]; normal: Scenario[] }> = {
  KubeAPIServerAuthenticationFailureBurst: {
    // 10 failed authentications a second (password or token guessing) for 20 minutes.
    attack: [{ series: { [`authentication_attempts{${API},result="failure"}`]: '0+600x40', [`authentication_attempts{${API},result="success"}`]: '0+3000x40' }, at: '20m', fires: [{ job: 'apiserver' }] }],
    // A client with an expired token retrying every 10 seconds, among 50 successful requests a second.
    normal: [{ series: { [`authentication_attempts{${API},result="failure"}`]: '0+6x40', [`authentication_attempts{${API},result="success"}`]: '0+3000x40' }, at: '20m', fires: [] }],
  },
  KubeAPIServerAuthorizationDenialBurst: {
    // A stolen identity walking through resources: 5 denials a second.
    attack: [{ series: { [`apiserver_authorization_decisions_total{${API},decision="denied"}`]: '0+300x40', [`apiserver_authorization_decisions_total{${API},decision="allowed"}`]: '0+3000x40' }, at: '20m', fires: [{ job: 'apiserver' }] }],
    normal: [{ series: { [`apiserver_authorization_decisions_total{${API},decision="denied"}`]: '0+12x40', [`apiserver_authorization_decisions_total{${API},decision="allowed"}`]: '0+3000x40' }, at: '20m', fires: [] }],
  },
  KubeAPIServerAuditEventsFailing: {
    // The webhook backend (the SIEM) is unreachable: events are dropped.
    attack: [{ series: { [`apiserver_audit_error_total{${API},plugin="webhook"}`]: '0+5x40', [`apiserver_audit_event_total{${API}}`]: '0+600x40' }, at: '20m', fires: [{ job: 'apiserver', plugin: 'webhook' }] }],
    normal: [{ series: { [`apiserver_audit_error_total{${API},plugin="webhook"}`]: '0+0x40', [`apiserver_audit_event_total{${API}}`]: '0+600x40' }, at: '20m', fires: [] }],
  },
  KubeAPIServerAuditRequestsRejected: {
    attack: [{ series: { [`apiserver_audit_requests_rejected_total{${API}}`]: '0+3x40' }, at: '20m', fires: [{ job: 'apiserver' }] }],
    normal: [{ series: { [`apiserver_audit_requests_rejected_total{${API}}`]: '0+0x40' }, at: '20m', fires: [] }],
  },
  KubeAPIServerAuditLogSilent: {
    attack: [
      // Audit logging turned off after 10 minutes: the counter stops.
      { series: { [`apiserver_audit_event_total{${API}}`]: '0+600x10 6000+0x50', [`up{${API}}`]: '1+0x60' }, at: '50m', fires: [{ job: 'apiserver' }] },
      // The counter is hidden (`--disabled-metrics=apiserver_audit_event_total`) while the API server is scraped.
      { series: { [`up{${API}}`]: '1+0x60' }, at: '50m', fires: [{ job: 'apiserver' }] },
    ],
    normal: [
      { series: { [`apiserver_audit_event_total{${API}}`]: '0+600x60', [`up{${API}}`]: '1+0x60' }, at: '50m', fires: [] },
      // No API server scraped at all is another alert's business (target down), not a silent audit log.
      { series: { ['up{job="kubelet"}']: '1+0x60' }, at: '50m', fires: [] },
    ],
  },
  KubeAPIServerEncryptionAtRestFailing: {
    // The KMS plugin is unreachable: reads of encrypted Secrets fail.
    attack: [{
      series: {
        [`apiserver_storage_transformation_operations_total{${API},status="Unavailable",transformation_type="from_storage",transformer_prefix="k8s:enc:kms:v2:"}`]: '0+4x40',
        [`apiserver_storage_transformation_operations_total{${API},status="OK",transformation_type="from_storage",transformer_prefix="k8s:enc:kms:v2:"}`]: '0+100x40',
      },
      at: '20m',
      fires: [{ job: 'apiserver', transformation_type: 'from_storage', transformer_prefix: 'k8s:enc:kms:v2:' }],
    }],
    normal: [{ series: { [`apiserver_storage_transformation_operations_total{${API},status="OK",transformation_type="from_storage",transformer_prefix="k8s:enc:kms:v2:"}`]: '0+100x40' }, at: '20m', fires: [] }],
  },
  KubeClientCertificateExpiringSoon: {
    attack: [{ series: certificates(3), at: '20m', fires: [{ job: 'apiserver' }] }],
    normal: [{ series: certificates(30), at: '20m', fires: [] }],
  },
  KubeClientCertificateExpiring: {
    attack: [{ series: certificates(0.5), at: '20m', fires: [{ job: 'apiserver' }] }],
    // Three days left: the warning fires (above), the page does not.
    normal: [{ series: certificates(3), at: '20m', fires: [] }],
  },
  KubeletCertificateExpiringSoon: {
    // Rotation stopped: the client certificate of n1, or the serving certificate of n2, has two days left.
    attack: [
      { series: { [`kubelet_certificate_manager_client_ttl_seconds{${KUBELET},node="n1"}`]: `${2 * DAY}-60x40`, [`kubelet_certificate_manager_server_ttl_seconds{${KUBELET},node="n1"}`]: `${300 * DAY}-60x40` }, at: '20m', fires: [{ node: 'n1' }] },
      { series: { [`kubelet_certificate_manager_client_ttl_seconds{${KUBELET},node="n2"}`]: `${300 * DAY}-60x40`, [`kubelet_certificate_manager_server_ttl_seconds{${KUBELET},node="n2"}`]: `${2 * DAY}-60x40` }, at: '20m', fires: [{ node: 'n2' }] },
    ],
    normal: [{ series: { [`kubelet_certificate_manager_client_ttl_seconds{${KUBELET},node="n1"}`]: `${300 * DAY}-60x40`, [`kubelet_certificate_manager_server_ttl_seconds{${KUBELET},node="n1"}`]: `${300 * DAY}-60x40` }, at: '20m', fires: [] }],
  },
  KubeletCertificateRenewalErrors: {
    attack: [
      { series: { [`kubelet_certificate_manager_client_expiration_renew_errors{${KUBELET},node="n1"}`]: '0+1x60', [`kubelet_server_expiration_renew_errors{${KUBELET},node="n1"}`]: '0+0x60' }, at: '40m', fires: [{ node: 'n1' }] },
      { series: { [`kubelet_certificate_manager_client_expiration_renew_errors{${KUBELET},node="n2"}`]: '0+0x60', [`kubelet_server_expiration_renew_errors{${KUBELET},node="n2"}`]: '0+1x60' }, at: '40m', fires: [{ node: 'n2' }] },
    ],
    normal: [{ series: { [`kubelet_certificate_manager_client_expiration_renew_errors{${KUBELET},node="n1"}`]: '0+0x60', [`kubelet_server_expiration_renew_errors{${KUBELET},node="n1"}`]: '0+0x60' }, at: '40m', fires: [] }],
  },
};

function synthesized(): { alerts: SecurityAlerts; groups: unknown } {
  const chart = Testing.chart();
  const alerts = new SecurityAlerts(chart, 'alerts');
  return { alerts, groups: (alerts.apiObject.toJson() as { spec: { groups: unknown } }).spec.groups };
}

/** An expected alert: the labels it groups by plus its severity, and every annotation the construct documents. */
function expected(alert: SecurityAlert, labels: Record<string, string>) {
  return {
    exp_labels: { ...labels, severity: alert.severity },
    exp_annotations: { summary: alert.summary, description: alert.description, runbook: alert.runbook },
  };
}

/** The promtool unit-test file: one test group per scenario, so that the series of one never reach another. */
function unitTests(alerts: SecurityAlerts, rulesFile: string): unknown {
  const tests = alerts.alerts.flatMap((alert) => {
    const { attack, normal } = SCENARIOS[alert.alert];
    return [...attack, ...normal].map((scenario) => ({
      interval: '1m',
      input_series: Object.entries(scenario.series).map(([series, values]) => ({ series, values })),
      alert_rule_test: [{
        eval_time: scenario.at,
        alertname: alert.alert,
        exp_alerts: scenario.fires.map((labels) => expected(alert, labels)),
      }],
    }));
  });
  return { rule_files: [rulesFile], evaluation_interval: '1m', tests };
}

function promtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync(PROMTOOL, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

(available ? describe : describe.skip)('SecurityAlerts under promtool', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-promtool-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { alerts, groups } = synthesized();
  const rulesFile = path.join(dir, 'security-alerts.rules.json');
  // JSON is YAML: promtool reads it as the groups the PrometheusRule carries.
  fs.writeFileSync(rulesFile, JSON.stringify({ groups }, null, 2));

  test('every alert has an attack and a normal scenario, and every scenario names an alert', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(alerts.alerts.map((a) => a.alert).sort());
    for (const { attack, normal } of Object.values(SCENARIOS)) {
      expect(attack.length).toBeGreaterThan(0);
      expect(attack.every((s) => s.fires.length > 0)).toBe(true);
      expect(normal.length).toBeGreaterThan(0);
      expect(normal.every((s) => s.fires.length === 0)).toBe(true);
    }
  });

  test('promtool check rules accepts the synthesized groups', () => {
    const run = promtool(['check', 'rules', rulesFile]);
    expect([run.status, run.output]).toEqual([0, expect.stringContaining(`SUCCESS: ${alerts.alerts.length} rules found`)]);
  });

  test('promtool test rules: each attack fires with the documented labels and annotations, normal traffic stays silent', () => {
    const testFile = path.join(dir, 'security-alerts.test.json');
    fs.writeFileSync(testFile, JSON.stringify(unitTests(alerts, rulesFile), null, 2));
    const run = promtool(['test', 'rules', testFile]);
    expect([run.status, run.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('props change what fires: a custom API server selector and threshold', () => {
    const chart = Testing.chart();
    const custom = new SecurityAlerts(chart, 'custom', { apiServerSelector: 'job="kube-apiserver"', authenticationFailuresPerSecond: 20 });
    const file = path.join(dir, 'custom.rules.json');
    fs.writeFileSync(file, JSON.stringify({ groups: (custom.apiObject.toJson() as { spec: { groups: unknown } }).spec.groups }));
    const burst = custom.alerts.find((a) => a.alert === 'KubeAPIServerAuthenticationFailureBurst')!;
    const failures = (job: string, perMinute: number) => ({ [`authentication_attempts{job="${job}",result="failure"}`]: `0+${perMinute}x40` });
    const scenario = (series: Series, fires: Array<Record<string, string>>) => ({
      interval: '1m',
      input_series: Object.entries(series).map(([name, values]) => ({ series: name, values })),
      alert_rule_test: [{
        eval_time: '20m',
        alertname: burst.alert,
        exp_alerts: fires.map((labels) => expected(burst, labels)),
      }],
    });
    const tests = [
      scenario(failures('kube-apiserver', 600), []), // 10/s: below the raised threshold
      scenario(failures('kube-apiserver', 1800), [{ job: 'kube-apiserver' }]), // 30/s
      scenario(failures('apiserver', 6000), []), // another job: not selected
    ];
    const testFile = path.join(dir, 'custom.test.json');
    fs.writeFileSync(testFile, JSON.stringify({ rule_files: [file], evaluation_interval: '1m', tests }));
    const run = promtool(['test', 'rules', testFile]);
    expect([run.status, run.output]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });

  test('the unit tests can fail: an attack scenario expected to stay silent is reported by promtool', () => {
    const broken = unitTests(alerts, rulesFile) as { tests: Array<{ alert_rule_test: Array<{ exp_alerts: unknown[] }> }> };
    broken.tests[0].alert_rule_test[0].exp_alerts = [];
    const testFile = path.join(dir, 'broken.test.json');
    fs.writeFileSync(testFile, JSON.stringify(broken));
    const run = promtool(['test', 'rules', testFile]);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('KubeAPIServerAuthenticationFailureBurst');
  });
});
