import { Severity } from '../../core/types';
import { podRule } from '../rule';
import { explicitProfileCel, explicitProfileViolations } from './support';

/** Unconfined seccomp gives the container the kernel's full system call surface. */
export default podRule({
  id: 'pod-seccomp-baseline',
  title: 'seccomp must not be explicitly disabled',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'baseline',
  rationale:
    'A seccomp profile blocks system calls containers never need (keyctl, unshare, ptrace variants, ...), the entry point of many kernel exploits. Unconfined turns that filter off.',
  remediation:
    'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a localhostProfile) at pod or container level, or leave it unset. At restricted, pod-seccomp-restricted replaces this rule and requires a profile.',
  references: {
    pss: 'seccompProfile_baseline',
    cis: '5.7.2',
    nsa: 'Kubernetes Pod security: Hardening container environments',
    kubesec: 'SeccompUnconfined',
    kyverno: 'restrict-seccomp',
  },
  admission: {
    validations: [{ expression: explicitProfileCel('seccompProfile'), message: 'a seccomp profile type is not RuntimeDefault or Localhost' }],
  },
  check(pod) {
    return explicitProfileViolations(pod, 'seccompProfile');
  },
});
