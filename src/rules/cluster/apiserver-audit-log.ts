import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-apiserver-audit-log';

/** Without an audit policy and a backend the API server keeps no record of who did what. */
export default objectRule({
  id: ID,
  title: 'The API server must audit with a policy file and a log file or webhook backend, and keep the log long enough',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'The API server audits nothing by default: without --audit-policy-file no event is recorded, and without --audit-log-path or --audit-webhook-config-file recorded events go nowhere. A log file that is rotated away after a day or a few megabytes loses the evidence of an intrusion found weeks later.',
  remediation:
    'Set --audit-policy-file (the AuditPolicy construct), --audit-log-path and/or --audit-webhook-config-file (AuditWebhookConfig), and with a log file --audit-log-maxage of 30 or more, --audit-log-maxbackup of 10 or more and --audit-log-maxsize of 100 or more (ControlPlaneConfig writes these).',
  references: { ...cisOfRule(ID), nsa: 'Audit logging and threat detection', links: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
