import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** Approving CSRs is minting client certificates, i.e. creating users. */
export default permissionRule({
  id: 'rbac-csr-approval',
  title: 'Roles must not approve certificate signing requests',
  severity: Severity.CRITICAL,
  rbac: {
    probes: [
      ...probes('certificates.k8s.io', ['certificatesigningrequests/approval'], ['update', 'patch']),
      ...probes('certificates.k8s.io', ['signers'], ['approve']),
    ],
  },
  rationale:
    'update on certificatesigningrequests/approval (with approve on signers) lets a subject approve client certificates for any user name and group, system:masters included.',
  remediation:
    'Remove the approval subresource and the approve verb on signers. A certificate controller needs a waiver for rbac-csr-approval and should list its signers in resourceNames.',
  references: {
    cis: '5.1.11',
    nsa: 'Authentication and authorization: least privilege RBAC',
    kubeLinter: 'approve-signers-without-resource-names',
  },
});
