import { containerImages } from '../../analysis/images/container-images';
import { defaultPullPolicy, PULL_POLICIES } from '../../analysis/images/image-policy';
import { asString } from '../../core/json';
import { Severity } from '../../core/types';
import { celList, everyContainer } from '../kit/cel';
import { ALLOWED_PULL_POLICIES_KEY, imageVariables, paramListValue } from '../kit/image-cel';
import { podRule } from '../rule';

/** CEL over container `c`, as the check: the effective pull policy is allowed by the params, or fits the reference. */
function admissionPullPolicyOk(): string {
  const latest = "((c.hasTag && c.tag == 'latest') || (!c.hasTag && !c.hasDigest))";
  const effective = `(c.hasPullPolicy ? c.pullPolicy : (${latest} ? 'Always' : 'IfNotPresent'))`;
  const allowed = paramListValue(ALLOWED_PULL_POLICIES_KEY);
  const fits = `(size(${allowed}) > 0 ? ${effective} in ${allowed} : (c.hasDigest ? ${effective} != 'Never' : ${effective} == 'Always'))`;
  return `!c.valid || ((!c.hasPullPolicy || c.pullPolicy in ${celList(PULL_POLICIES)}) && ${fits})`;
}

/**
 * The pull policy decides whether the kubelet asks the registry (and so checks the pod's credentials)
 * before it starts a container from an image cached on the node.
 */
export default podRule({
  id: 'image-pull-policy',
  title: 'Pull policy must fit how the image is referenced',
  area: 'image',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'With IfNotPresent a node runs whatever it cached under a tag: after the tag moves, nodes run different code, and a pod without credentials can start a private image another pod pulled. A digest names exact content, so IfNotPresent is then safe and Always only adds a registry round trip (and a credential check). Never trusts whatever was pre-loaded on the node. Defaults: digest-pinned images accept Always or IfNotPresent; tagged images need Always. `imagePolicy.allowedPullPolicies` replaces these defaults (e.g. [Always] on multi-tenant clusters without the AlwaysPullImages admission plugin). The effective policy is judged: Kubernetes sets Always for `latest` and IfNotPresent otherwise when the field is unset.',
  remediation:
    'Pin images by digest and set imagePullPolicy: IfNotPresent (or Always); for a tagged image set imagePullPolicy: Always.',
  references: {
    cis: '1.2.11',
    polaris: 'pullPolicyNotAlways',
    kubeScore: 'container-image-pull-policy',
    kyverno: 'imagepullpolicy-always',
    links: ['https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy'],
  },
  admission: {
    variables: imageVariables(),
    validations: [everyContainer({
      containers: 'variables.images',
      ok: admissionPullPolicyOk(),
      problem: 'has a pull policy that does not fit how its image is referenced, or that the image policy does not allow',
    })],
  },
  check(pod, context) {
    const allowedByPolicy = context.settings.imagePolicy?.allowedPullPolicies;
    return containerImages(pod).flatMap((image) => {
      const reference = image.reference;
      if (!reference) return [];
      const raw = image.pullPolicy;
      const path = image.pullPolicyPath;
      const field = image.pullPolicyField;
      const owner = image.owner;
      if (raw !== undefined && (typeof raw !== 'string' || !PULL_POLICIES.includes(raw))) {
        return [{ path, message: `${owner} has ${field} ${JSON.stringify(raw)}, which is not one of ${PULL_POLICIES.join(', ')}` }];
      }
      const explicit = asString(raw);
      const effective = explicit ?? defaultPullPolicy(reference);
      const how = explicit ? `${field} ${effective}` : `${field} unset (Kubernetes uses ${effective})`;
      if (allowedByPolicy) {
        if (allowedByPolicy.includes(effective)) return [];
        return [{ path, message: `${owner} has ${how}; the image policy allows ${allowedByPolicy.join(', ')}`, remediation: `Set ${field}: ${allowedByPolicy[0]}.` }];
      }
      if (reference.digest !== undefined) {
        if (effective !== 'Never') return [];
        return [
          {
            path,
            message: `${owner} has ${field} Never: it runs whatever image was pre-loaded on the node, without a registry credential check`,
            remediation: `Set ${field}: IfNotPresent (the digest keeps the content exact), or allow Never in imagePolicy.allowedPullPolicies for air-gapped nodes.`,
          },
        ];
      }
      if (effective === 'Always') return [];
      return [
        {
          path,
          message: `${owner} pulls tagged image "${image.text}" with ${how}: a node keeps running its cached copy after the tag moves`,
          remediation: `Pin the image by digest (then IfNotPresent is safe), or set ${field}: Always.`,
        },
      ];
    });
  },
});
