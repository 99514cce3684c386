import { containerImages } from '../../analysis/images/container-images';
import { coveringGlob, isClusterImagePolicy, isImageValidatingPolicy, trustGlobsOf } from '../../analysis/images/trust-globs';
import { Severity } from '../../core/types';
import { RUNNING_KINDS } from '../../core/workload-kinds';
import { runningPods } from '../network/policy-facts';
import { setRule } from '../rule';

/**
 * Once a set declares signature verification, an image outside every glob is admitted unverified: policy-controller
 * and Kyverno skip images their policies do not match, so the gap is silent at admission.
 */
export default setRule({
  id: 'image-signature-covered',
  title: 'Every image must be covered by a signature-verification policy when the set declares one',
  area: 'image',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: [...RUNNING_KINDS, 'ClusterImagePolicy', 'ImageValidatingPolicy'],
  rationale:
    'A signature policy (sigstore ClusterImagePolicy, Kyverno ImageValidatingPolicy) verifies only the images its globs match; any other image is admitted without a signature check (Kyverno skips it; policy-controller falls back to its no-match policy, which operators often set to allow). An image outside every glob is exactly the one an attacker would push to. Globs are matched as each verifier matches them: sigstore against the normalised name (`index.docker.io/library/nginx:latest`, `*` within a path segment), Kyverno against the image as written (`*` across segments). Kyverno CEL `expression` matchers cannot be judged offline and cover nothing here. The rule runs only when the set holds such a policy.',
  remediation:
    'Add a glob that matches the image to the ImageTrust (`images: [...]`) or the policy\'s `spec.images` / `spec.matchImageReferences`, with an authority that signs it, or move the image to a registry the policy covers. For Kyverno, write images fully qualified (`docker.io/library/nginx@sha256:...`).',
  references: {
    nsa: 'Supply chain: use trusted, signed images; verify them at admission',
    kyverno: 'verify-image',
    links: ['https://docs.sigstore.dev/policy-controller/overview/', 'https://kyverno.io/docs/policy-types/image-validating-policy/'],
  },
  notAtAdmission: 'Which images a signature policy covers depends on the policies in the cluster; one admitted pod cannot tell. ImageTrust checks its app at synth.',
  check(context) {
    const trustPolicies = context.index.objects.filter((v) => isClusterImagePolicy(v.object) || isImageValidatingPolicy(v.object));
    if (trustPolicies.length === 0) return [];
    // A policy whose matchers are all CEL expressions contributes no glob: its images are reported, never assumed.
    const globs = trustGlobsOf(trustPolicies.map((v) => v.object));
    const policies = trustPolicies.map((v) => `${v.kind}/${v.name}`).join(', ');
    return runningPods(context.index).flatMap((pod) =>
      containerImages(pod).flatMap((image) => {
        // An image that does not parse is reported by image-digest; verifiers refuse it too.
        if (image.text === undefined || image.reference === undefined) return [];
        if (coveringGlob(image.text, globs)) return [];
        return [
          {
            object: pod.owner.object,
            path: image.path,
            message: `image "${image.text}" of ${image.owner} matches no image glob of the signature policies (${policies}), so it is admitted without signature verification`,
          },
        ];
      }),
    );
  },
});
