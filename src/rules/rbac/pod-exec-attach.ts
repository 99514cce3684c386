import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** exec, attach, port-forward and ephemeral containers run code or open sockets inside other pods. */
export default permissionRule({
  id: 'rbac-pod-exec-attach',
  title: 'Roles must not grant pods/exec, pods/attach, pods/portforward or pods/ephemeralcontainers',
  severity: Severity.HIGH,
  rbac: {
    probes: [
      ...probes('', ['pods/exec', 'pods/attach', 'pods/portforward'], ['create', 'get']),
      ...probes('', ['pods/ephemeralcontainers'], ['update', 'patch']),
    ],
  },
  rationale:
    'These subresources give a shell, a terminal or a network tunnel into running pods (or add a debug container to them), with the pod\'s identity, secrets and network position.',
  remediation:
    'Remove the subresources from workload roles; keep them for break-glass human roles. A workload that needs them needs a waiver for rbac-pod-exec-attach.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  },
});
