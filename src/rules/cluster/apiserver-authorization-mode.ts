import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-apiserver-authorization-mode';

/** AlwaysAllow, or a mode list without Node and RBAC, hands every authenticated identity the whole cluster. */
export default objectRule({
  id: ID,
  title: 'The API server must authorize with Node and RBAC, never AlwaysAllow',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: [...CONTROL_PLANE_KINDS, 'AuthorizationConfiguration'],
  rationale:
    'With AlwaysAllow every authenticated request is allowed: any stolen token is cluster-admin. Without the Node authorizer kubelets are not limited to their own node\'s objects; without RBAC no least-privilege grant means anything. The API server defaults to AlwaysAllow when neither --authorization-mode nor --authorization-config is given.',
  remediation:
    'Set --authorization-mode=Node,RBAC (kubeadm\'s default when its extraArgs leave the flag out; ControlPlaneConfig writes it explicitly) or an --authorization-config whose authorizers include Node and RBAC and not AlwaysAllow.',
  references: { ...cisOfRule(ID), nsa: 'Authentication and authorization', links: ['https://kubernetes.io/docs/reference/access-authn-authz/authorization/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check(view) {
    if (view.kind === 'AuthorizationConfiguration') {
      if (!view.apiVersion.startsWith('apiserver.config.k8s.io/')) return [];
      const types = asArray(view.object.authorizers).map((a) => asString(asObject(a).type) ?? '');
      const problems: string[] = [];
      const allowAll = types.indexOf('AlwaysAllow');
      if (allowAll >= 0) problems.push('includes AlwaysAllow');
      for (const required of ['Node', 'RBAC']) if (!types.includes(required)) problems.push(`lacks ${required}`);
      return problems.length > 0 ? [{ path: allowAll >= 0 ? `authorizers[${allowAll}].type` : 'authorizers', message: `the authorizer chain ${problems.join(' and ')}` }] : [];
    }
    return judgeControlPlane(view, ID);
  },
});
