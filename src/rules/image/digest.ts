import { containerImages, qualified } from '../../analysis/images/container-images';
import { requiresDigest } from '../../analysis/images/image-policy';
import { fullName } from '../../analysis/images/image-reference';
import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { imageVariables, paramValue, REQUIRE_DIGEST_KEY } from '../kit/image-cel';
import { podRule } from '../rule';

/**
 * A tag is a movable pointer: whoever can push to the repository decides what runs. A digest names
 * the exact content, so what was scanned and approved is what runs.
 */
export default podRule({
  id: 'image-digest',
  title: 'Images must be pinned by digest',
  area: 'image',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'A tag can be moved to different content at any time (by a compromised registry account, a rebuilt base image or a mistake), so the image that runs may not be the one that was scanned, signed or tested. A digest (name@sha256:...) names immutable content. Image volumes (`volumes[].image.reference`, Kubernetes 1.31+) are images too and are judged like containers by every image rule. Also reported here: a container or image volume without an image, or with one that is not a valid reference.',
  remediation:
    'Resolve the tag to its digest with `crane digest <image>` or `docker buildx imagetools inspect <image>` and write `<name>@sha256:<digest>` (optionally `<name>:<tag>@sha256:<digest>` to keep the tag readable). With an image policy of `requireDigest: false` tags are accepted; otherwise a tagged image needs a waiver for image-digest.',
  references: {
    cis: '5.5.1',
    nsa: 'Supply chain: use trusted, pinned images; scan and verify them',
    kyverno: 'require-image-digest',
    links: ['https://kubernetes.io/docs/concepts/containers/images/#image-names', 'https://github.com/distribution/reference'],
  },
  admission: {
    variables: imageVariables(),
    validations: [everyContainer({
      containers: 'variables.images',
      // Invalid or missing images fail here, as in the check; tags pass only when the params say requireDigest: false.
      ok: `c.valid && (c.hasDigest || ${paramValue(REQUIRE_DIGEST_KEY)} == 'false')`,
      problem: 'has an image that is not a valid reference pinned by digest',
    })],
  },
  check(pod, context) {
    const policy = context.settings.imagePolicy ?? {};
    return containerImages(pod).flatMap((image) => {
      if (image.error !== undefined) {
        return [{ path: image.path, message: image.error, remediation: 'Set a valid image reference: [registry[:port]/]path[:tag][@sha256:<64 hex digits>].' }];
      }
      const reference = image.reference!;
      if (reference.digest !== undefined || !requiresDigest(policy)) return [];
      const target = qualified(reference);
      return [
        {
          path: image.path,
          message: `image "${image.text}" of ${image.owner} is referenced by tag, not pinned by digest`,
          remediation: `Run \`crane digest ${target}\` (or \`docker buildx imagetools inspect ${target}\` and take the "Digest:" line), then set image: ${fullName(reference)}@sha256:<digest>. Tags cannot be resolved offline, so the library never does it for you; a waiver for image-digest accepts the tag.`,
        },
      ];
    });
  },
});
