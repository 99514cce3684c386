import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** A namespace's labels are its Pod Security Admission policy: relabelling it lifts every pod control at once. */
export default permissionRule({
  id: 'rbac-modify-namespaces',
  title: 'Roles must not update or patch namespaces',
  severity: Severity.HIGH,
  // A namespace's labels choose its Pod Security level: whoever may relabel it may lift "restricted".
  rbac: { probes: probes('', ['namespaces'], ['update', 'patch']) },
  rationale:
    'Pod Security Admission reads its level from the namespace labels. A subject that may update or patch a namespace can set pod-security.kubernetes.io/enforce: privileged on it and then run privileged, host-access pods there; it can also remove the labels that NetworkPolicies select namespaces by.',
  remediation:
    'Remove update and patch on namespaces; namespaces are platform-owned (LockedNamespace sets their labels at deploy time). A platform controller that manages namespaces needs a waiver for rbac-modify-namespaces.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#namespace-modification'],
  },
});
