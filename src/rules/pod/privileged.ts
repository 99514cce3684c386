import { Severity } from '../../core/types';
import { everyContainer, fieldIs } from '../kit/cel';
import { podRule } from '../rule';
import { containerContextPath, containerSecurityContext, describeContainer, show, switchState } from './support';

/** Privileged containers turn off nearly every isolation the kernel gives a container. */
export default podRule({
  id: 'pod-privileged',
  title: 'Containers must not run privileged',
  area: 'pod',
  severity: Severity.CRITICAL,
  level: 'baseline',
  // Node access is a node agent's job: only a DaemonSet may carry a waiver for it.
  waivableOn: ['DaemonSet'],
  rationale:
    'A privileged container has every capability and direct access to host devices: a compromise of the container is a compromise of the node.',
  remediation:
    'Remove securityContext.privileged or set it to false. HardenedDeployment never sets it; needing it requires a waiver for pod-privileged.',
  references: {
    pss: 'privileged',
    cis: '5.2.2',
    nsa: 'Kubernetes Pod security: Pod security enforcement',
    kubeLinter: 'privileged-container',
    polaris: 'runAsPrivileged',
    kubesec: 'Privileged',
    kubeScore: 'container-security-context-privileged',
    kyverno: 'disallow-privileged-containers',
  },
  admission: {
    validations: [everyContainer({ ok: `!(${fieldIs('c', 'securityContext.privileged', 'true')})`, problem: 'runs privileged (securityContext.privileged: true)' })],
  },
  check(pod) {
    return pod.containers.flatMap((c) => {
      const value = containerSecurityContext(c).privileged;
      const state = switchState(value);
      if (state === 'off') return [];
      return [{
        path: containerContextPath(c, 'privileged'),
        message: state === 'on'
          ? `${describeContainer(c)} runs privileged`
          : `${describeContainer(c)} sets securityContext.privileged to ${show(value)}, which is not a boolean`,
      }];
    });
  },
});
