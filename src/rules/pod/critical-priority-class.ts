import { asString } from '../../core/json';
import { Severity } from '../../core/types';
import { celList, fieldIs } from '../kit/cel';
import { podRule } from '../rule';

/** The two priority classes Kubernetes reserves for components that keep nodes and the cluster alive. */
const CRITICAL_CLASSES: readonly string[] = ['system-cluster-critical', 'system-node-critical'];
const SYSTEM_NAMESPACE = 'kube-system';

/** A critical priority lets a pod preempt (evict) almost anything on the node, including the cluster's own components. */
export default podRule({
  id: 'pod-critical-priority-class',
  title: 'Only kube-system pods may use the system-node-critical and system-cluster-critical priority classes',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'system-node-critical (2000001000) and system-cluster-critical (2000000000) are the highest priorities: the scheduler preempts lower-priority pods to place such a pod, and the kubelet evicts them first under node pressure. A tenant workload with one can evict DNS, CNI or monitoring pods (a denial of service on the node or the cluster) and is the last to be evicted itself. Kubernetes reserves them for kube-system; outside it only a ResourceQuota scoped to the class stops them.',
  remediation:
    'Remove spec.priorityClassName or name a PriorityClass of your own with a value below 1000000000. Cluster components that really are critical run in kube-system.',
  references: {
    links: ['https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/', 'https://kubernetes.io/docs/tasks/administer-cluster/guaranteed-scheduling-critical-addon-pods/'],
  },
  admission: {
    validations: [{
      expression: `(${fieldIs('object', 'metadata.namespace', `'${SYSTEM_NAMESPACE}'`)}) || !(has(variables.podSpec.priorityClassName) && variables.podSpec.priorityClassName in ${celList(CRITICAL_CLASSES)})`,
      message: 'a pod outside kube-system uses a system-critical priority class',
    }],
  },
  check(pod) {
    const name = asString(pod.spec.priorityClassName);
    if (name === undefined || !CRITICAL_CLASSES.includes(name) || pod.owner.namespace === SYSTEM_NAMESPACE) return [];
    return [{
      path: `${pod.specPath}.priorityClassName`,
      message: `pod in namespace ${JSON.stringify(pod.owner.namespace ?? 'default')} uses priority class ${name}, which Kubernetes reserves for kube-system components`,
    }];
  },
});
