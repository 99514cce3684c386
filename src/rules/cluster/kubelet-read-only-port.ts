import { cisOfRule } from '../../analysis/cluster/control-plane-judge';
import { judgeKubelet } from '../../analysis/cluster/kubelet-settings';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-kubelet-read-only-port';

/** The read-only port serves pod specs and metrics without authentication. */
export default objectRule({
  id: ID,
  title: 'The kubelet read-only port must be disabled (0)',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: ['KubeletConfiguration'],
  rationale:
    'The read-only port (10255) answers without authentication or authorization: anyone on the network reads every pod spec on the node, including environment variables, images and volumes.',
  remediation: 'Set readOnlyPort: 0 or remove it (0 is the default in a KubeletConfiguration file; the KubeletConfig construct writes 0).',
  references: { ...cisOfRule(ID), nsa: 'Protecting the kubelet' },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => (view.apiVersion.startsWith('kubelet.config.k8s.io/') ? judgeKubelet(view.object, ID) : []),
});
