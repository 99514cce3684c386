import { Severity } from '../../core/types';
import { fieldIs } from '../kit/cel';
import { podRule } from '../rule';
import { show, switchState } from './support';

/** One process namespace for all containers: each sees, signals and ptraces the others and reads their /proc. */
export default podRule({
  id: 'pod-share-process-namespace',
  title: 'Pods must not share one process namespace between containers',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'With shareProcessNamespace: true every container of the pod sees the processes of the others: a compromised sidecar can signal the application, read its environment and open files through /proc/<pid>/root and /proc/<pid>/environ (secrets included), and the pause container becomes PID 1. It removes the isolation between the containers of a pod.',
  remediation:
    'Remove spec.shareProcessNamespace (or set it to false). Debug a running pod with `kubectl debug --target=<container>` instead; a workload that needs it (a process-level sidecar) records a waiver for pod-share-process-namespace.',
  references: {
    links: ['https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/'],
  },
  admission: {
    validations: [{
      expression: `!(${fieldIs('variables.podSpec', 'shareProcessNamespace', 'true')})`,
      message: 'pod shares one process namespace between its containers (shareProcessNamespace: true)',
    }],
  },
  check(pod) {
    const value = pod.spec.shareProcessNamespace;
    const state = switchState(value);
    if (state === 'off') return [];
    return [{
      path: `${pod.specPath}.shareProcessNamespace`,
      message: state === 'on'
        ? 'pod shares one process namespace between its containers (shareProcessNamespace: true)'
        : `pod sets shareProcessNamespace to ${show(value)}, which is not a boolean`,
    }];
  },
});
