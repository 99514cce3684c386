/**
 * The policy's exemptions and team grants mean the same at admission as in the CLI: for random exemption
 * selectors (globs over kind, namespace and name) and random objects, the CEL verdict of a rule's policy with the
 * exemptions in its params equals `applyExemptions` over the engine's findings. Locked rules exempt nothing in both.
 */
import * as fc from 'fast-check';
import { evaluatePolicy } from './cel-harness';
import { exemptionParamsData, paramsConfigMap, PARAMS_NAME } from '../../src/admission/params';
import { buildPolicy } from '../../src/admission/policies';
import type { K8sObject } from '../../src/core/types';
import { parseConfig, policyExemptions } from '../../src/engine/config';
import { checkObjects } from '../../src/engine/engine';
import { applyExemptions, Exemption } from '../../src/engine/exemptions';
import { findRule } from '../../src/rules';

const RULE = 'pod-privileged';
const privileged = (kind: 'Pod' | 'Deployment' | 'DaemonSet', namespace: string, name: string): K8sObject => {
  const spec = { containers: [{ name: 'a', image: 'a', securityContext: { privileged: true } }] };
  return kind === 'Pod'
    ? { apiVersion: 'v1', kind, metadata: { name, namespace }, spec }
    : { apiVersion: 'apps/v1', kind, metadata: { name, namespace }, spec: { selector: { matchLabels: { a: 'a' } }, template: { metadata: { labels: { a: 'a' } }, spec } } };
};

const glob = fc.option(fc.constantFrom('*', 'shop', 'sh*', '*-b', 'team-b', 'web', 'we*', 'web.v2', 'web-*', 'Pod', 'Deploy*', 'DaemonSet', '*a*'), { nil: undefined, freq: 2 });
const exemption: fc.Arbitrary<Exemption> = fc.record({ kind: glob, namespace: glob, name: glob })
  .filter((e) => e.kind !== undefined || e.namespace !== undefined || e.name !== undefined)
  .map((e) => ({ ruleId: RULE, reason: 'reviewed by the platform team', ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) }));
const object = fc.tuple(fc.constantFrom('Pod', 'Deployment', 'DaemonSet') as fc.Arbitrary<'Pod' | 'Deployment' | 'DaemonSet'>, fc.constantFrom('shop', 'team-b', 'other'), fc.constantFrom('web', 'web-1', 'webxv2', 'web.v2', 'agent'));

describe('policy exemptions at admission agree with the CLI', () => {
  const policies = { open: buildPolicy(findRule(RULE)!), locked: buildPolicy(findRule(RULE)!, true) };

  test('fast-check: random selectors x random objects, locked and not', () => {
    let exempt = 0;
    fc.assert(
      fc.property(fc.array(exemption, { maxLength: 4 }), object, fc.boolean(), (exemptions, [kind, namespace, name], locked) => {
        const o = privileged(kind, namespace, name);
        const lockedRules = locked ? [RULE] : [];
        const cli = applyExemptions(checkObjects([{ object: o }], { rules: [RULE] }), exemptions, lockedRules).result.findings.length > 0;
        const params = paramsConfigMap({ name: PARAMS_NAME, namespace: 'kube-system' }, exemptionParamsData(exemptions, lockedRules));
        const cel = evaluatePolicy(locked ? policies.locked : policies.open, o, { params }).failures.length > 0;
        expect({ exemptions, o: `${kind} ${namespace}/${name}`, locked, denied: cel }).toEqual({ exemptions, o: `${kind} ${namespace}/${name}`, locked, denied: cli });
        if (!cli) exempt++;
      }),
      { numRuns: 300, seed: 16 },
    );
    // The generator must reach both verdicts, or the agreement says nothing.
    expect(exempt).toBeGreaterThan(20);
  });

  test('a grant reaches the params as an exemption of its namespace', () => {
    const policy = parseConfig({ grants: [{ name: 'team-b', namespace: 'team-b', disable: [RULE], reason: 'node agents until the split' }] });
    expect(exemptionParamsData(policyExemptions(policy))).toEqual({ 'exempt.pod-privileged': '^.*/team-b/.*$' });
  });
});
