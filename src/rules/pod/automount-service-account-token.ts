import { fieldIs } from '../../admission/cel';
import { Severity } from '../../check/types';
import { podRule } from '../rule';
import { isSet, show } from './support';

/** A mounted service account token is a ready-made API credential for anyone who compromises the container. */
export default podRule({
  id: 'pod-automount-service-account-token',
  title: 'Pods must set automountServiceAccountToken: false',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'By default every pod gets a token for its service account at /var/run/secrets/kubernetes.io/serviceaccount. Most applications never call the API; for them the token only helps an attacker who gets code execution to explore and attack the cluster.',
  remediation:
    'Set spec.automountServiceAccountToken: false on the pod (template). A workload that talks to the API server should mount a projected, audience-bound token explicitly, or record a waiver for pod-automount-service-account-token. The pod field is required even when the ServiceAccount disables automounting, because the pod setting wins and the manifest should not depend on another object.',
  references: {
    cis: '5.1.6',
    nsa: 'Kubernetes Pod security: Protecting Pod service account tokens',
    polaris: 'automountServiceAccountToken',
    kubesec: 'AutomountServiceAccountToken',
    kyverno: 'restrict-automount-sa-token',
  },
  admission: {
    validations: [{
      expression: fieldIs('variables.podSpec', 'automountServiceAccountToken', 'false'),
      message: 'the pod does not set automountServiceAccountToken: false',
    }],
  },
  check(pod) {
    const value = pod.spec.automountServiceAccountToken;
    if (value === false) return [];
    return [{
      path: `${pod.specPath}.automountServiceAccountToken`,
      message: isSet(value)
        ? `pod sets automountServiceAccountToken to ${show(value)} (it must be false)`
        : 'pod does not set automountServiceAccountToken: false, so a service account token is mounted into every container',
    }];
  },
});
