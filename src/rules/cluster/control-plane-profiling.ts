import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-control-plane-profiling';

/** pprof endpoints are on by default in every control-plane component. */
export default objectRule({
  id: ID,
  title: 'The API server, controller manager and scheduler must run with --profiling=false',
  area: 'cluster',
  severity: Severity.MEDIUM,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'Profiling is on unless turned off. The pprof endpoints reveal internals (goroutines, heap contents, command lines) and a CPU profile request slows the component down while it runs.',
  remediation: 'Set --profiling=false on kube-apiserver, kube-controller-manager and kube-scheduler (ControlPlaneConfig does).',
  references: { ...cisOfRule(ID), links: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
