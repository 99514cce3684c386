import { listField, podContextPath, podSecurityContext, show } from './support';
import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { celList } from '../kit/cel';
import { podRule, Violation } from '../rule';

/** Namespaced sysctls the Pod Security Standards (policy version 1.37) consider safe. */
const SAFE_SYSCTLS: ReadonlySet<unknown> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

/** Unsafe sysctls change kernel settings that are shared with the node or its other pods. */
export default podRule({
  id: 'pod-sysctls',
  title: 'Pods may set only safe sysctls',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'baseline',
  rationale:
    'Sysctls outside the safe, namespaced set can change kernel behaviour for the whole node (memory, networking, IPC limits) or let one pod starve or attack the others.',
  remediation:
    'Remove sysctls other than the safe set (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_keepalive_time/intvl/probes, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_rmem/wmem, net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat) from spec.securityContext.sysctls.',
  references: {
    pss: 'sysctls',
    nsa: 'Kubernetes Pod security: Hardening container environments',
    kubeLinter: 'unsafe-sysctls',
    kyverno: 'restrict-sysctls',
    links: ['https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'],
  },
  admission: {
    validations: [{
      expression: `!has(variables.podSecurityContext.sysctls) || variables.podSecurityContext.sysctls.all(s, has(s.name) && s.name in ${celList([...SAFE_SYSCTLS] as string[])})`,
      message: 'the pod sets a sysctl outside the safe set',
    }],
  },
  check(pod) {
    const violations: Violation[] = [];
    const raw = podSecurityContext(pod).sysctls;
    const sysctls = listField(raw);
    if (sysctls.malformed) {
      violations.push({ path: podContextPath(pod, 'sysctls'), message: `pod sets securityContext.sysctls to ${show(raw)}, which is not a list` });
    }
    const items = sysctls.items;
    for (let index = 0; index < items.length; index++) {
      const sysctl = items[index];
      const name = asObject(sysctl).name;
      if (SAFE_SYSCTLS.has(name)) continue;
      violations.push({
        path: podContextPath(pod, `sysctls[${index}].name`),
        message: `pod sets sysctl ${show(name)}, which is not in the safe set`,
      });
    }
    return violations;
  },
});
