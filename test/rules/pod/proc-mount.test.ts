import { pod, violations } from './support';
import { checkObjects } from '../../../src/engine/engine';
import { POD_RULES } from '../../../src/rules/pod';

const withProcMount = (procMount: unknown, hostUsers?: boolean) =>
  pod({ hostUsers, containers: [{ name: 'app', securityContext: { procMount } }], initContainers: [{ name: 'init' }] });

describe('pod-proc-mount (baseline)', () => {
  const ID = 'pod-proc-mount';
  test('passes Default and unset', () => {
    expect(violations(ID, withProcMount('Default'))).toEqual([]);
    expect(violations(ID, withProcMount(undefined))).toEqual([]);
  });
  test('reports Unmasked', () => {
    expect(violations(ID, withProcMount('Unmasked'))).toEqual([
      { path: 'spec.containers[0].securityContext.procMount', message: 'container "app" sets securityContext.procMount to "Unmasked" (only "Default" is allowed)' },
    ]);
  });
  test('allows Unmasked in a user namespace (hostUsers: false) but not with hostUsers: true', () => {
    expect(violations(ID, withProcMount('Unmasked', false))).toEqual([]);
    expect(violations(ID, withProcMount('Unmasked', true))).toHaveLength(1);
  });
});

describe('pod-proc-mount-restricted', () => {
  const ID = 'pod-proc-mount-restricted';
  test('reports Unmasked even in a user namespace', () => {
    expect(violations(ID, withProcMount('Unmasked', false))).toEqual([
      { path: 'spec.containers[0].securityContext.procMount', message: 'container "app" sets securityContext.procMount to "Unmasked" (only "Default" is allowed)' },
    ]);
  });
  test('a malformed value is not Default', () => {
    expect(violations(ID, withProcMount(5))).toHaveLength(1);
  });
  test('replaces the baseline rule at restricted and not at baseline', () => {
    const object = withProcMount('Unmasked');
    expect(checkObjects([{ object }], { catalog: POD_RULES, level: 'restricted' }).findings.filter((f) => f.ruleId.startsWith('pod-proc-mount')).map((f) => f.ruleId)).toEqual([ID]);
    expect(checkObjects([{ object }], { catalog: POD_RULES, level: 'baseline' }).findings.filter((f) => f.ruleId.startsWith('pod-proc-mount')).map((f) => f.ruleId)).toEqual(['pod-proc-mount']);
  });
});
