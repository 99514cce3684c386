import { Severity } from '../../core/types';
import { everyContainer, fieldIs } from '../kit/cel';
import { podRule } from '../rule';
import { containerContextPath, containerSecurityContext, describeContainer, isSet, show } from './support';

/** Without allowPrivilegeEscalation: false, setuid binaries and file capabilities can raise a process's privileges. */
export default podRule({
  id: 'pod-allow-privilege-escalation',
  title: 'Containers must set allowPrivilegeEscalation: false',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'allowPrivilegeEscalation: false sets no_new_privs on the container process: setuid binaries (su, sudo, ...) and file capabilities can then no longer raise privileges after start. The kernel default allows escalation.',
  remediation:
    'Set securityContext.allowPrivilegeEscalation: false on every container (it is a container-level field; the pod has no default for it). HardenedDeployment sets it. Windows pods (spec.os.name: windows) are exempt.',
  references: {
    pss: 'allowPrivilegeEscalation',
    cis: '5.2.6',
    nsa: 'Kubernetes Pod security: Non-root containers and rootless container engines',
    kubeLinter: 'privilege-escalation-container',
    polaris: 'privilegeEscalationAllowed',
    kubesec: 'AllowPrivilegeEscalation',
    kyverno: 'disallow-privilege-escalation',
  },
  admission: {
    validations: [everyContainer({
      unless: 'variables.isWindows',
      ok: fieldIs('c', 'securityContext.allowPrivilegeEscalation', 'false'),
      problem: 'does not set securityContext.allowPrivilegeEscalation: false',
    })],
  },
  check(pod) {
    // no_new_privs is a Linux mechanism; the standards exempt Windows pods (1.25+).
    if (pod.isWindows) return [];
    return pod.containers.flatMap((container) => {
      const value = containerSecurityContext(container).allowPrivilegeEscalation;
      if (value === false) return [];
      return [{
        path: containerContextPath(container, 'allowPrivilegeEscalation'),
        message: isSet(value)
          ? `${describeContainer(container)} sets securityContext.allowPrivilegeEscalation to ${show(value)} (it must be false)`
          : `${describeContainer(container)} does not set securityContext.allowPrivilegeEscalation to false`,
      }];
    });
  },
});
