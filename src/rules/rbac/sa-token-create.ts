import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** Creating tokens for service accounts is borrowing their identity. */
export default permissionRule({
  id: 'rbac-sa-token-create',
  title: 'Roles must not create service account tokens',
  severity: Severity.HIGH,
  rbac: { probes: probes('', ['serviceaccounts/token'], ['create']) },
  rationale:
    'create on serviceaccounts/token mints credentials for any service account in scope, which keep working after the creator\'s own access is revoked.',
  remediation:
    'Remove create on serviceaccounts/token; pods get their own token through a projected volume (AuditedServiceAccount apiAccess). Token brokers need a waiver for rbac-sa-token-create.',
  references: {
    cis: '5.1.13',
    nsa: 'Authentication and authorization: least privilege RBAC',
  },
});
