import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule } from '../rule';
import { containerPorts } from './container-ports';

/** Binding below 1024 needs root or NET_BIND_SERVICE: a hardened container has neither. */
export default podRule({
  id: 'workload-privileged-port',
  title: 'Containers must not listen on privileged ports (below 1024)',
  area: 'workload',
  severity: Severity.LOW,
  level: 'restricted',
  rationale:
    'On Linux, binding a port below 1024 needs root or the NET_BIND_SERVICE capability. A container declaring one either runs with more privilege than it needs or does not work once hardened (non-root, all capabilities dropped). Services can still expose port 80 or 443 and target a high container port. Windows pods are exempt.',
  remediation: 'Listen on a port of 1024 or above (e.g. 8080 or 8443) and map it in the Service: port 443, targetPort 8443.',
  references: {
    kubeLinter: 'privileged-ports',
    links: ['https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service'],
  },
  admission: {
    validations: [everyContainer({
      ok: '!has(c.ports) || c.ports.all(p, !has(p.containerPort) || p.containerPort >= 1024)',
      problem: 'declares a privileged port (below 1024)',
      unless: 'variables.isWindows',
    })],
  },
  check(pod) {
    if (pod.isWindows) return [];
    return containerPorts(pod)
      .filter((p) => p.containerPort !== undefined && p.containerPort < 1024)
      .map((p) => ({
        path: `${p.path}.containerPort`,
        message: `container "${p.container.name}" declares privileged port ${p.containerPort}`,
      }));
  },
});
