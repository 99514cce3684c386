import { containerContextPath, containerSecurityContext, describeContainer, listField, show } from './support';
import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { celList, everyContainer, present } from '../kit/cel';
import { podRule, Violation } from '../rule';

/** Capabilities container runtimes grant by default: adding them back gives nothing new. */
const DEFAULT_CAPABILITIES: ReadonlySet<unknown> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Adding capabilities beyond the runtime default (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ...) hands out kernel powers. */
export default podRule({
  id: 'pod-capabilities-baseline',
  title: 'Containers must not add capabilities beyond the runtime default set',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'baseline',
  rationale:
    'Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE give a process root-like powers over the kernel and other processes; most container escapes start from one of them.',
  remediation:
    'Remove capabilities outside the default set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) from securityContext.capabilities.add. At restricted, pod-capabilities-restricted replaces this rule.',
  references: {
    pss: 'capabilities_baseline',
    cis: '5.2.9',
    nsa: 'Kubernetes Pod security: Pod security enforcement',
    polaris: 'dangerousCapabilities',
    kubesec: 'CapSysAdmin',
    kyverno: 'disallow-capabilities',
  },
  admission: {
    validations: [everyContainer({
      ok: `!(${present('c', 'securityContext.capabilities.add')}) || c.securityContext.capabilities.add.all(cap, cap in ${celList([...DEFAULT_CAPABILITIES] as string[])})`,
      problem: 'adds a capability outside the runtime default set',
    })],
  },
  check(pod) {
    const violations: Violation[] = [];
    for (const container of pod.containers) {
      const add = asObject(containerSecurityContext(container).capabilities).add;
      const { items, malformed } = listField(add);
      if (malformed) {
        violations.push({
          path: containerContextPath(container, 'capabilities.add'),
          message: `${describeContainer(container)} sets securityContext.capabilities.add to ${show(add)}, which is not a list`,
        });
      }
      items.forEach((capability, index) => {
        if (DEFAULT_CAPABILITIES.has(capability)) return;
        violations.push({
          path: containerContextPath(container, `capabilities.add[${index}]`),
          message: `${describeContainer(container)} adds capability ${show(capability)}, which is outside the runtime default set`,
        });
      });
    }
    return violations;
  },
});
