import { Severity } from '../../core/types';
import { everyContainer, fieldIs, present } from '../kit/cel';
import { podRule, Violation } from '../rule';
import { containerContextPath, containerSecurityContext, describeContainer, isSet, podContextPath, podSecurityContext, show, usesUserNamespace } from './support';

/** runAsNonRoot makes the kubelet refuse to start a container whose user is root. */
export default podRule({
  id: 'pod-run-as-non-root',
  title: 'Containers must run with runAsNonRoot: true',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'Root in a container is root on the node as far as the kernel is concerned (without user namespaces): any escape or writable host mount then acts as root. runAsNonRoot: true makes the kubelet refuse to start a container that would run as UID 0.',
  remediation:
    'Set spec.securityContext.runAsNonRoot: true on the pod (containers inherit it) and never set it to false on a container; give the image a numeric non-root USER or set runAsUser. HardenedDeployment sets both. Pods with spec.hostUsers: false are exempt.',
  references: {
    pss: 'runAsNonRoot',
    cis: '5.2.7',
    nsa: 'Kubernetes Pod security: Non-root containers and rootless container engines',
    kubeLinter: 'run-as-non-root',
    polaris: 'runAsRootAllowed',
    kubesec: 'RunAsNonRoot',
    kyverno: 'require-run-as-nonroot',
  },
  admission: {
    validations: [
      {
        expression: 'variables.userNamespace || !has(variables.podSecurityContext.runAsNonRoot) || variables.podSecurityContext.runAsNonRoot == true',
        message: 'the pod sets securityContext.runAsNonRoot to false',
      },
      everyContainer({
        unless: 'variables.userNamespace',
        ok: `${present('c', 'securityContext.runAsNonRoot')} ? c.securityContext.runAsNonRoot == true : (${fieldIs('variables.podSecurityContext', 'runAsNonRoot', 'true')})`,
        problem: 'does not run with runAsNonRoot: true (set on it or inherited from the pod)',
      }),
    ],
  },
  check(pod) {
    // In a user namespace, container root maps to an unprivileged node user: the standards relax this check (1.35+).
    if (usesUserNamespace(pod)) return [];
    const violations: Violation[] = [];
    const podValue = podSecurityContext(pod).runAsNonRoot;
    if (isSet(podValue) && podValue !== true) {
      violations.push({ path: podContextPath(pod, 'runAsNonRoot'), message: `pod sets securityContext.runAsNonRoot to ${show(podValue)} (it must be true)` });
    }
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      const value = containerSecurityContext(container).runAsNonRoot;
      if (value === true || (!isSet(value) && podValue === true)) continue;
      violations.push({
        path: containerContextPath(container, 'runAsNonRoot'),
        message: isSet(value)
          ? `${describeContainer(container)} sets securityContext.runAsNonRoot to ${show(value)} (it must be true)`
          : `${describeContainer(container)} does not set runAsNonRoot and the pod does not set it to true`,
      });
    }
    return violations;
  },
});
