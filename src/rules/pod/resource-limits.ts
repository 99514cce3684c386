import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule } from '../rule';
import { resourcesCheck, resourceViolations } from './support';

/** Limits cap what one container can take from the node: a runaway or hijacked process cannot starve the rest. */
export default podRule({
  id: 'pod-resource-limits',
  title: 'Containers must have cpu and memory limits',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'An unlimited container can consume all CPU and memory of its node (a leak, a fork bomb, a cryptominer after a compromise) and deny service to every other pod there.',
  remediation:
    'Set resources.limits.cpu and resources.limits.memory on every container and init container (or on spec.resources for the whole pod). A LimitRange can default them per namespace, but the checker judges the manifest as written. HardenedDeployment requires them.',
  references: {
    nsa: 'Network separation and hardening: Resource policies',
    kubeLinter: 'unset-cpu-requirements, unset-memory-requirements',
    polaris: 'cpuLimitsMissing, memoryLimitsMissing',
    kubesec: 'LimitsCPU, LimitsMemory',
    kubeScore: 'container-resources',
    kyverno: 'require-requests-limits',
  },
  admission: {
    validations: [everyContainer(resourcesCheck('limits', 'has no cpu or memory limit'))],
  },
  check(pod) {
    return resourceViolations(pod, 'limits', 'limit');
  },
});
