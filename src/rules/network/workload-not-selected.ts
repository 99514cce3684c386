import { namespaceOf, policiesByNamespace, policySelector, runningPods } from './policy-facts';
import { Severity } from '../../core/types';
import { RUNNING_KINDS } from '../../core/workload-kinds';
import { setRule } from '../rule';

/** A pod that no NetworkPolicy selects is not isolated at all: every connection in and out is allowed. */
export default setRule({
  id: 'net-workload-not-selected',
  title: 'Every workload must be selected by a NetworkPolicy',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  judgesAbsence: true,
  namespaceLevel: true,
  kinds: [...RUNNING_KINDS, 'NetworkPolicy'],
  rationale:
    'NetworkPolicies only restrict the pods they select. A workload whose pod labels no policy of its namespace selects accepts and opens any connection, whatever the policies written for its neighbours.',
  remediation:
    'Add a default-deny NetworkPolicy (`podSelector: {}`) to the namespace and allow the flows the workload needs, or a policy whose podSelector matches its pod labels. In a LockedNamespace every pod is selected by the default deny.',
  references: {
    nsa: 'Network separation and hardening: network policies',
    kubeLinter: 'non-isolated-pod',
    kubeScore: 'pod-networkpolicy',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation'],
  },
  check({ index, settings }) {
    // A policy may sit outside a partial set: only a complete set can show that none selects the pods.
    if (settings.completeSet === false) return [];
    const policies = policiesByNamespace(index);
    return runningPods(index)
      .filter((pod) => !(policies.get(namespaceOf(pod.owner)) ?? []).some((p) => policySelector(p).matches(pod.labels)))
      .map((pod) => ({
        object: pod.owner.object,
        path: `${pod.metadataPath}.labels`,
        message: `no NetworkPolicy of namespace "${namespaceOf(pod.owner)}" in the scanned input selects the pods of ${pod.owner.kind} "${pod.owner.name}"`,
      }));
  },
});
