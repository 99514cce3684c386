import { bindingRule, subjectsAdmission } from './binding-rule';
import { BINDING_KINDS } from './permission-rule';
import { PUBLIC_SUBJECTS } from '../../analysis/rbac/dangerous';
import { Severity } from '../../core/types';

/** Binding the anonymous user or the all-users groups grants a role to the whole network. */
export default bindingRule({
  id: 'rbac-anonymous-binding',
  title: 'Bindings must not name system:anonymous, system:unauthenticated, system:authenticated or the system:serviceaccounts groups',
  severity: Severity.CRITICAL,
  kinds: BINDING_KINDS,
  admission: subjectsAdmission(PUBLIC_SUBJECTS, 'the binding names system:anonymous, system:unauthenticated, system:authenticated or a system:serviceaccounts group'),
  rationale:
    'system:anonymous and system:unauthenticated are every caller that reaches the API server without credentials; system:authenticated is every identity with any credential, every service account included. system:serviceaccounts is every service account of the cluster and system:serviceaccounts:<namespace> every one of a namespace, so every pod there, whoever deployed it.',
  remediation: 'Bind named users, groups or service accounts (one ServiceAccount per workload) instead. A public endpoint grant needs a waiver for rbac-anonymous-binding.',
  references: {
    nsa: 'Authentication and authorization: disable anonymous access',
    kyverno: 'restrict-binding-system-groups',
    links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles'],
  },
});
