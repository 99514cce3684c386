/** Admission specs built on first use must be the specs the rules always had, and built once. */
import { dangerousBuiltinLabelSets } from '../../src/analysis/rbac/dangerous';
import { Severity } from '../../src/core/types';
import { findRule } from '../../src/rules';
import { aggregationAdmission } from '../../src/rules/rbac/aggregation-rule';
import { dangerousBuiltinRoleAdmission } from '../../src/rules/rbac/binding-rule';
import { PERMISSIONS } from '../../src/rules/rbac/permissions';
import { lazyAdmission, objectRule } from '../../src/rules/rule';

describe('lazy admission specs', () => {
  test.each([
    ['rbac-aggregate-builtin', () => aggregationAdmission(dangerousBuiltinLabelSets(PERMISSIONS), 'an aggregationRule selector copies built-in ClusterRoles whose permissions are dangerous')],
    ['rbac-builtin-role-binding', dangerousBuiltinRoleAdmission],
  ])('%s: the spec equals the one built directly, and spreads and JSON carry it', (id, build) => {
    const rule = findRule(id)!;
    expect(rule.admission).toEqual(build());
    expect(rule.admission).toBe(rule.admission);
    expect({ ...rule }.admission).toEqual(build());
    expect(JSON.parse(JSON.stringify(rule)).admission).toEqual(JSON.parse(JSON.stringify(build())));
  });

  test('the builder runs once, on first read', () => {
    let builds = 0;
    const rule = lazyAdmission(objectRule({
      id: 'test-lazy',
      title: 't',
      area: 'rbac',
      severity: Severity.LOW,
      level: 'restricted',
      kinds: ['Role'],
      rationale: 'r',
      remediation: 'r',
      references: {},
      check: () => [],
    }), () => {
      builds++;
      return { validations: [{ expression: 'true', message: 'm' }] };
    });
    expect(builds).toBe(0);
    expect(rule.admission?.validations[0].expression).toBe('true');
    expect(rule.admission).toBe(rule.admission);
    expect(builds).toBe(1);
  });
});
