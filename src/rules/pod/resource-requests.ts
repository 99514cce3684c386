import { Severity } from '../../core/types';
import { everyContainer } from '../kit/cel';
import { podRule } from '../rule';
import { resourcesCheck, resourceViolations } from './support';

/** Requests let the scheduler reserve what a container needs, so neighbours cannot starve it. */
export default podRule({
  id: 'pod-resource-requests',
  title: 'Containers must request cpu and memory',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'Without requests the scheduler places pods blind and the pod runs as BestEffort, the first to be evicted or starved when a noisy or compromised neighbour takes the node’s CPU and memory.',
  remediation:
    'Set resources.requests.cpu and resources.requests.memory on every container and init container (or on spec.resources for the whole pod). HardenedDeployment requires them. Explicit requests are required even when limits are set, so the manifest states the intent instead of relying on the API copying limits.',
  references: {
    nsa: 'Network separation and hardening: Resource policies',
    kubeLinter: 'unset-cpu-requirements, unset-memory-requirements',
    polaris: 'cpuRequestsMissing, memoryRequestsMissing',
    kubesec: 'RequestsCPU, RequestsMemory',
    kubeScore: 'container-resources',
    kyverno: 'require-requests-limits',
  },
  admission: {
    validations: [everyContainer(resourcesCheck('requests', 'has no cpu or memory request'))],
  },
  check(pod) {
    return resourceViolations(pod, 'requests', 'request');
  },
});
