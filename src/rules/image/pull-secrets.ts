import { containerImages } from '../../analysis/images/container-images';
import { normaliseRegistryName } from '../../analysis/images/image-policy';
import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { podRule } from '../rule';

/** Pods pulling from a registry that needs credentials must say which pull secret they use. */
export default podRule({
  id: 'image-pull-secrets',
  title: 'Pods must reference the pull secret their registry requires',
  area: 'image',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'When an organisation requires named pull secrets for a registry (`imagePolicy.requiredPullSecrets`), a pod that pulls from it without one either fails to start or silently relies on credentials baked into the node, which any pod on that node can then use. The secret may be listed in the pod\'s `imagePullSecrets` or in those of its ServiceAccount (when that ServiceAccount is part of the checked set). Without requiredPullSecrets this rule reports nothing.',
  remediation:
    'Add `imagePullSecrets: [{ name: <secret> }]` to the pod spec (or to its ServiceAccount), naming one of the secrets the image policy lists for the registry.',
  references: {
    links: ['https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod'],
  },
  notAtAdmission: 'the pull secret may be listed on the pod\'s ServiceAccount, another object that admission does not see',
  check(pod, context) {
    const requirements = context.settings.imagePolicy?.requiredPullSecrets ?? [];
    if (requirements.length === 0) return [];
    const referenced = new Set(pullSecretNames(pod.spec.imagePullSecrets));
    const serviceAccountName = asString(pod.spec.serviceAccountName) ?? asString(pod.spec.serviceAccount) ?? 'default';
    const serviceAccount = context.index.find('ServiceAccount', pod.owner.namespace, serviceAccountName);
    if (serviceAccount) pullSecretNames(serviceAccount.object.imagePullSecrets).forEach((n) => referenced.add(n));
    return containerImages(pod).flatMap((image) => {
      const reference = image.reference;
      if (!reference) return [];
      const requirement = requirements.find((r) => normaliseRegistryName(r.registry) === reference.registry);
      if (!requirement || requirement.secretNames.some((n) => referenced.has(n))) return [];
      return [
        {
          path: `${pod.specPath}.imagePullSecrets`,
          message: `${image.owner} pulls from ${reference.registry}, which requires one of the pull secrets ${requirement.secretNames.join(', ')}; the pod and its ServiceAccount "${serviceAccountName}" reference none`,
          remediation: `Add imagePullSecrets: [{ name: ${requirement.secretNames[0]} }] to the pod spec or to ServiceAccount "${serviceAccountName}".`,
        },
      ];
    });
  },
});

function pullSecretNames(value: unknown): string[] {
  return asArray(value).flatMap((entry) => {
    const name = asString(asObject(entry).name);
    return name ? [name] : [];
  });
}
