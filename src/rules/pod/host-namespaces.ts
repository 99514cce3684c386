import { Severity } from '../../core/types';
import { fieldIs } from '../kit/cel';
import { podRule, Violation } from '../rule';
import { show, switchState } from './support';

/** Pod spec switches that share a host namespace, with what each exposes. */
const HOST_NAMESPACES: ReadonlyArray<readonly [field: string, what: string]> = [
  ['hostNetwork', 'the host network namespace'],
  ['hostPID', 'the host process ID namespace'],
  ['hostIPC', 'the host IPC namespace'],
];

/** Sharing the node's network, PID or IPC namespace removes the isolation between the pod and the node. */
export default podRule({
  id: 'pod-host-namespaces',
  title: 'Pods must not share host namespaces',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'baseline',
  // Node access is a node agent's job: only a DaemonSet may carry a waiver for it.
  waivableOn: ['DaemonSet'],
  rationale:
    "hostNetwork exposes the node's interfaces and localhost-only services, hostPID lets the pod see and signal every process on the node, hostIPC gives access to the node's shared memory: each breaks the pod's isolation from the node and its other pods.",
  remediation:
    'Remove spec.hostNetwork, spec.hostPID and spec.hostIPC (or set them to false). Hardened workloads never set them; a node agent that needs one requires a waiver for pod-host-namespaces.',
  references: {
    pss: 'hostNamespaces',
    cis: '5.2.3, 5.2.4, 5.2.5',
    nsa: 'Kubernetes Pod security: Pod security enforcement',
    kubeLinter: 'host-network, host-pid, host-ipc',
    polaris: 'hostNetworkSet, hostPIDSet, hostIPCSet',
    kubesec: 'HostNetwork, HostPID, HostIPC',
    kyverno: 'disallow-host-namespaces',
  },
  admission: {
    validations: HOST_NAMESPACES.map(([field, what]) => ({
      expression: `!(${fieldIs('variables.podSpec', field, 'true')})`,
      message: `pod shares ${what} (${field}: true)`,
    })),
  },
  check(pod) {
    const violations: Violation[] = [];
    for (let i = 0; i < HOST_NAMESPACES.length; i++) {
      const field = HOST_NAMESPACES[i][0];
      const what = HOST_NAMESPACES[i][1];
      const value = pod.spec[field];
      const state = switchState(value);
      if (state === 'off') continue;
      violations.push({
        path: `${pod.specPath}.${field}`,
        message: state === 'on' ? `pod shares ${what} (${field}: true)` : `pod sets ${field} to ${show(value)}, which is not a boolean`,
      });
    }
    return violations;
  },
});
