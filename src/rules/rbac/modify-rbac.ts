import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** Whoever writes roles and bindings decides who may do what. */
export default permissionRule({
  id: 'rbac-modify-rbac',
  title: 'Roles must not create or update roles or bindings',
  severity: Severity.HIGH,
  rbac: { probes: probes('rbac.authorization.k8s.io', ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'], ['create', 'update', 'patch']) },
  rationale:
    'Creating or updating Roles, ClusterRoles and their bindings changes the cluster\'s permissions; combined with escalate or bind, or with existing powerful roles, it is a path to cluster-admin.',
  remediation:
    'Manage RBAC through reviewed manifests, not from workloads. Controllers that manage RBAC need a waiver for rbac-modify-rbac.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping'],
  },
});
