import { listField, show } from './support';
import { isObject } from '../../core/json';
import { Severity } from '../../core/types';
import { fieldOr } from '../kit/cel';
import { podRule, Violation } from '../rule';

/**
 * A toleration with `operator: Exists` and no key tolerates every taint: the pod may be scheduled on control-plane
 * nodes and on nodes reserved for other tenants, and is never evicted by NoExecute taints.
 */
export default podRule({
  id: 'pod-tolerate-all-taints',
  title: 'Pods must not tolerate every taint',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'restricted',
  rationale:
    'Taints keep workloads off nodes that are not theirs: control-plane nodes (node-role.kubernetes.io/control-plane), nodes dedicated to another tenant or to sensitive workloads, unhealthy nodes. A toleration with operator Exists and no key (or an empty key) matches every taint, so the pod can land on a control-plane node, next to etcd and the API server credentials, where any container escape is a cluster compromise.',
  remediation:
    'Tolerate only the taints the workload needs, each by key (and value or effect): `{ key: dedicated, operator: Equal, value: batch, effect: NoSchedule }`. Node agents that must run everywhere (log shippers, CNI) record a waiver for pod-tolerate-all-taints on their DaemonSet.',
  references: {
    kyverno: 'restrict-controlplane-scheduling',
    links: ['https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/'],
  },
  admission: {
    validations: [{
      expression: `${fieldOr('variables.podSpec', 'tolerations', '[]')}.all(t, !(has(t.operator) && t.operator == 'Exists' && (!has(t.key) || t.key == '')))`,
      message: 'a toleration with operator Exists and no key tolerates every taint (control-plane nodes included)',
    }],
  },
  check(pod) {
    const { items, malformed } = listField(pod.spec.tolerations);
    const path = `${pod.specPath}.tolerations`;
    if (malformed) return [{ path, message: `pod sets tolerations to ${show(pod.spec.tolerations)}, which is not a list` }];
    const violations: Violation[] = [];
    items.forEach((item, index) => {
      if (!isObject(item) || item.operator !== 'Exists') return;
      // A missing or empty key is the wildcard; any other key (even a malformed one) names one taint.
      if (item.key !== undefined && item.key !== '') return;
      violations.push({
        path: `${path}[${index}]`,
        message: `toleration ${index} (operator Exists${item.effect === undefined ? '' : `, effect ${show(item.effect)}`}) has no key, so it tolerates every taint: control-plane and dedicated nodes included`,
      });
    });
    return violations;
  },
});
