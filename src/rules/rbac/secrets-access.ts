import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** Reading every Secret of a namespace reads every credential stored there, service account tokens included. */
export default permissionRule({
  id: 'rbac-secrets-access',
  title: 'Roles must not read, update or patch Secrets without resourceNames',
  severity: Severity.HIGH,
  // The response to update and patch carries the whole Secret, so a write is a read too.
  rbac: { probes: probes('', ['secrets'], ['get', 'list', 'watch', 'update', 'patch'], { unlessResourceNames: true }) },
  rationale:
    'get, list or watch on all Secrets reveals every credential in scope, including legacy service account tokens of more privileged accounts; list and watch return the values too, and so does the response to an update or patch of a Secret.',
  remediation:
    'Limit secret reads and writes to named Secrets with resourceNames (AuditedServiceAccount: sa.allowReadSecret(name)); unrestricted access needs a waiver for rbac-secrets-access.',
  references: {
    cis: '5.1.2',
    nsa: 'Authentication and authorization: least privilege RBAC',
    kubeLinter: 'access-to-secrets',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets'],
  },
});
