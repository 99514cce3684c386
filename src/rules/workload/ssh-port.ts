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
    for (const pod of context.index.pods()) {
      for (const port of containerPorts(pod)) {
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
    for (const service of context.index.ofKind('Service')) {
      asArray(asObject(service.object.spec).ports).forEach((entry, i) => {
        const port = asObject(entry);
        if ((asString(port.protocol) ?? 'TCP') !== 'TCP') return;
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
      });
    }
    return violations;
  },
});
