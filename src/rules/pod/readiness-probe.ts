import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule } from '../rule';
import { LONG_RUNNING_KINDS, probeCheck, probeViolations } from './support';

/** A readiness probe keeps traffic away from a container that is not (or no longer) able to serve it. */
export default podRule({
  id: 'pod-readiness-probe',
  title: 'Long-running containers must have a readiness probe',
  area: 'pod',
  severity: Severity.LOW,
  level: 'restricted',
  // A pod that runs to completion is not restarted or put behind a Service by its probes.
  appliesToBatch: false,
  kinds: LONG_RUNNING_KINDS,
  rationale:
    'Without a readiness probe a Service sends requests to containers that are still starting, overloaded or broken; rollouts then replace healthy pods with failing ones without stopping.',
  remediation:
    'Add a readinessProbe to every regular container of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and restartable Pods. Jobs, CronJobs and Pods with restartPolicy Never/OnFailure are not judged. HardenedDeployment requires a probe or a waiver.',
  references: {
    kubeLinter: 'no-readiness-probe',
    polaris: 'readinessProbeMissing',
    kubeScore: 'pod-probes',
    kyverno: 'require-pod-probes',
    links: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/'],
  },
  admission: {
    validations: [everyContainer(probeCheck('readinessProbe'))],
  },
  check(pod) {
    return probeViolations(pod, 'readinessProbe');
  },
});
