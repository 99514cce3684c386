import { isSet, show } from './support';
import { asString } from '../../core/json';
import { Severity } from '../../core/types';
import { present } from '../kit/cel';
import { podRule } from '../rule';

/** The `default` service account is shared by every pod of a namespace that does not name another one. */
export default podRule({
  id: 'pod-default-service-account',
  title: 'Pods must use a dedicated service account, not default',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'Permissions granted to the default service account silently apply to every pod in the namespace that names none. A dedicated service account per application keeps grants least-privilege and audit logs attributable.',
  remediation:
    'Create a ServiceAccount for the application and set spec.serviceAccountName to it. HardenedDeployment creates one (AuditedServiceAccount) unless you pass your own.',
  references: {
    cis: '5.1.5',
    nsa: 'Authentication and authorization: Role-based access control',
    kubeLinter: 'default-service-account',
    kubesec: 'ServiceAccountName',
  },
  admission: {
    validations: [{
      // serviceAccountName wins; the deprecated serviceAccount is used when it is empty (as the API does).
      expression:
        `${present('variables.podSpec', 'serviceAccountName')} && variables.podSpec.serviceAccountName != '' ? variables.podSpec.serviceAccountName != 'default' : ` +
        `${present('variables.podSpec', 'serviceAccount')} && !(variables.podSpec.serviceAccount in ['', 'default'])`,
      message: 'the pod runs as the default service account',
    }],
  },
  check(pod) {
    const path = `${pod.specPath}.serviceAccountName`;
    const raw = pod.spec.serviceAccountName;
    if (isSet(raw) && typeof raw !== 'string') {
      return [{ path, message: `pod sets serviceAccountName to ${show(raw)}, which is not a string` }];
    }
    // The deprecated `serviceAccount` field is used when serviceAccountName is empty.
    const name = asString(raw) || asString(pod.spec.serviceAccount) || '';
    if (name !== '' && name !== 'default') return [];
    return [{
      path,
      message: name === '' ? 'pod does not set serviceAccountName, so it runs as the "default" service account' : 'pod runs as the "default" service account',
    }];
  },
});
