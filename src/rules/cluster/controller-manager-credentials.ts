import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-controller-manager-credentials';

/** Controllers that share one identity make every controller as powerful as all of them together. */
export default objectRule({
  id: ID,
  title: 'The controller manager must give each controller its own service account and keep kubelet serving certificate rotation on',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'Without --use-service-account-credentials (off by default) every controller acts with the controller manager\'s own, very broad, credential, so RBAC cannot limit any one of them. Turning the RotateKubeletServerCertificate feature gate off stops kubelet serving certificates from being issued and rotated through CSRs.',
  remediation: 'Set --use-service-account-credentials=true (kubeadm\'s default) and leave RotateKubeletServerCertificate on in --feature-gates.',
  references: { ...cisOfRule(ID), links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#controller-roles'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
