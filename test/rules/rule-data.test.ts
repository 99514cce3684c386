import { HOST_ACCESS_RULES } from '../../src/core/waiver-policy';
import { ALL_RULES } from '../../src/rules';
import { waivableOnKind } from '../../src/rules/rule';

// Rule semantics the constructs read from the catalog instead of testing ids.
describe('rule data: waivableOn and appliesToBatch', () => {
  test('host-access pod rules are waivable only on DaemonSets', () => {
    const daemonSetOnly = ALL_RULES.filter((r) => r.waivableOn !== undefined).map((r) => r.id).sort();
    expect(daemonSetOnly).toEqual(['pod-host-namespaces', 'pod-host-path-volumes', 'pod-host-ports', 'pod-host-probes-lifecycle', 'pod-privileged']);
    for (const rule of ALL_RULES.filter((r) => r.waivableOn !== undefined)) {
      expect(rule.waivableOn).toEqual(['DaemonSet']);
      expect(waivableOnKind(rule, 'DaemonSet')).toBe(true);
      expect(waivableOnKind(rule, 'Deployment')).toBe(false);
      // The waiver policy (and the admission exemption CEL) treat them as host access too: never waivable everywhere.
      expect(HOST_ACCESS_RULES).toContain(rule.id);
    }
    expect(waivableOnKind(ALL_RULES.find((r) => r.id === 'pod-read-only-root-filesystem')!, 'Deployment')).toBe(true);
  });

  test('only the probe rules do not apply to batch pods', () => {
    expect(ALL_RULES.filter((r) => r.appliesToBatch === false).map((r) => r.id).sort()).toEqual(['pod-liveness-probe', 'pod-readiness-probe']);
    expect(ALL_RULES.filter((r) => r.appliesToBatch === true)).toEqual([]);
  });
});
