import { cisOfRule } from '../../analysis/cluster/control-plane-judge';
import { judgeKubelet } from '../../analysis/cluster/kubelet-settings';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-kubelet-authorization-webhook';

/** AlwaysAllow authorizes every authenticated caller to every kubelet API, including exec into any pod on the node. */
export default objectRule({
  id: ID,
  title: 'The kubelet must authorize requests through the API server (Webhook), never AlwaysAllow',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: ['KubeletConfiguration'],
  rationale:
    'With authorization mode AlwaysAllow any caller the kubelet authenticates may exec into, attach to and read logs of every pod on the node, whatever RBAC says.',
  remediation: 'Set authorization.mode: Webhook (the KubeletConfig construct always does).',
  references: { ...cisOfRule(ID), nsa: 'Protecting the kubelet', links: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => (view.apiVersion.startsWith('kubelet.config.k8s.io/') ? judgeKubelet(view.object, ID) : []),
});
