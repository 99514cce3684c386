import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** Node objects steer scheduling and tell the API server where each kubelet is. */
export default permissionRule({
  id: 'rbac-modify-nodes',
  title: 'Roles must not update or patch nodes or nodes/status',
  severity: Severity.HIGH,
  // A node's labels and taints steer which pods land on it; its status names the addresses the API server dials.
  rbac: { probes: probes('', ['nodes', 'nodes/status'], ['update', 'patch']) },
  rationale:
    'Whoever may change a Node can relabel or untaint it so that sensitive pods (and their Secrets) are scheduled onto a node it controls, or taint others to push workloads away; writing nodes/status can rewrite the node\'s addresses so that API server traffic to that kubelet (exec, logs, port-forward) goes elsewhere.',
  remediation:
    'Remove update and patch on nodes and nodes/status; nodes are written by their kubelets (the Node authorizer) and the node controller. A node-management agent needs a waiver for rbac-modify-nodes.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: [
      'https://kubernetes.io/docs/reference/access-authn-authz/node/',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    ],
  },
});
