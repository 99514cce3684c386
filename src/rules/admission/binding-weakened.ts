import { celString } from '../../admission/cel';
import { asArray, asObject, asString } from '../../check/json';
import { Severity } from '../../check/types';
import { objectRule, Violation } from '../rule';
import { HARDENED_SUFFIX, isHardenedName } from './support';

const SUFFIX = celString(HARDENED_SUFFIX);

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
    'A ValidatingAdmissionPolicy enforces nothing without a binding, and the binding decides what a failed check does: Deny rejects the request, Warn and Audit let it through with a warning or an audit annotation. A ValidatingAdmissionPolicyBinding named like a generated one (`<rule-id>.hardened.cdk8s.io`) replaces it when applied, and any binding of a hardened policy with Warn or Audit only, or pointing the hardened binding name at another policy, turns a control of the catalog off while the objects still look protected.',
  remediation:
    'Bind the hardened policies as the library generates them (`cdk8s-hardened admission`, or the admission policies construct): validationActions [Deny] (optionally with Audit), policyName equal to the binding name. A staged roll-out that warns first records a waiver for admission-binding-weakened on the binding, with the reason and an end date.',
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
          `!(object.metadata.name.endsWith(${SUFFIX}) || (has(object.spec.policyName) && object.spec.policyName.endsWith(${SUFFIX}))) || (has(object.spec.validationActions) && 'Deny' in object.spec.validationActions)`,
        message: 'the binding of a hardened policy does not deny (validationActions without Deny)',
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
