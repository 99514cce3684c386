import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule } from '../rule';
import { PROC_MOUNT_CHECK, procMountViolations, usesUserNamespace } from './support';

/** An unmasked /proc exposes kernel interfaces the runtime hides from containers. */
export default podRule({
  id: 'pod-proc-mount',
  title: 'Containers must use the default /proc mount',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'baseline',
  rationale:
    'The runtime masks and makes read-only parts of /proc (kcore, sysrq-trigger, ...). procMount: Unmasked removes that masking and exposes kernel data and controls to the container.',
  remediation:
    'Remove securityContext.procMount or set it to Default. At baseline, pods with spec.hostUsers: false (user namespaces) may use Unmasked; at restricted, pod-proc-mount-restricted forbids it for every pod.',
  references: {
    pss: 'procMount',
    nsa: 'Kubernetes Pod security: Hardening container environments',
    kubeLinter: 'unsafe-proc-mount',
    polaris: 'procMount',
    kubesec: 'ProcMount',
    kyverno: 'disallow-proc-mount',
  },
  admission: {
    validations: [everyContainer({ ...PROC_MOUNT_CHECK, unless: 'variables.userNamespace' })],
  },
  check(pod) {
    // Inside a user namespace an unmasked /proc belongs to that namespace: the baseline standard allows it (1.35+).
    return usesUserNamespace(pod) ? [] : procMountViolations(pod);
  },
});
