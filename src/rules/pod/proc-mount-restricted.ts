import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule } from '../rule';
import { PROC_MOUNT_CHECK, procMountViolations } from './support';

/** At restricted, /proc stays masked even for pods in a user namespace. */
export default podRule({
  id: 'pod-proc-mount-restricted',
  title: 'Containers must use the default /proc mount, even in a user namespace',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'restricted',
  overrides: ['pod-proc-mount'],
  rationale:
    'The restricted standard keeps the /proc masking for every pod, including those with spec.hostUsers: false: an unmasked /proc still exposes kernel interfaces that a user namespace does not fully contain.',
  remediation: 'Remove securityContext.procMount or set it to Default on every container.',
  references: {
    pss: 'procMount_restricted',
    nsa: 'Kubernetes Pod security: Hardening container environments',
    kubeLinter: 'unsafe-proc-mount',
    polaris: 'procMount',
    kubesec: 'ProcMount',
  },
  admission: {
    validations: [everyContainer(PROC_MOUNT_CHECK)],
  },
  check(pod) {
    return procMountViolations(pod);
  },
});
