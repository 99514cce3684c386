import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { findRule } from '../index';
import { buildPolicy } from '../kit/admission-policy';
import { notAtAdmissionReason, objectRule } from '../rule';
import { isHardenedName, ruleIdOf } from './support';

/** Stable JSON (keys sorted) for comparing a policy spec with the generated one. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Top-level spec fields that differ between two policy specs, sorted. */
function differingFields(actual: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  return [...keys].filter((k) => canonical(actual[k]) !== canonical(expected[k])).sort();
}

/**
 * A ValidatingAdmissionPolicy named like a generated one replaces it on apply: other CEL, other match constraints or
 * an extra match condition make the cluster enforce something else than the catalog, under the catalog's name.
 */
export default objectRule({
  id: 'admission-policy-altered',
  title: 'Hardened admission policies must be the ones the catalog generates',
  area: 'admission',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['ValidatingAdmissionPolicy'],
  rationale:
    'Each generated policy (`<rule-id>.hardened.cdk8s.io`) carries the CEL of one catalog rule, the kinds it judges, the exemption-label condition and failurePolicy Fail. A policy of the same name with an edited expression (`true`), narrower matchConstraints, an extra matchCondition or failurePolicy Ignore still shows up as the hardened control while enforcing less; applying it replaces the real one.',
  remediation:
    'Regenerate the policies with the library version in use (`cdk8s-hardened admission`, or the admission policies construct) and apply them unchanged. Tune enforcement through the generator\'s options (rules, skip, locked rules, actions, excluded namespaces), never by editing a generated policy; a deliberately different policy takes a name of its own.',
  references: {
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/'],
  },
  notAtAdmission: 'compares the policy with the ones this catalog generates, which a CEL expression cannot hold; judged by the checker and at synth',
  check(policy) {
    if (!isHardenedName(policy.name)) return [];
    const ruleId = ruleIdOf(policy.name);
    const rule = findRule(ruleId);
    if (!rule || notAtAdmissionReason(rule) !== undefined) {
      return [{
        path: 'metadata.name',
        message: `policy ${policy.name} carries a hardened name, but the catalog ${rule ? `does not enforce ${ruleId} at admission` : `has no rule ${ruleId}`}: it is not a policy this library generates`,
      }];
    }
    const actual = asObject(policy.object.spec);
    // The generator writes the exemption-label condition unless the rule is locked: both forms are its own.
    const candidates = [false, true].map((locked) => asObject(buildPolicy(rule, locked).spec));
    if (candidates.some((expected) => differingFields(actual, expected).length === 0)) return [];
    const fields = differingFields(actual, candidates[0]);
    return [{
      path: `spec.${fields[0]}`,
      message: `policy ${policy.name} differs from the policy the catalog generates for ${ruleId} in spec ${fields.join(', ')}`,
    }];
  },
});
