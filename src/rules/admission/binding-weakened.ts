import { HARDENED_SUFFIX, isHardenedName } from './support';
import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { celString } from '../kit/cel';
import { objectRule, Violation } from '../rule';

const SUFFIX = celString(HARDENED_SUFFIX);
const NAME_LABEL = 'kubernetes.io/metadata.name';

/** CEL: the object is the binding of a hardened policy (by its own name or by the policy it binds). */
const HARDENED = `(object.metadata.name.endsWith(${SUFFIX}) || (has(object.spec.policyName) && object.spec.policyName.endsWith(${SUFFIX})))`;

/** CEL: the list or map field `f` of matchResources `m` is absent or empty. */
const emptyCel = (f: string) => `(!has(m.${f}) || size(m.${f}) == 0)`;

/** True when the list or map is absent or empty. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * What the generator's matchResources may hold: nothing, or a namespaceSelector that leaves out namespaces by name
 * (the excluded namespaces option). Anything else narrows what the policy judges below what the catalog generates.
 */
function matchResourcesViolations(matchResources: unknown): Violation[] {
  const m = asObject(matchResources);
  const violations: Violation[] = [];
  for (const field of ['resourceRules', 'excludeResourceRules', 'objectSelector']) {
    if (!isEmpty(m[field])) {
      violations.push({ path: `spec.matchResources.${field}`, message: `the binding of a hardened policy narrows what it judges with matchResources.${field}` });
    }
  }
  const ns = m.namespaceSelector;
  if (!isEmpty(ns)) {
    const selector = asObject(ns);
    const expressions = asArray(selector.matchExpressions);
    const byName = Object.keys(selector).length === 1 && expressions.length === 1
      && expressions.every((e) => asObject(e).key === NAME_LABEL && asObject(e).operator === 'NotIn');
    if (!byName) {
      violations.push({
        path: 'spec.matchResources.namespaceSelector',
        message: `the binding of a hardened policy selects namespaces by ${JSON.stringify(ns)}; the generated binding only leaves out namespaces by name (${NAME_LABEL} NotIn)`,
      });
    }
  }
  return violations;
}

/**
 * The library binds each of its policies with validationActions [Deny]. A binding of the same name (which replaces
 * the generated one on apply) or of the same policy that only warns or audits switches the control off.
 */
export default objectRule({
  id: 'admission-binding-weakened',
  title: 'Bindings of the hardened admission policies must deny',
  area: 'admission',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['ValidatingAdmissionPolicyBinding'],
  rationale:
    'A ValidatingAdmissionPolicy enforces nothing without a binding, and the binding decides what a failed check does: Deny rejects the request, Warn and Audit let it through with a warning or an audit annotation. A ValidatingAdmissionPolicyBinding named like a generated one (`<rule-id>.hardened.cdk8s.io`) replaces it when applied, and any binding of a hardened policy with Warn or Audit only, with matchResources that exclude resources or select objects or namespaces by labels anyone may set, or pointing the hardened binding name at another policy, turns a control of the catalog off while the objects still look protected.',
  remediation:
    'Bind the hardened policies as the library generates them (`cdk8s-hardened admission`, or the admission policies construct): validationActions [Deny] (optionally with Audit), policyName equal to the binding name, matchResources at most leaving out namespaces by name (the excluded namespaces option). A staged roll-out that warns first records a waiver for admission-binding-weakened on the binding, with the reason and an end date.',
  references: {
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/#validation-actions'],
  },
  admission: {
    validations: [
      {
        expression: `!object.metadata.name.endsWith(${SUFFIX}) || (has(object.spec.policyName) && object.spec.policyName == object.metadata.name)`,
        message: 'the binding carries the name of a hardened policy binding but binds another policy',
      },
      {
        expression:
          `!${HARDENED} || (has(object.spec.validationActions) && 'Deny' in object.spec.validationActions)`,
        message: 'the binding of a hardened policy does not deny (validationActions without Deny)',
      },
      {
        expression:
          `!${HARDENED} || !has(object.spec.matchResources) || [object.spec.matchResources].all(m, ${emptyCel('resourceRules')} && ${emptyCel('excludeResourceRules')} && ${emptyCel('objectSelector')} && `
          + `(${emptyCel('namespaceSelector')} || (size(m.namespaceSelector) == 1 && has(m.namespaceSelector.matchExpressions) && size(m.namespaceSelector.matchExpressions) == 1 && `
          + `m.namespaceSelector.matchExpressions.all(e, has(e.key) && e.key == '${NAME_LABEL}' && has(e.operator) && e.operator == 'NotIn'))))`,
        message: 'the binding of a hardened policy narrows what it judges (matchResources beyond leaving out namespaces by name)',
      },
    ],
  },
  check(binding) {
    const spec = asObject(binding.object.spec);
    const policyName = asString(spec.policyName);
    const violations: Violation[] = [];
    if (isHardenedName(binding.name) && policyName !== binding.name) {
      violations.push({
        path: 'spec.policyName',
        message: `binding ${binding.name} replaces the hardened binding of that name but binds ${policyName === undefined ? 'no policy' : `policy ${JSON.stringify(policyName)}`}, so the hardened policy is no longer bound`,
      });
    }
    if (!isHardenedName(binding.name) && !isHardenedName(policyName)) return violations;
    violations.push(...matchResourcesViolations(spec.matchResources));
    const actions = asArray(spec.validationActions);
    if (!actions.includes('Deny')) {
      const hardened = isHardenedName(policyName) ? policyName : binding.name;
      violations.push({
        path: 'spec.validationActions',
        message: `binding of hardened policy ${hardened} has validationActions ${JSON.stringify(spec.validationActions ?? [])}: failed checks are ${actions.includes('Warn') ? 'only warned about' : actions.includes('Audit') ? 'only audited' : 'not acted on'}, not denied`,
      });
    }
    return violations;
  },
});
