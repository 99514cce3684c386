import { Severity } from '../../core/types';
import { everyContainer, present } from '../kit/cel';
import { podRule, Violation } from '../rule';
import { containerContextPath, containerSecurityContext, describeContainer, isSet, podContextPath, podSecurityContext, show, usesUserNamespace } from './support';

/** Why a runAsUser value is rejected, or undefined when it is acceptable (unset or a non-zero number). */
function problem(value: unknown): string | undefined {
  if (!isSet(value)) return undefined;
  if (value === 0) return 'runs as root (runAsUser: 0)';
  if (typeof value !== 'number' || !Number.isInteger(value)) return `sets securityContext.runAsUser to ${show(value)}, which is not an integer`;
  return undefined;
}

/** An explicit runAsUser: 0 runs the container as root whatever the image says. */
export default podRule({
  id: 'pod-run-as-user',
  title: 'Containers must not set runAsUser to 0',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'runAsUser: 0 forces root in the container; in combination with any escape or host mount the attacker is root on the node.',
  remediation:
    'Remove runAsUser: 0 from the pod and container securityContext; set a non-zero UID (the library uses >= 10000, see pod-run-as-high-uid). Pods with spec.hostUsers: false are exempt.',
  references: {
    pss: 'runAsUser',
    cis: '5.2.7',
    nsa: 'Kubernetes Pod security: Non-root containers and rootless container engines',
    kyverno: 'require-run-as-non-root-user',
  },
  admission: {
    validations: [
      { expression: 'variables.userNamespace || !has(variables.podSecurityContext.runAsUser) || variables.podSecurityContext.runAsUser != 0', message: 'the pod runs as root (runAsUser: 0)' },
      everyContainer({ unless: 'variables.userNamespace', ok: `!(${present('c', 'securityContext.runAsUser')}) || c.securityContext.runAsUser != 0`, problem: 'runs as root (runAsUser: 0)' }),
    ],
  },
  check(pod) {
    // In a user namespace, UID 0 in the container is an unprivileged node user: the standards relax this check (1.35+).
    if (usesUserNamespace(pod)) return [];
    const violations: Violation[] = [];
    const podProblem = problem(podSecurityContext(pod).runAsUser);
    if (podProblem) violations.push({ path: podContextPath(pod, 'runAsUser'), message: `pod ${podProblem}` });
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      const containerProblem = problem(containerSecurityContext(container).runAsUser);
      if (containerProblem) violations.push({ path: containerContextPath(container, 'runAsUser'), message: `${describeContainer(container)} ${containerProblem}` });
    }
    return violations;
  },
});
