import { findSensitiveLogging, formatResource } from '../../analysis/cluster/audit-analysis';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

/** An audit log that holds Secret values is a second, less protected copy of every credential in the cluster. */
export default objectRule({
  id: 'cluster-audit-secrets-metadata-only',
  title: 'Audit policies must record Secrets, ConfigMaps and token requests at Metadata at most',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: ['Policy'],
  rationale:
    'At Request or RequestResponse the audit log stores the bodies of Secrets, ConfigMaps, TokenReviews and ServiceAccount token requests: credentials end up in log files and log pipelines that are read by far more people than may read Secrets.',
  remediation:
    'Put a rule `level: Metadata` for secrets, configmaps, serviceaccounts/token (group "") and tokenreviews (authentication.k8s.io) before every rule at Request or RequestResponse that could match them. The AuditPolicy construct does this and refuses contributed rules that would log them above Metadata.',
  references: {
    cis: '3.2.2',
    nsa: 'Audit logging and threat detection',
    links: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'],
  },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check(view) {
    if (!view.apiVersion.startsWith('audit.k8s.io/')) return [];
    return findSensitiveLogging(view.object.rules).map((v) => ({
      path: `rules[${v.ruleIndex}].level`,
      message: `rule ${v.ruleIndex} is the first match for some ${formatResource(v.resource)} requests and records them at ${v.level}`,
    }));
  },
});
