import { isClusterImagePolicy, isImageValidatingPolicy, KYVERNO_KIND, SIGSTORE_KIND, SIGSTORE_NAMESPACE_LABEL } from '../../analysis/images/trust-globs';
import { asObject } from '../../core/json';
import { selectorMatches } from '../../core/label-selector';
import { Severity } from '../../core/types';
import { anchorPath, deployedNamespaces } from '../network/policy-facts';
import { ObjectViolation, setRule } from '../rule';

/** The label the API server sets on every Namespace, which namespace selectors may use. */
const NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The verifiers act per namespace: policy-controller only in namespaces labelled `policy.sigstore.dev/include`,
 * a Kyverno policy only where its namespaceSelector matches. A namespace left out runs unverified images.
 */
export default setRule({
  id: 'ns-signature-verification',
  title: 'Namespaces must be opted into signature verification when the set declares it',
  area: 'namespace',
  severity: Severity.HIGH,
  level: 'restricted',
  judgesAbsence: true,
  namespaceLevel: true,
  kinds: ['Namespace', SIGSTORE_KIND, KYVERNO_KIND],
  rationale:
    'sigstore policy-controller verifies images only in namespaces labelled `policy.sigstore.dev/include: "true"`, and a Kyverno ImageValidatingPolicy only in namespaces its `spec.matchConstraints.namespaceSelector` selects. In any other namespace every image is admitted unverified, however complete the policies look. The rule runs only when the set holds a ClusterImagePolicy or an ImageValidatingPolicy, and judges every namespace the set declares or deploys to; a namespace the set does not declare cannot be shown to carry the label.',
  remediation:
    'Label the Namespace `policy.sigstore.dev/include: "true"` (sigstore) or with the labels the ImageValidatingPolicy selects (ImageTrust\'s Kyverno policies select `hardened.cdk8s.io/verify-images: "true"`). LockedNamespace sets them whenever the app has an ImageTrust; opting out (`verifyImages: false`) needs a waiver for ns-signature-verification.',
  references: {
    nsa: 'Supply chain: use trusted, signed images; verify them at admission',
    links: ['https://docs.sigstore.dev/policy-controller/overview/', 'https://kyverno.io/docs/policy-types/image-validating-policy/'],
  },
  notAtAdmission: 'Whether a namespace must opt in depends on the signature policies in the cluster, which a Namespace admission request does not show.',
  check(context) {
    if (context.settings.completeSet === false) return [];
    const objects = context.index.objects;
    const sigstore = objects.some((v) => isClusterImagePolicy(v.object));
    const kyverno = objects.filter((v) => isImageValidatingPolicy(v.object));
    if (!sigstore && kyverno.length === 0) return [];
    const violations: ObjectViolation[] = [];
    for (const ns of deployedNamespaces(context.index)) {
      if (!ns.declared) {
        violations.push({
          object: ns.anchor.object,
          path: anchorPath(false),
          message: `namespace "${ns.name}" is not declared in the scanned input, so its opt-in to signature verification cannot be checked`,
          remediation: 'Declare the Namespace in the set with the verifier\'s label (a LockedNamespace does it).',
        });
        continue;
      }
      const labels: Record<string, string> = { ...ns.anchor.labels, [NAME_LABEL]: ns.name };
      if (sigstore && labels[SIGSTORE_NAMESPACE_LABEL] !== 'true') {
        violations.push({
          object: ns.anchor.object,
          path: `metadata.labels["${SIGSTORE_NAMESPACE_LABEL}"]`,
          message: `namespace "${ns.name}" is not labelled ${SIGSTORE_NAMESPACE_LABEL}: "true", so policy-controller does not verify its images`,
        });
      }
      for (const policy of kyverno) {
        const selector = asObject(asObject(policy.object.spec).matchConstraints).namespaceSelector;
        // Absent selects every namespace; a malformed selector matches nothing, so it never counts as opted in.
        if (selectorMatches('admissionNamespaceSelector', selector, labels)) continue;
        violations.push({
          object: ns.anchor.object,
          path: 'metadata.labels',
          message: `namespace "${ns.name}" is not selected by the namespaceSelector of ImageValidatingPolicy/${policy.name} (${JSON.stringify(selector)}), so Kyverno does not verify its images`,
        });
      }
    }
    return violations;
  },
});
