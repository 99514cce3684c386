import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule } from '../rule';
import { LONG_RUNNING_KINDS, probeCheck, probeViolations } from './support';

/** A liveness probe lets the kubelet restart a container that hangs instead of leaving it dead but running. */
export default podRule({
  id: 'pod-liveness-probe',
  title: 'Long-running containers must have a liveness probe',
  area: 'pod',
  severity: Severity.LOW,
  level: 'restricted',
  // A pod that runs to completion is not restarted or put behind a Service by its probes.
  appliesToBatch: false,
  kinds: LONG_RUNNING_KINDS,
  rationale:
    'Without a liveness probe a deadlocked or exhausted container keeps running and keeps its share of the node; availability is part of security and a hung process is an easy denial of service.',
  remediation:
    'Add a livenessProbe (httpGet, tcpSocket, grpc or exec) to every regular container of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and restartable Pods. Jobs, CronJobs and Pods with restartPolicy Never/OnFailure are not judged. HardenedDeployment requires a probe or a waiver.',
  references: {
    kubeLinter: 'no-liveness-probe',
    polaris: 'livenessProbeMissing',
    kubeScore: 'pod-probes',
    kyverno: 'require-pod-probes',
    links: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'],
  },
  admission: {
    validations: [everyContainer(probeCheck('livenessProbe'))],
  },
  check(pod) {
    return probeViolations(pod, 'livenessProbe');
  },
});
