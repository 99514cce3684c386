import { asArray, asObject, asString } from '../../core/json';
import { selectorMatches } from '../../core/label-selector';
import { Severity } from '../../core/types';
import { podRule } from '../rule';
import { isReplicated, REPLICATED_KINDS } from './replicas';

/** Replicas on one node or in one zone fail together. */
export default podRule({
  id: 'workload-spread-or-anti-affinity',
  title: 'Replicated workloads must spread their pods across nodes or zones',
  area: 'workload',
  severity: Severity.LOW,
  level: 'restricted',
  kinds: REPLICATED_KINDS,
  rationale:
    'Without topology spread constraints or pod anti-affinity the scheduler may put every replica on one node: one node failure, drain or compromise (a noisy or malicious neighbour) takes the whole service down. A constraint only counts when its labelSelector selects the workload\'s own pods and it names a topologyKey.',
  remediation:
    'Add topologySpreadConstraints (topologyKey kubernetes.io/hostname and/or topology.kubernetes.io/zone, labelSelector matching the pod labels), or podAntiAffinity with such a term (the hardened workload constructs add a spread constraint by default).',
  references: {
    kubeLinter: 'no-anti-affinity',
    polaris: 'topologySpreadConstraint',
    kubeScore: 'deployment-has-host-podantiaffinity',
    links: ['https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/'],
  },
  notAtAdmission: 'whether a workload is replicated depends on its HorizontalPodAutoscaler, another object',
  check(pod, context) {
    if (!isReplicated(pod.owner, context.index)) return [];
    const selectsSelf = (term: unknown) => {
      const t = asObject(term);
      return (asString(t.topologyKey) ?? '') !== '' && selectorMatches('podAffinityTerm', t.labelSelector, pod.labels);
    };
    if (asArray(pod.spec.topologySpreadConstraints).some(selectsSelf)) return [];
    const antiAffinity = asObject(asObject(pod.spec.affinity).podAntiAffinity);
    if (asArray(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution).some(selectsSelf)) return [];
    if (asArray(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution).some((p) => selectsSelf(asObject(p).podAffinityTerm))) return [];
    return [
      {
        path: `${pod.specPath}.topologySpreadConstraints`,
        message: `${pod.owner.kind} "${pod.owner.name}" is replicated but has no topology spread constraint or pod anti-affinity that selects its own pods`,
      },
    ];
  },
});
