import { Severity } from '../../check/types';
import { kubeadmArg } from '../../cluster/kubeadm-args';
import { objectRule } from '../rule';

/** AlwaysAllow, or a mode list without Node and RBAC, hands every authenticated identity the whole cluster. */
export default objectRule({
  id: 'cluster-apiserver-authorization-mode',
  title: 'The API server must authorize with Node and RBAC, never AlwaysAllow',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: ['ClusterConfiguration'],
  rationale:
    'With AlwaysAllow every authenticated request is allowed: any stolen token is cluster-admin. Without the Node authorizer kubelets are not limited to their own node\'s objects; without RBAC no least-privilege grant means anything.',
  remediation:
    'Set --authorization-mode=Node,RBAC (kubeadm\'s default when the flag is absent; ControlPlaneConfig writes it explicitly) or an --authorization-config with Node and RBAC authorizers.',
  references: { cis: '1.2.6', nsa: 'Authentication and authorization', links: ['https://kubernetes.io/docs/reference/access-authn-authz/authorization/'] },
  notAtAdmission: 'it judges a node or control-plane configuration file, not an object the API server admits',
  check(view) {
    if (!view.apiVersion.startsWith('kubeadm.k8s.io/')) return [];
    const mode = kubeadmArg(view.object, 'apiServer', 'authorization-mode');
    if (!mode) return [];
    const modes = mode.value.split(',').map((m) => m.trim());
    const problems: string[] = [];
    if (modes.includes('AlwaysAllow')) problems.push('includes AlwaysAllow');
    for (const required of ['Node', 'RBAC']) if (!modes.includes(required)) problems.push(`lacks ${required}`);
    return problems.length > 0 ? [{ path: mode.path, message: `--authorization-mode=${mode.value} ${problems.join(' and ')}` }] : [];
  },
});
