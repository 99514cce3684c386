import { Chart, Testing } from 'cdk8s';
import { prometheusRuleValidator } from './prometheus-rule-schema';
import { SecurityAlerts } from '../../src';

/** The parts of a lezer syntax tree the tests walk. */
interface SyntaxNode {
  readonly from: number;
  readonly to: number;
  readonly name: string;
  readonly type: { readonly isError: boolean };
  readonly node: { getChild(name: string): { from: number; to: number } | null };
}
// The package is an ES module with a CommonJS build; the test files are CommonJS, so it is required.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: { parse(input: string): { iterate(spec: { enter(node: SyntaxNode): void }): void } } };

/** Every syntax error node of a PromQL expression (lezer marks them with the error type). */
function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`error at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  return errors;
}

/** Metric names in an expression (identifiers followed by `{` or used bare), from the parse tree. */
function metricNames(expr: string): string[] {
  const names: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.push(expr.slice(id.from, id.to));
      }
    },
  });
  return names;
}

/** Metrics the alerts may use: exposed by kube-apiserver and the kubelet (Kubernetes 1.32). */
const KNOWN_METRICS = new Set([
  'authentication_attempts',
  'apiserver_authorization_decisions_total',
  'apiserver_audit_error_total',
  'apiserver_audit_requests_rejected_total',
  'apiserver_audit_event_total',
  'apiserver_storage_transformation_operations_total',
  'apiserver_client_certificate_expiration_seconds_bucket',
  'apiserver_client_certificate_expiration_seconds_count',
  'kubelet_certificate_manager_client_ttl_seconds',
  'kubelet_certificate_manager_server_ttl_seconds',
  'kubelet_certificate_manager_client_expiration_renew_errors',
  'kubelet_server_expiration_renew_errors',
  // Prometheus' own series per scrape target (1 while the target answers).
  'up',
]);

describe('SecurityAlerts', () => {
  const synth = (props = {}) => {
    const chart = new Chart(Testing.app(), 'test');
    const alerts = new SecurityAlerts(chart, 'Alerts', props);
    return { alerts, object: Testing.synth(chart)[0] };
  };

  test('the PrometheusRule validates against the prometheus-operator CRD schema', () => {
    const { object } = synth({ labels: { release: 'kps' }, runbookBaseUrl: 'https://runbooks.example/k8s' });
    expect(object).toMatchSnapshot();
    const validate = prometheusRuleValidator();
    expect(validate(object) ? [] : validate.errors).toEqual([]);
    // and the validator does reject a broken rule (so the check above can fail)
    const broken = JSON.parse(JSON.stringify(object));
    broken.spec.groups[0].rules[0].for = 'ten minutes';
    expect(validate(broken)).toBe(false);
    expect(object.metadata).toEqual({ name: 'hardened-security-alerts', namespace: 'monitoring', labels: { release: 'kps' } });
  });

  test('every expression parses as PromQL and uses real API server and kubelet metrics', () => {
    const { alerts } = synth();
    expect(alerts.alerts.length).toBeGreaterThanOrEqual(8);
    for (const a of alerts.alerts) {
      expect({ alert: a.alert, errors: promqlErrors(a.expr) }).toEqual({ alert: a.alert, errors: [] });
      const used = metricNames(a.expr);
      expect(used.length).toBeGreaterThan(0);
      for (const m of used) expect({ alert: a.alert, metric: m, known: KNOWN_METRICS.has(m) }).toEqual({ alert: a.alert, metric: m, known: true });
    }
    // the parser check can fail
    expect(promqlErrors('sum(rate(foo[5m])')).not.toEqual([]);
  });

  test('every alert has a severity, a summary, a description and runbook text', () => {
    const { object } = synth({ runbookBaseUrl: 'https://runbooks.example/k8s' });
    const rules = object.spec.groups.flatMap((g: any) => g.rules);
    const names = rules.map((r: any) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
      expect(r.annotations.summary.length).toBeGreaterThan(10);
      expect(r.annotations.description.length).toBeGreaterThan(20);
      expect(r.annotations.runbook.length).toBeGreaterThan(20);
      expect(r.annotations.runbook_url).toBe(`https://runbooks.example/k8s#${r.alert.toLowerCase()}`);
    }
  });

  test('the threats the guides name are covered', () => {
    const { alerts } = synth();
    const exprOf = (name: string) => alerts.alerts.find((a) => a.alert === name)?.expr ?? '';
    expect(exprOf('KubeAPIServerAuthenticationFailureBurst')).toContain('authentication_attempts{job="apiserver",result="failure"}');
    expect(exprOf('KubeAPIServerAuthorizationDenialBurst')).toContain('decision="denied"');
    expect(exprOf('KubeAPIServerAuditEventsFailing')).toContain('apiserver_audit_error_total');
    expect(exprOf('KubeAPIServerAuditLogSilent')).toContain('apiserver_audit_event_total');
    expect(exprOf('KubeClientCertificateExpiringSoon')).toContain('< 604800');
    expect(exprOf('KubeClientCertificateExpiring')).toContain('< 86400');
  });

  test('props tune selectors and thresholds; invalid values fail', () => {
    const { alerts } = synth({ apiServerSelector: 'job="kube-apiserver",cluster="eu"', authenticationFailuresPerSecond: 0.2, certificateWarningDays: 14 });
    const burst = alerts.alerts.find((a) => a.alert === 'KubeAPIServerAuthenticationFailureBurst')!;
    expect(burst.expr).toBe('sum by (job) (rate(authentication_attempts{job="kube-apiserver",cluster="eu",result="failure"}[5m])) > 0.2');
    expect(promqlErrors(burst.expr)).toEqual([]);
    expect(alerts.alerts.find((a) => a.alert === 'KubeClientCertificateExpiringSoon')!.expr).toContain('< 1209600');
    const make = (props: any) => () => new SecurityAlerts(new Chart(Testing.app(), 'x'), 'A', props);
    expect(make({ apiServerSelector: 'job=apiserver' })).toThrow(/x\/A: apiServerSelector/);
    expect(make({ authorizationDenialsPerSecond: 0 })).toThrow(/positive/);
    expect(make({ certificateWarningDays: 1, certificateCriticalDays: 2 })).toThrow(/must be below/);
    expect(make({ runbookBaseUrl: 'http://x' })).toThrow(/https/);
  });
});
