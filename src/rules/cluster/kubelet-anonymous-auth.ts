import { cisOfRule } from '../../analysis/cluster/control-plane-judge';
import { judgeKubelet } from '../../analysis/cluster/kubelet-settings';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-kubelet-anonymous-auth';

/** An anonymous kubelet API lets anyone who reaches port 10250 list pods and, with AlwaysAllow, run commands in them. */
export default objectRule({
  id: ID,
  title: 'The kubelet must not accept anonymous requests',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: ['KubeletConfiguration'],
  rationale:
    'With anonymous authentication on, requests without credentials to the kubelet API (port 10250) run as system:anonymous; exposed kubelets have been used to read pod specs and execute commands in containers.',
  remediation: 'Set authentication.anonymous.enabled: false (the KubeletConfig construct always does).',
  references: { ...cisOfRule(ID), nsa: 'Protecting the kubelet', links: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => (view.apiVersion.startsWith('kubelet.config.k8s.io/') ? judgeKubelet(view.object, ID) : []),
});
