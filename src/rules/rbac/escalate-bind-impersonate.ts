import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** escalate, bind and impersonate each lead to any permission in the cluster. */
export default permissionRule({
  id: 'rbac-escalate-bind-impersonate',
  title: 'Roles must not grant escalate, bind or impersonate',
  severity: Severity.CRITICAL,
  rbac: {
    // Dangerous on their own, whatever the resource: a custom resource named like a built-in is no excuse.
    anyResourceVerbs: ['escalate', 'bind', 'impersonate'],
    probes: [
      ...probes('rbac.authorization.k8s.io', ['roles', 'clusterroles'], ['escalate', 'bind']),
      ...probes('', ['users', 'groups', 'serviceaccounts'], ['impersonate']),
      ...probes('authentication.k8s.io', ['userextras', 'uids'], ['impersonate']),
    ],
  },
  rationale:
    'escalate lets a subject write roles with more rights than it holds, bind lets it bind any role (cluster-admin included) and impersonate lets it act as any user, group or service account: each is a path to cluster-admin.',
  remediation:
    'Remove the escalate, bind and impersonate verbs (and "*" verbs on roles, clusterroles, users, groups and serviceaccounts). Controllers that manage RBAC need a waiver for rbac-escalate-bind-impersonate with the reason.',
  references: {
    cis: '5.1.8',
    nsa: 'Authentication and authorization: least privilege RBAC',
    kubeLinter: 'escalate-verb-in-role',
    kyverno: 'restrict-escalation-verbs-roles',
    links: [
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-creation-or-update',
    ],
  },
});
