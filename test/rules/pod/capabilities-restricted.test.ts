import { pod, violations } from './support';
import { checkObjects } from '../../../src/engine/engine';
import { POD_RULES } from '../../../src/rules/pod';

const ID = 'pod-capabilities-restricted';
const caps = (capabilities: unknown, type = 'containers') => pod({ [type]: [{ name: 'c', securityContext: { capabilities } }] });

describe(ID, () => {
  test('passes drop ALL with at most NET_BIND_SERVICE added', () => {
    expect(violations(ID, caps({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] }))).toEqual([]);
  });

  test('requires drop ALL on every container, init and ephemeral included', () => {
    const spec = {
      containers: [{ name: 'app' }],
      initContainers: [{ name: 'init', securityContext: { capabilities: { drop: ['NET_RAW'] } } }],
      ephemeralContainers: [{ name: 'dbg', securityContext: { capabilities: { drop: ['ALL'] } } }],
    };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].securityContext.capabilities.drop', message: 'container "app" does not drop ALL capabilities' },
      { path: 'spec.initContainers[0].securityContext.capabilities.drop', message: 'init container "init" does not drop ALL capabilities' },
    ]);
  });

  test('reports added capabilities other than NET_BIND_SERVICE, even default ones', () => {
    expect(violations(ID, caps({ drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] }))).toEqual([
      { path: 'spec.containers[0].securityContext.capabilities.add[1]', message: 'container "c" adds capability "CHOWN" (only NET_BIND_SERVICE may be added)' },
    ]);
  });

  test('Windows pods are exempt', () => {
    expect(violations(ID, pod({ os: { name: 'windows' }, containers: [{ name: 'c' }] }))).toEqual([]);
  });

  test('malformed drop is reported as such', () => {
    expect(violations(ID, caps({ drop: 'ALL' }))[0].message).toBe('container "c" sets securityContext.capabilities.drop to "ALL", which is not a list');
    expect(violations(ID, caps({ drop: ['ALL'], add: 'NET_ADMIN' }))).toEqual([
      { path: 'spec.containers[0].securityContext.capabilities.add', message: 'container "c" sets securityContext.capabilities.add to "NET_ADMIN", which is not a list' },
    ]);
  });

  test('at restricted it replaces pod-capabilities-baseline, so SYS_ADMIN is reported once', () => {
    const result = checkObjects([{ object: caps({ drop: ['ALL'], add: ['SYS_ADMIN'] }) }], { catalog: POD_RULES, rules: ['pod-capabilities-baseline', ID] });
    expect(result.rulesRun).toEqual([ID]);
    expect(result.findings.map((f) => f.ruleId)).toEqual([ID]);
  });
});
