import { get } from '../../check/json';
import { Severity } from '../../check/types';
import { objectRule } from '../rule';

/** An anonymous kubelet API lets anyone who reaches port 10250 list pods and, with AlwaysAllow, run commands in them. */
export default objectRule({
  id: 'cluster-kubelet-anonymous-auth',
  title: 'The kubelet must not accept anonymous requests',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: ['KubeletConfiguration'],
  rationale:
    'With anonymous authentication on, requests without credentials to the kubelet API (port 10250) run as system:anonymous; exposed kubelets have been used to read pod specs and execute commands in containers.',
  remediation: 'Set authentication.anonymous.enabled: false (the KubeletConfig construct always does).',
  references: { cis: '4.2.1', nsa: 'Protecting the kubelet', links: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'] },
  notAtAdmission: 'it judges a node or control-plane configuration file, not an object the API server admits',
  check(view) {
    return get(view.object, 'authentication', 'anonymous', 'enabled') === true
      ? [{ path: 'authentication.anonymous.enabled', message: 'the kubelet accepts anonymous requests' }]
      : [];
  },
});
