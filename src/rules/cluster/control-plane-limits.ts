import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-control-plane-limits';

/** Unbounded requests and an unbounded pile of terminated pods are resource exhaustion waiting to happen. */
export default objectRule({
  id: ID,
  title: 'The API server request timeout and the controller manager\'s terminated-pod threshold must be bounded',
  area: 'cluster',
  severity: Severity.LOW,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'A zero --request-timeout lets slow clients hold API server resources indefinitely. Without --terminated-pod-gc-threshold the controller manager keeps 12500 terminated pods, which a crash-looping Job or a hostile tenant can turn into etcd and controller memory pressure.',
  remediation: 'Keep --request-timeout a non-zero duration (default 1m0s) and set --terminated-pod-gc-threshold to a positive number sized to the cluster (ControlPlaneConfig writes 60s and 1000).',
  references: { ...cisOfRule(ID), links: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
