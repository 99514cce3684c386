import { cisOfRule } from '../../analysis/cluster/control-plane-judge';
import { judgeKubelet } from '../../analysis/cluster/kubelet-settings';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-kubelet-node-protections';

/** Per-node limits and defaults that keep one pod from taking the node down or running unconfined. */
export default objectRule({
  id: ID,
  title: 'The kubelet must limit pod PIDs, events and idle streams, default to seccomp RuntimeDefault and protect kernel defaults',
  area: 'cluster',
  severity: Severity.MEDIUM,
  level: 'baseline',
  kinds: ['KubeletConfiguration'],
  rationale:
    'Without podPidsLimit a fork bomb in one pod exhausts the node\'s process table; eventRecordQPS 0 lets a flood of events through; a zero stream idle timeout keeps exec sessions open forever. Without seccompDefault containers that name no profile run Unconfined; without protectKernelDefaults the kubelet changes kernel tunables instead of refusing a node that differs; without makeIPTablesUtilChains the iptables chains drift from the network configuration.',
  remediation:
    'Set podPidsLimit to 64 or more, eventRecordQPS to 1 or more, a non-zero streamingConnectionIdleTimeout, seccompDefault: true, protectKernelDefaults: true (with the sysctls set on the node) and keep makeIPTablesUtilChains true (the KubeletConfig construct writes all of these).',
  references: { ...cisOfRule(ID), nsa: 'Protecting the kubelet' },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => (view.apiVersion.startsWith('kubelet.config.k8s.io/') ? judgeKubelet(view.object, ID) : []),
});
