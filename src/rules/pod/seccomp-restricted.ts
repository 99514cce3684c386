import { ALLOWED_PROFILE_TYPES, containerContextPath, containerSecurityContext, describeContainer, explicitProfileCel, explicitProfileViolations, isSet, podSecurityContext } from './support';
import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { celList, everyContainer, present } from '../kit/cel';
import { podRule } from '../rule';

/** Every container must run under a seccomp profile, set on the container or inherited from the pod. */
export default podRule({
  id: 'pod-seccomp-restricted',
  title: 'Every container must run with the RuntimeDefault or a Localhost seccomp profile',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'restricted',
  overrides: ['pod-seccomp-baseline'],
  rationale:
    'Without an explicit profile many runtimes run containers Unconfined. RuntimeDefault blocks the rarely needed system calls most kernel exploits go through, at no cost for ordinary applications.',
  remediation:
    'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod (or on each container). HardenedDeployment sets it. Windows pods (spec.os.name: windows) are exempt.',
  references: {
    pss: 'seccompProfile_restricted',
    cis: '5.7.2',
    nsa: 'Kubernetes Pod security: Hardening container environments',
    kubesec: 'SeccompAny',
    kubeScore: 'container-seccomp-profile',
    kyverno: 'restrict-seccomp-strict',
  },
  admission: {
    validations: [
      { expression: `variables.isWindows || ${explicitProfileCel('seccompProfile')}`, message: 'a seccomp profile type is not RuntimeDefault or Localhost' },
      everyContainer({
        unless: `variables.isWindows || (${present('variables.podSecurityContext', 'seccompProfile.type')} && variables.podSecurityContext.seccompProfile.type in ${celList([...ALLOWED_PROFILE_TYPES] as string[])})`,
        ok: present('c', 'securityContext.seccompProfile'),
        problem: 'has no seccomp profile and the pod sets none',
      }),
    ],
  },
  check(pod) {
    // seccomp is a Linux kernel feature; the standards exempt Windows pods (1.25+).
    if (pod.isWindows) return [];
    const violations = explicitProfileViolations(pod, 'seccompProfile');
    const podProfile = podSecurityContext(pod).seccompProfile;
    const inherited = isSet(podProfile) && ALLOWED_PROFILE_TYPES.has(asObject(podProfile).type);
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      if (inherited || isSet(containerSecurityContext(container).seccompProfile)) continue;
      violations.push({
        path: containerContextPath(container, 'seccompProfile'),
        message: `${describeContainer(container)} has no seccomp profile and the pod sets none (set seccompProfile.type to "RuntimeDefault" or "Localhost")`,
      });
    }
    return violations;
  },
});
