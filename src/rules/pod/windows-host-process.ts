import { containerContextPath, containerSecurityContext, describeContainer, podContextPath, podSecurityContext, show, switchState } from './support';
import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { fieldIs } from '../kit/cel';
import { podRule, Violation } from '../rule';

/** A Windows HostProcess container runs directly on the node, as a node process. */
export default podRule({
  id: 'pod-windows-host-process',
  title: 'Windows pods must not run HostProcess containers',
  area: 'pod',
  severity: Severity.CRITICAL,
  level: 'baseline',
  rationale:
    "A HostProcess container is a process on the Windows node with the node's network, file system and (by default) a privileged account: the Windows equivalent of a privileged container.",
  remediation: 'Remove securityContext.windowsOptions.hostProcess (or set it to false) at pod and container level.',
  references: {
    pss: 'windowsHostProcess',
    cis: '5.2.11',
    nsa: 'Kubernetes Pod security: Pod security enforcement',
    polaris: 'hostProcess',
    kyverno: 'disallow-host-process',
  },
  admission: {
    validations: [{
      expression:
        `!(${fieldIs('variables.podSecurityContext', 'windowsOptions.hostProcess', 'true')}) && ` +
        `variables.allContainers.all(c, !(${fieldIs('c', 'securityContext.windowsOptions.hostProcess', 'true')}))`,
      message: 'the pod or a container runs as a Windows HostProcess',
    }],
  },
  check(pod) {
    const violations: Violation[] = [];
    const report = (value: unknown, path: string, where: string) => {
      const state = switchState(value);
      if (state === 'off') return;
      violations.push({
        path,
        message: state === 'on'
          ? `${where} runs as a Windows HostProcess (windowsOptions.hostProcess: true)`
          : `${where} sets securityContext.windowsOptions.hostProcess to ${show(value)}, which is not a boolean`,
      });
    };
    report(asObject(podSecurityContext(pod).windowsOptions).hostProcess, podContextPath(pod, 'windowsOptions.hostProcess'), 'pod');
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      report(
        asObject(containerSecurityContext(container).windowsOptions).hostProcess,
        containerContextPath(container, 'windowsOptions.hostProcess'),
        describeContainer(container),
      );
    }
    return violations;
  },
});
