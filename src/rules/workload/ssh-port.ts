import { asArray, asNumber, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { WORKLOAD_KINDS } from '../../core/workload-kinds';
import { ObjectViolation, setRule } from '../rule';
import { containerPorts } from './container-ports';

const SSH_PORT = 22;

/** An SSH server in a container is a second, unmanaged way in. */
export default setRule({
  id: 'workload-ssh-port',
  title: 'No SSH port (22) exposed by containers or Services',
  area: 'workload',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: [...WORKLOAD_KINDS, 'Service'],
  rationale:
    'An SSH server inside a container is an access path that bypasses Kubernetes authentication, RBAC and audit logging, usually with long-lived keys or passwords, and is a favourite target of brute-force attacks. Flagged: a TCP container port 22 or named "ssh", and a Service port or targetPort 22 (or a targetPort named "ssh").',
  remediation:
    'Remove the SSH server and port; use `kubectl exec` or ephemeral debug containers (audited, RBAC-controlled) instead. A real SSH service (e.g. a Git server) needs a waiver for workload-ssh-port.',
  references: {
    kubeLinter: 'ssh-port',
  },
  check(context) {
    const violations: ObjectViolation[] = [];
    const pods = context.index.pods();
    for (let pi = 0; pi < pods.length; pi++) {
      const pod = pods[pi];
      const ports = containerPorts(pod);
      for (let j = 0; j < ports.length; j++) {
        const port = ports[j];
        const isSsh = (port.containerPort === SSH_PORT && port.protocol === 'TCP') || port.name === 'ssh';
        if (isSsh) {
          violations.push({
            object: pod.owner.object,
            path: port.path,
            message: `container "${port.container.name}" exposes the SSH port (${port.name ?? port.containerPort})`,
          });
        }
      }
    }
    const services = context.index.ofKind('Service');
    for (let si = 0; si < services.length; si++) {
      const service = services[si];
      const entries = asArray(asObject(service.object.spec).ports);
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i];
        const port = asObject(entry);
        if ((asString(port.protocol) ?? 'TCP') !== 'TCP') continue;
        const number = asNumber(port.port);
        const target = port.targetPort;
        const targetsSsh = target === SSH_PORT || target === String(SSH_PORT) || target === 'ssh';
        if (number === SSH_PORT || targetsSsh) {
          violations.push({
            object: service.object,
            path: `spec.ports[${i}]`,
            message: `Service "${service.name}" exposes the SSH port (port ${number ?? '?'}, targetPort ${String(target ?? number ?? '?')})`,
          });
        }
      }
    }
    return violations;
  },
});
