import { permissionRule } from './permission-rule';
import { Severity } from '../../core/types';

/** A wildcard grants today's and tomorrow's resources and verbs, including every dangerous one. */
export default permissionRule({
  id: 'rbac-no-wildcard',
  title: 'Roles must not use "*" in verbs, resources or apiGroups, nor nonResourceURLs ending in "*"',
  severity: Severity.HIGH,
  rbac: { wildcards: true },
  rationale:
    'A wildcard grants every verb, resource or API group, including custom resources and verbs added later; a nonResourceURL ending in "*" grants every path below it (/logs/*, /debug/*). Least privilege cannot be reviewed when the grant is open-ended.',
  remediation:
    'List the exact verbs, resources, apiGroups and URL paths the workload needs. With AuditedServiceAccount use sa.allow({...}) with explicit values; a wildcard needs a waiver for rbac-no-wildcard.',
  references: {
    cis: '5.1.3',
    nsa: 'Authentication and authorization: least privilege RBAC',
    kubeLinter: 'wildcard-in-rules',
    kyverno: 'restrict-wildcard-verbs',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
  },
});
