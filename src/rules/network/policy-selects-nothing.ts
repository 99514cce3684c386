import { namespaceOf, policySelector, runningPods } from './policy-facts';
import { Severity } from '../../core/types';
import { setRule } from '../rule';

/** A policy whose selector matches no pod protects nothing, usually because of a label typo. */
export default setRule({
  id: 'net-policy-selects-nothing',
  title: 'NetworkPolicies must select at least one workload',
  area: 'network',
  severity: Severity.LOW,
  level: 'restricted',
  judgesAbsence: true,
  kinds: ['NetworkPolicy'],
  rationale:
    'A NetworkPolicy whose podSelector matches no pod of its namespace has no effect; it usually means a label typo or a renamed workload, and the pods it was written for are less isolated than their authors believe.',
  remediation:
    'Fix spec.podSelector to match the pod labels of the intended workload, or delete the policy. Policies with an empty podSelector (namespace-wide defaults) are not reported.',
  references: {
    kubeLinter: 'dangling-networkpolicy',
    kubeScore: 'networkpolicy-targets-pod',
  },
  check({ index, settings }) {
    if (settings.completeSet === false) return [];
    const pods = runningPods(index);
    return index
      .ofKind('NetworkPolicy')
      .filter((policy) => {
        const selector = policySelector(policy);
        // `{}` deliberately selects every pod, present and future: a namespace default, not a dangling policy.
        if (selector.matchesAll) return false;
        const ns = namespaceOf(policy);
        return !pods.some((pod) => namespaceOf(pod.owner) === ns && selector.matches(pod.labels));
      })
      .map((policy) => ({
        object: policy.object,
        path: 'spec.podSelector',
        message: `podSelector ${policySelector(policy).text} matches no pod of namespace "${namespaceOf(policy)}" in the scanned input`,
      }));
  },
});
