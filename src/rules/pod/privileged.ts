import { asObject } from '../../check/json';
import { Severity } from '../../check/types';
import { podRule } from '../rule';

/** Privileged containers turn off nearly every isolation the kernel gives a container. */
export default podRule({
  id: 'pod-privileged',
  title: 'Containers must not run privileged',
  area: 'pod',
  severity: Severity.CRITICAL,
  level: 'baseline',
  rationale:
    'A privileged container has every capability and direct access to host devices: a compromise of the container is a compromise of the node.',
  remediation:
    'Remove securityContext.privileged or set it to false. HardenedDeployment never sets it; needing it requires a waiver for pod-privileged.',
  references: {
    pss: 'privileged',
    cis: '5.2.2',
    nsa: 'Pod security: non-root containers and least privilege',
    kubeLinter: 'privileged-container',
    polaris: 'privilegeEscalationAllowed',
    kubesec: 'Privileged',
    kubeScore: 'container-security-context-privileged',
    kyverno: 'disallow-privileged-containers',
  },
  check(pod) {
    return pod.containers
      .filter((c) => asObject(c.container.securityContext).privileged === true)
      .map((c) => ({
        path: `${c.path}.securityContext.privileged`,
        message: `container "${c.name}" runs privileged`,
      }));
  },
});
