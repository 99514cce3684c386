import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-control-plane-bind-address';

/** The controller manager and scheduler serve health, metrics and debug endpoints on all interfaces unless bound to loopback. */
export default objectRule({
  id: ID,
  title: 'The controller manager and scheduler must listen on 127.0.0.1 only',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'Both components default to --bind-address=0.0.0.0: their secure ports (10257, 10259) then answer anyone on the network, and a misconfigured authorization or an unauthenticated health or metrics path leaks internals of the components that hold the broadest credentials of the cluster.',
  remediation: 'Set --bind-address=127.0.0.1 on kube-controller-manager and kube-scheduler (kubeadm\'s default; ControlPlaneConfig writes it explicitly).',
  references: { ...cisOfRule(ID), links: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
