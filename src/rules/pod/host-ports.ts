import { describeContainer, isSet, listField, show } from './support';
import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule, Violation } from '../rule';

/** A hostPort binds a port on the node itself, bypassing Services and most NetworkPolicy setups. */
export default podRule({
  id: 'pod-host-ports',
  title: 'Containers must not bind host ports',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'baseline',
  // Node access is a node agent's job: only a DaemonSet may carry a waiver for it.
  waivableOn: ['DaemonSet'],
  rationale:
    "A hostPort exposes the container on the node's own address: it bypasses Services and many NetworkPolicy implementations, ties the pod to a node and can shadow node services.",
  remediation:
    'Remove ports[].hostPort (or set it to 0) and expose the container through a Service instead.',
  references: {
    pss: 'hostPorts',
    cis: '5.2.13',
    nsa: 'Network separation and hardening: Network policies',
    polaris: 'hostPortSet',
    kyverno: 'disallow-host-ports',
  },
  admission: {
    validations: [everyContainer({ ok: '!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)', problem: 'binds a host port' })],
  },
  check(pod) {
    const violations: Violation[] = [];
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      const ports = listField(container.container.ports);
      if (ports.malformed) {
        violations.push({ path: `${container.path}.ports`, message: `${describeContainer(container)} sets ports to ${show(container.container.ports)}, which is not a list` });
      }
      const portItems = ports.items;
      for (let index = 0; index < portItems.length; index++) {
        const port = portItems[index];
        const hostPort = asObject(port).hostPort;
        if (!isSet(hostPort) || hostPort === 0) continue;
        violations.push({
          path: `${container.path}.ports[${index}].hostPort`,
          message: `${describeContainer(container)} binds host port ${show(hostPort)}`,
        });
      }
    }
    return violations;
  },
});
