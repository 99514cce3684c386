import { ANY_VERB, permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** nodes/proxy is the kubelet API: exec into any pod on the node, outside audit and admission. */
export default permissionRule({
  id: 'rbac-nodes-proxy',
  title: 'Roles must not grant nodes/proxy',
  severity: Severity.CRITICAL,
  rbac: { probes: probes('', ['nodes/proxy'], ANY_VERB) },
  rationale:
    'Access to the proxy subresource of nodes is access to the kubelet API, which can run commands in every container on the node; kubelet requests bypass API server audit logging and admission control.',
  remediation:
    'Remove nodes/proxy; scrape node metrics through the metrics endpoints instead. A monitoring agent that needs it needs a waiver for rbac-nodes-proxy.',
  references: {
    cis: '5.1.10',
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes'],
  },
});
