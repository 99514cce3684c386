import { Severity } from '../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects, selectRules } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';

const pod = (securityContext: Record<string, unknown>, annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', annotations },
  spec: { containers: [{ name: 'app', image: 'app', securityContext }] },
});

describe('engine', () => {
  test('reports a privileged container with its path', () => {
    const result = checkObjects([{ object: pod({ privileged: true }) }], { rules: ['pod-privileged'] });
    expect(result.findings).toEqual([
      expect.objectContaining({
        ruleId: 'pod-privileged',
        kind: 'Pod',
        name: 'p',
        namespace: 'ns',
        path: 'spec.containers[0].securityContext.privileged',
        severity: Severity.CRITICAL,
      }),
    ]);
  });

  test('expands the pod template of a CronJob', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { spec: pod({ privileged: true }).spec } } } },
    };
    const result = checkObjects([{ object: cron }], { rules: ['pod-privileged'] });
    expect(result.findings.map((f) => f.path)).toEqual(['spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged']);
  });

  test('a waiver moves the finding to waived; a locked rule ignores it', () => {
    const waived = pod({ privileged: true }, {
      [WAIVERS_ANNOTATION]: JSON.stringify([{ ruleId: 'pod-privileged', reason: 'node agent needs raw devices' }]),
    });
    const result = checkObjects([{ object: waived }], { rules: ['pod-privileged'] });
    expect(result.findings).toHaveLength(0);
    expect(result.waived[0].waiver?.reason).toBe('node agent needs raw devices');
    const locked = checkObjects([{ object: waived }], { rules: ['pod-privileged'], lockedRules: ['pod-privileged'] });
    expect(locked.findings).toHaveLength(1);
  });

  test('malformed waivers and objects are problems, not silent passes', () => {
    const bad = pod({}, { [WAIVERS_ANNOTATION]: '[{"ruleId":"nope","reason":"x"}]' });
    const result = checkObjects([{ object: bad }, { object: 42 as never }, { object: { kind: 'Pod' } }]);
    expect(result.problems.map((p) => p.message)).toEqual([
      'expected a Kubernetes object, got number',
      'Pod has no apiVersion (kubectl refuses it; judged anyway)',
      expect.stringContaining('unknown rule "nope"'),
    ]);
  });

  test('unknown rule ids in options are rejected', () => {
    expect(() => selectRules({ rules: ['no-such-rule'] })).toThrow(/unknown rule id "no-such-rule"/);
  });

  test('a repeated selection is the same as a fresh one and cannot be changed by its caller', () => {
    const ids = ALL_RULES.filter((r) => r.scope !== 'set').map((r) => r.id);
    const overridden = new Set(ALL_RULES.flatMap((r) => r.overrides ?? []));
    const fresh = ALL_RULES.filter((r) => r.scope !== 'set' && !overridden.has(r.id));
    const first = selectRules({ rules: ids });
    expect(first.map((r) => r.id)).toEqual(fresh.map((r) => r.id));
    first.length = 0;
    expect(selectRules({ rules: ids }).map((r) => r.id)).toEqual(fresh.map((r) => r.id));
    // The same include list with a skip, a different level, or an id list changed in place are new selections.
    expect(selectRules({ rules: ids, skip: ['pod-privileged'] }).map((r) => r.id)).not.toContain('pod-privileged');
    expect(selectRules({ rules: ids, level: 'baseline' }).every((r) => r.level === 'baseline' || r.references.pss === undefined)).toBe(true);
    expect(selectRules({ rules: ids, level: 'baseline' }).map((r) => r.id)).not.toEqual(selectRules({ rules: ids }).map((r) => r.id));
    const list = ['pod-privileged'];
    expect(selectRules({ rules: list }).map((r) => r.id)).toEqual(['pod-privileged']);
    list.push('no-such-rule');
    expect(() => selectRules({ rules: list })).toThrow(/unknown rule id "no-such-rule"/);
  });
});
