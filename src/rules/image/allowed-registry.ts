import { containerImages, qualified } from '../../analysis/images/container-images';
import { isTrustedSource, restrictsSources } from '../../analysis/images/image-policy';
import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { ALLOWED_REGISTRIES_KEY, ALLOWED_REPOSITORIES_KEY, imageVariables, paramListValue } from '../kit/image-cel';
import { podRule } from '../rule';

/** CEL over container `c`: sources are unrestricted, the image is invalid (image-digest reports it), or it is trusted. */
function admissionTrusted(): string {
  const registry = 'c.registry';
  const registries = `${paramListValue(ALLOWED_REGISTRIES_KEY)}.exists(a, a.startsWith('*.') ? (${registry}.endsWith(a.substring(1)) && size(${registry}) > size(a) - 1) : ${registry} == a)`;
  const repositoryKey = `'${ALLOWED_REPOSITORIES_KEY}'`;
  const repositories = `(${repositoryKey} in variables.paramsData && c.fullName.matches(variables.paramsData[${repositoryKey}]))`;
  const restricted = `('${ALLOWED_REGISTRIES_KEY}' in variables.paramsData || ${repositoryKey} in variables.paramsData)`;
  return `!${restricted} || !c.valid || ${registries} || ${repositories}`;
}

/** Only the organisation's trusted registries (and repositories) may supply images. */
export default podRule({
  id: 'image-allowed-registry',
  title: 'Images must come from an allowed registry or repository',
  area: 'image',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'Images from an untrusted registry bypass the organisation\'s scanning, signing and provenance controls, and typosquatted public images are a known attack path. The image policy lists the registries and repository patterns that are trusted. Without `allowedRegistries` or `allowedRepositories` in the policy, every registry is allowed and this rule reports nothing.',
  remediation:
    'Mirror the image into an allowed registry (e.g. `crane copy <source> <registry>/<path>`) and reference the copy by digest, or add the registry/repository to the image policy (`imagePolicy.allowedRegistries` / `allowedRepositories`).',
  references: {
    cis: '5.5.1',
    nsa: 'Supply chain: pull only from trusted registries (ImagePolicyWebhook or a policy engine)',
    kyverno: 'restrict-image-registries',
  },
  admission: {
    variables: imageVariables(),
    validations: [everyContainer({
      containers: 'variables.images',
      ok: admissionTrusted(),
      problem: 'pulls from a registry or repository that the image policy (params) does not allow',
    })],
  },
  check(pod, context) {
    const policy = context.settings.imagePolicy ?? {};
    if (!restrictsSources(policy)) return [];
    return containerImages(pod).flatMap((image) => {
      const reference = image.reference;
      if (!reference || isTrustedSource(reference, policy)) return [];
      const allowed = [...(policy.allowedRegistries ?? []), ...(policy.allowedRepositories ?? [])].join(', ');
      return [
        {
          path: image.path,
          message: `image "${image.text}" of ${image.owner} comes from ${reference.registry}, which the image policy does not allow (${qualified(reference)} matches none of: ${allowed})`,
        },
      ];
    });
  },
});
