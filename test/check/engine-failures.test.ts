import { K8sObject, Severity } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { objectRule, podRule, setRule } from '../../src/rules/rule';

// A rule that throws is reported as an input problem naming the rule and the object; the other objects and
// rules are still judged, and nothing passes silently.
const meta = { title: 't', area: 'pod' as const, severity: Severity.HIGH, level: 'restricted' as const, rationale: 'r', remediation: 'fix', references: {}, notAtAdmission: 'test rule' };
const boom = (subject: string) => {
  if (subject === 'bad') throw new Error('boom');
};
const catalog = [
  podRule({ ...meta, id: 'test-pod', check: (pod) => (boom(pod.owner.name), [{ path: 'spec', message: `pod ${pod.owner.name}` }]) }),
  objectRule({ ...meta, id: 'test-object', kinds: ['Service'], check: (view) => (boom(view.name), [{ path: 'spec', message: `service ${view.name}` }]) }),
  setRule({ ...meta, id: 'test-set', kinds: ['Service'], check: () => { throw new Error('set boom'); } }),
];
const deployment = (name: string): K8sObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'ns' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } });
const service = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' } });

test('a rule that throws on one object is a problem for that object and the run goes on', () => {
  const inputs = [deployment('bad'), deployment('good'), service('bad'), service('good')].map((object, i) => ({ object, source: { file: 'f.yaml', line: i + 1 } }));
  const result = checkObjects(inputs, { catalog });
  expect(result.findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual(['test-pod pod good', 'test-object service good']);
  expect(result.problems).toEqual([
    { message: 'rule test-pod could not evaluate Deployment/bad: boom', file: 'f.yaml', line: 1, kind: 'Deployment', name: 'bad' },
    { message: 'rule test-object could not evaluate Service/bad: boom', file: 'f.yaml', line: 3, kind: 'Service', name: 'bad' },
    { message: 'rule test-set could not evaluate the object set: set boom', file: undefined, line: undefined, kind: undefined, name: undefined },
  ]);
});
