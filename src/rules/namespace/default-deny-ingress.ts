import { Severity } from '../../core/types';
import { isolatesWholeNamespace, namespacesLacking, policiesByNamespace } from '../network/policy-facts';
import { setRule } from '../rule';

/** Without a default-deny ingress policy every pod of the namespace accepts connections from anywhere. */
export default setRule({
  id: 'ns-default-deny-ingress',
  title: 'Namespaces must deny ingress by default',
  area: 'namespace',
  severity: Severity.HIGH,
  level: 'restricted',
  judgesAbsence: true,
  namespaceLevel: true,
  kinds: ['Namespace', 'NetworkPolicy'],
  rationale:
    'Kubernetes lets every pod accept connections from every other pod and from outside the cluster until a NetworkPolicy isolates it. A compromised pod anywhere in the cluster can then reach every service of the namespace.',
  remediation:
    'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` (and no ingress rules) to the namespace, then allow declared flows. LockedNamespace emits it by default.',
  references: {
    cis: '5.3.2',
    nsa: 'Network separation and hardening: network policies (default deny)',
    kubeScore: 'pod-networkpolicy',
    kyverno: 'add-networkpolicy',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic'],
  },
  check(context) {
    const policies = policiesByNamespace(context.index);
    return namespacesLacking(
      context,
      (ns) => isolatesWholeNamespace(policies.get(ns) ?? [], 'ingress'),
      (ns) => `namespace "${ns}" has no NetworkPolicy in the scanned input that selects every pod for Ingress (default deny)`,
    );
  },
});
