import { containerImages } from '../../analysis/images/container-images';
import { fullName } from '../../analysis/images/image-reference';
import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { imageVariables } from '../kit/image-cel';
import { podRule } from '../rule';

/** `latest` (written or implied) says nothing about what runs, and changes under the workload's feet. */
export default podRule({
  id: 'image-latest-tag',
  title: 'Images must not use the latest tag or omit the tag',
  area: 'image',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'An image without tag or digest pulls `latest`, which points at whatever was pushed last: nodes run different code, rollbacks are impossible and Kubernetes pulls it on every start. Even next to a digest, a `latest` tag misleads readers about what runs. The image policy never accepts `latest`.',
  remediation:
    'Reference a versioned image pinned by digest: `<name>@sha256:<digest>` or `<name>:<version>@sha256:<digest>`, found with `crane digest <name>:<version>`.',
  references: {
    kubeLinter: 'latest-tag',
    polaris: 'tagNotSpecified',
    kubeScore: 'container-image-tag',
    kyverno: 'disallow-latest-tag',
  },
  admission: {
    variables: imageVariables(),
    validations: [everyContainer({
      containers: 'variables.images',
      ok: "!c.valid || (c.hasTag ? c.tag != 'latest' : c.hasDigest)",
      problem: 'uses the tag "latest" (written, or implied by an image with neither tag nor digest)',
    })],
  },
  check(pod) {
    return containerImages(pod).flatMap((image) => {
      const reference = image.reference;
      if (!reference) return [];
      if (reference.tag === 'latest') {
        return [{ path: image.path, message: `image "${image.text}" of ${image.owner} uses the tag "latest"` }];
      }
      if (reference.tag === undefined && reference.digest === undefined) {
        return [
          {
            path: image.path,
            message: `image "${image.text}" of ${image.owner} has neither tag nor digest, so it pulls "latest"`,
            remediation: `Pick a version and pin it: run \`crane digest ${fullName(reference)}:<version>\` and set image: ${fullName(reference)}:<version>@sha256:<digest>.`,
          },
        ];
      }
      return [];
    });
  },
});
