import { describeContainer, isSet, show } from './support';
import { asObject, get } from '../../core/json';
import { Severity } from '../../core/types';
import { everyContainer, present } from '../kit/cel';
import { podRule, Violation } from '../rule';

/** Probe and lifecycle handlers: path below the container, and the field names leading there. */
const HANDLERS: ReadonlyArray<{ readonly path: string; readonly keys: readonly string[] }> = [
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle.postStart',
  'lifecycle.preStop',
].map((path) => ({ path, keys: path.split('.') }));
/** Handler actions that can name a host. */
const ACTIONS: readonly string[] = ['httpGet', 'tcpSocket'];

/** A probe or lifecycle hook with a `host` makes the kubelet connect to any address on the pod's behalf. */
export default podRule({
  id: 'pod-host-probes-lifecycle',
  title: 'Probes and lifecycle hooks must not set a host',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'baseline',
  // Node access is a node agent's job: only a DaemonSet may carry a waiver for it.
  waivableOn: ['DaemonSet'],
  rationale:
    'The kubelet runs httpGet and tcpSocket probes and hooks from the node. A `host` field points those requests at any address the node can reach (metadata services, node-local admin ports, other tenants): a server-side request forgery through the kubelet.',
  remediation:
    'Remove the host field from httpGet and tcpSocket in livenessProbe, readinessProbe, startupProbe and lifecycle.postStart/preStop: the kubelet then targets the pod IP.',
  references: {
    pss: 'hostProbesAndHostLifecycle',
    links: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  admission: {
    validations: [everyContainer({
      ok: HANDLERS.flatMap((h) => ACTIONS.map((a) => `!(${present('c', `${h.path}.${a}.host`)} && c.${h.path}.${a}.host != '')`)).join(' && '),
      problem: 'has a probe or lifecycle hook that sets a host',
    })],
  },
  check(pod) {
    const violations: Violation[] = [];
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      for (let j = 0; j < HANDLERS.length; j++) {
        const handler = HANDLERS[j];
        const value = get(container.container, ...handler.keys);
        for (let k = 0; k < ACTIONS.length; k++) {
          const action = ACTIONS[k];
          const host = asObject(asObject(value)[action]).host;
          if (!isSet(host) || host === '') continue;
          violations.push({
            path: `${container.path}.${handler.path}.${action}.host`,
            message: `${describeContainer(container)} ${handler.path} ${action} targets host ${show(host)}`,
          });
        }
      }
    }
    return violations;
  },
});
