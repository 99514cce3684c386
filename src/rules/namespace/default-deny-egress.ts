import { Severity } from '../../core/types';
import { isolatesWholeNamespace, namespacesLacking, policiesByNamespace } from '../network/policy-facts';
import { setRule } from '../rule';

/** Without a default-deny egress policy a compromised pod can reach anything: other namespaces, the API server, the Internet. */
export default setRule({
  id: 'ns-default-deny-egress',
  title: 'Namespaces must deny egress by default',
  area: 'namespace',
  severity: Severity.MEDIUM,
  level: 'restricted',
  judgesAbsence: true,
  namespaceLevel: true,
  kinds: ['Namespace', 'NetworkPolicy'],
  rationale:
    'Until a NetworkPolicy isolates egress, every pod may connect anywhere: other tenants, cloud metadata endpoints, the API server, the Internet. Egress control limits lateral movement and data exfiltration from a compromised pod.',
  remediation:
    'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Egress]` (and no egress rules) to the namespace, then allow declared flows. LockedNamespace emits it by default, with DNS egress to kube-dns.',
  references: {
    cis: '5.3.2',
    nsa: 'Network separation and hardening: network policies (default deny)',
    kubeScore: 'pod-networkpolicy',
    kyverno: 'add-networkpolicy',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic'],
  },
  check(context) {
    const policies = policiesByNamespace(context.index);
    return namespacesLacking(
      context,
      (ns) => isolatesWholeNamespace(policies.get(ns) ?? [], 'egress'),
      (ns) => `namespace "${ns}" has no NetworkPolicy in the scanned input that selects every pod for Egress (default deny)`,
    );
  },
});
