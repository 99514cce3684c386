import { CheckResult, Finding, Severity } from '../../src/core/types';
import { engineOptions, parseConfig } from '../../src/engine/config';
import { applyExemptions } from '../../src/engine/exemptions';

describe('engineOptions', () => {
  test('flags override level and severity, and extend the rule lists', () => {
    const config = parseConfig({ level: 'baseline', minSeverity: 'medium', skip: ['pod-privileged'], lockedRules: ['pod-privileged'], imagePolicy: { allowedRegistries: ['r.example.com'] } });
    expect(engineOptions(config, { level: 'restricted', minSeverity: Severity.HIGH, rules: ['pod-privileged'] })).toEqual({
      level: 'restricted',
      minSeverity: Severity.HIGH,
      rules: ['pod-privileged'],
      skip: ['pod-privileged'],
      lockedRules: ['pod-privileged'],
      settings: { imagePolicy: { allowedRegistries: ['r.example.com'] } },
    });
    const none = { level: undefined, minSeverity: undefined, rules: undefined, skip: undefined, lockedRules: undefined, settings: {} };
    expect(engineOptions({}, {})).toEqual(none);
  });
});

describe('applyExemptions', () => {
  const finding = (name: string, namespace: string | undefined, line: number): Finding => ({
    ruleId: 'pod-privileged',
    severity: Severity.CRITICAL,
    kind: 'DaemonSet',
    namespace,
    name,
    path: 'spec.template.spec.containers[0].securityContext.privileged',
    message: 'runs privileged',
    remediation: 'fix it',
    file: 'a.yaml',
    line,
  });
  const result: CheckResult = {
    findings: [finding('csi-node', 'kube-system', 1), finding('csi-node', 'shop', 20), finding('agent', 'kube-system', 40)],
    waived: [],
    problems: [],
    objectCount: 3,
    rulesRun: ['pod-privileged'],
  };
  const exemption = { ruleId: 'pod-privileged', reason: 'CSI node plugin needs devices', namespace: 'kube-system', name: 'csi-*' };

  test('globs select objects; matches move to waived with the reason', () => {
    const { result: out, unused } = applyExemptions(result, [exemption]);
    expect(out.findings.map((f) => `${f.namespace}/${f.name}`)).toEqual(['shop/csi-node', 'kube-system/agent']);
    expect(out.waived).toEqual([{ ...result.findings[0], waiver: { ruleId: 'pod-privileged', reason: 'CSI node plugin needs devices' } }]);
    expect(unused).toEqual([]);
  });

  test('a locked rule cannot be exempted, and the exemption is reported unused', () => {
    const { result: out, unused } = applyExemptions(result, [exemption], ['pod-privileged']);
    expect(out.findings).toHaveLength(3);
    expect(unused).toEqual([exemption]);
  });

  test('cluster-scoped objects match only an exemption without a namespace (or `*`)', () => {
    const clusterScoped = { ...result, findings: [finding('csi-node', undefined, 1)] };
    expect(applyExemptions(clusterScoped, [exemption]).result.findings).toHaveLength(1);
    expect(applyExemptions(clusterScoped, [{ ...exemption, namespace: '*' }]).result.findings).toHaveLength(0);
  });
});
