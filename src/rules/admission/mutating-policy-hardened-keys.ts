import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule, Violation } from '../rule';
import { HARDENED_FAMILY } from './support';

/**
 * The expression text with string quoting, concatenation, whitespace and JSON-pointer escapes removed, so that a key
 * split across literals (`"waive.hardened." + "cdk8s.io/..."`) or escaped in a patch path (`~1`) is still seen.
 */
function normalised(expression: string): string {
  return expression.replace(/~1/g, '/').replace(/["'`+\s\\]/g, '');
}

/**
 * A MutatingAdmissionPolicy runs inside the API server on every matched request. One that writes waiver annotations,
 * exemption labels or the api-access mark of the library exempts every pod it matches from the catalog's controls.
 */
export default objectRule({
  id: 'admission-mutating-policy-hardened-keys',
  title: 'MutatingAdmissionPolicies must not write hardened.cdk8s.io labels or annotations',
  area: 'admission',
  severity: Severity.CRITICAL,
  level: 'restricted',
  kinds: ['MutatingAdmissionPolicy'],
  rationale:
    'The checker and the admission policies trust the hardened.cdk8s.io family: the waivers annotation, the waive.hardened.cdk8s.io/<rule> exemption labels and the api-access annotation. Mutation runs before validation, so a MutatingAdmissionPolicy (admissionregistration.k8s.io v1alpha1/v1beta1) whose applyConfiguration or jsonPatch writes those keys exempts every object it matches from the validating policies, and the objects in Git never show it.',
  remediation:
    'Remove the mutation of hardened.cdk8s.io keys. Waivers are written by their owner on the object itself (construct `waivers` props or the annotation), where review sees them, never added by a cluster-wide mutation.',
  references: {
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/mutating-admission-policy/'],
  },
  notAtAdmission: 'MutatingAdmissionPolicy is still a beta API whose version varies by cluster; judged by the checker and at synth',
  check(policy) {
    const spec = asObject(policy.object.spec);
    const violations: Violation[] = [];
    const judge = (expression: unknown, path: string, what: string) => {
      const text = asString(expression);
      if (text === undefined || !normalised(text).includes(HARDENED_FAMILY)) return;
      violations.push({ path, message: `${what} of MutatingAdmissionPolicy ${policy.name} writes or builds a ${HARDENED_FAMILY} key (waivers, exemption labels or api access)` });
    };
    asArray(spec.variables).forEach((v, i) => judge(asObject(v).expression, `spec.variables[${i}].expression`, `variable ${i}`));
    asArray(spec.mutations).forEach((raw, i) => {
      const mutation = asObject(raw);
      judge(asObject(mutation.applyConfiguration).expression, `spec.mutations[${i}].applyConfiguration.expression`, `mutation ${i}`);
      judge(asObject(mutation.jsonPatch).expression, `spec.mutations[${i}].jsonPatch.expression`, `mutation ${i}`);
    });
    return violations;
  },
});
