import { isClusterImagePolicy, isImageValidatingPolicy, KYVERNO_KIND, SIGSTORE_KIND } from '../../analysis/images/trust-globs';
import { asArray, asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

/**
 * A signature policy in warn mode admits every unsigned image with a warning nobody reads in CI logs: it documents
 * verification without doing it. A staged roll-out is legitimate, and is recorded as a waiver with its reason.
 */
export default objectRule({
  id: 'image-signature-enforced',
  title: 'Signature-verification policies must reject unverified images',
  area: 'image',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: [SIGSTORE_KIND, KYVERNO_KIND],
  rationale:
    'A sigstore ClusterImagePolicy with `spec.mode: warn` and a Kyverno ImageValidatingPolicy whose `validationActions` lack `Deny` (only Warn or Audit) admit images whose signature is missing or made by an untrusted key, with a warning or an audit entry. The cluster then looks protected by signature verification while any image runs.',
  remediation:
    'Set `spec.mode: enforce` (or omit it) on the ClusterImagePolicy, or `validationActions: [Deny]` on the ImageValidatingPolicy; with ImageTrust keep `mode: ImageTrustMode.ENFORCE`. A staged roll-out that warns first records a waiver for image-signature-enforced with the reason and an end date.',
  references: {
    nsa: 'Supply chain: use trusted, signed images; verify them at admission',
    links: ['https://docs.sigstore.dev/policy-controller/overview/#configuring-policy-controller-clusterimagepolicy', 'https://kyverno.io/docs/policy-types/image-validating-policy/'],
  },
  admission: {
    validations: [
      {
        expression:
          "object.kind != 'ClusterImagePolicy' || !has(object.spec) || !has(object.spec.mode) || object.spec.mode == 'enforce'",
        message: 'the ClusterImagePolicy only warns about unverified images (spec.mode is not enforce)',
      },
      {
        expression:
          "object.kind != 'ImageValidatingPolicy' || (has(object.spec) && has(object.spec.validationActions) && 'Deny' in object.spec.validationActions)",
        message: 'the ImageValidatingPolicy does not deny unverified images (validationActions without Deny)',
      },
    ],
  },
  check(view) {
    const spec = asObject(view.object.spec);
    if (isClusterImagePolicy(view.object)) {
      if (spec.mode === undefined || spec.mode === 'enforce') return [];
      return [{ path: 'spec.mode', message: `ClusterImagePolicy mode is ${JSON.stringify(spec.mode)}: images that fail verification are admitted with a warning` }];
    }
    if (isImageValidatingPolicy(view.object)) {
      const actions = asArray(spec.validationActions);
      if (actions.includes('Deny')) return [];
      return [
        {
          path: 'spec.validationActions',
          message: `ImageValidatingPolicy validationActions are ${JSON.stringify(spec.validationActions ?? [])}, without Deny: images that fail verification are admitted`,
        },
      ];
    }
    return [];
  },
});
