import { isSet, show } from './support';
import { asArray, asObject, asString, isObject } from '../../core/json';
import type { ObjectIndex } from '../../core/object-index';
import { Severity } from '../../core/types';
import type { PodView } from '../../core/views';
import { API_ACCESS_ANNOTATION } from '../../core/waivers';
import { celString, fieldIs } from '../kit/cel';
import { podRule, Violation } from '../rule';

const SA_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';

/** The reason the pod (template) records for mounting a token, when it records one that is not blank. */
function apiAccessReason(pod: PodView): string | undefined {
  const reason = pod.annotations[API_ACCESS_ANNOTATION];
  return reason !== undefined && /\S/.test(reason) ? reason : undefined;
}

/** The Secret a pod of `namespace` names (a missing namespace is `default`, on both sides). */
function secretOf(index: ObjectIndex, namespace: string | undefined, name: string) {
  const ns = namespace ?? 'default';
  return index.find('Secret', ns, name) ?? (ns === 'default' ? index.find('Secret', undefined, name) : undefined);
}

/**
 * Service account tokens a pod mounts other than through automounting: projected `serviceAccountToken` sources, and
 * Secrets of type kubernetes.io/service-account-token (the legacy long-lived tokens) found in the set.
 */
function tokenVolumes(pod: PodView, objects: ObjectIndex): Violation[] {
  const violations: Violation[] = [];
  const legacy = (secretName: unknown, path: string, volume: string) => {
    const name = asString(secretName);
    const secret = name === undefined ? undefined : secretOf(objects, pod.owner.namespace, name);
    if (!secret || secret.object.type !== SA_TOKEN_SECRET_TYPE) return;
    violations.push({ path, message: `volume ${volume} mounts Secret "${name}", a long-lived service account token (type ${SA_TOKEN_SECRET_TYPE})` });
  };
  asArray(pod.spec.volumes).forEach((raw, index) => {
    if (!isObject(raw)) return;
    const volume = JSON.stringify(asString(raw.name) ?? `#${index}`);
    const path = `${pod.specPath}.volumes[${index}]`;
    legacy(asObject(raw.secret).secretName, `${path}.secret.secretName`, volume);
    asArray(asObject(raw.projected).sources).forEach((source, s) => {
      const entry = asObject(source);
      if (isSet(entry.serviceAccountToken)) {
        violations.push({ path: `${path}.projected.sources[${s}].serviceAccountToken`, message: `volume ${volume} projects a service account token` });
      }
      legacy(asObject(entry.secret).name, `${path}.projected.sources[${s}].secret.name`, volume);
    });
  });
  return violations;
}

/** A mounted service account token is a ready-made API credential for anyone who compromises the container. */
export default podRule({
  id: 'pod-automount-service-account-token',
  title: 'Pods must not mount a service account token without recording why',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'By default every pod gets a token for its service account at /var/run/secrets/kubernetes.io/serviceaccount. Most applications never call the API; for them the token only helps an attacker who gets code execution to explore and attack the cluster. The same token can be mounted by hand: a projected serviceAccountToken volume, or a Secret of type kubernetes.io/service-account-token (a token that never expires). Such a mount is accepted only with a recorded reason, the `hardened.cdk8s.io/api-access` annotation on the pod (template) that AuditedServiceAccount `apiAccess` writes.',
  remediation:
    'Set spec.automountServiceAccountToken: false on the pod (template). A workload that talks to the API server uses an AuditedServiceAccount with `apiAccess: { reason }` (a projected, short-lived token, the reason recorded on the pod as hardened.cdk8s.io/api-access); in plain YAML, mount a projected token and annotate the pod template with hardened.cdk8s.io/api-access: <why it calls the API>. Never mount a kubernetes.io/service-account-token Secret. The pod field is required even when the ServiceAccount disables automounting, because the pod setting wins and the manifest should not depend on another object.',
  references: {
    cis: '5.1.6',
    nsa: 'Kubernetes Pod security: Protecting Pod service account tokens',
    polaris: 'automountServiceAccountToken',
    kubesec: 'AutomountServiceAccountToken',
    kyverno: 'restrict-automount-sa-token',
  },
  admission: {
    validations: [
      {
        expression: fieldIs('variables.podSpec', 'automountServiceAccountToken', 'false'),
        message: 'the pod does not set automountServiceAccountToken: false',
      },
      {
        // Admission sees the pod only: a Secret's type is judged by the checker, which sees the set.
        expression:
          `(has(variables.podMeta.annotations) && ${celString(API_ACCESS_ANNOTATION)} in variables.podMeta.annotations && variables.podMeta.annotations[${celString(API_ACCESS_ANNOTATION)}].matches('\\\\S')) || ` +
          '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.projected) || !has(v.projected.sources) || v.projected.sources.all(s, !has(s.serviceAccountToken)))',
        message: `a volume projects a service account token, and the pod records no ${API_ACCESS_ANNOTATION} reason`,
      },
    ],
  },
  check(pod, context) {
    const violations: Violation[] = [];
    const value = pod.spec.automountServiceAccountToken;
    if (value !== false) {
      violations.push({
        path: `${pod.specPath}.automountServiceAccountToken`,
        message: isSet(value)
          ? `pod sets automountServiceAccountToken to ${show(value)} (it must be false)`
          : 'pod does not set automountServiceAccountToken: false, so a service account token is mounted into every container',
      });
    }
    if (apiAccessReason(pod) !== undefined) return violations;
    for (const token of tokenVolumes(pod, context.index)) {
      violations.push({
        ...token,
        message: `${token.message}, and the pod records no reason (annotation ${API_ACCESS_ANNOTATION})`,
        remediation: `Use an AuditedServiceAccount with apiAccess: { reason } (or annotate the pod template with ${API_ACCESS_ANNOTATION}: <why it calls the API>) and a projected, short-lived token; never mount a ${SA_TOKEN_SECRET_TYPE} Secret.`,
      });
    }
    return violations;
  },
});
