import { Severity } from '../../core/types';
import { ObjectViolation, setRule } from '../rule';
import { isReplicated, REPLICATED_KINDS, replicaRange } from './replicas';
import { budgetsSelecting } from './selection';

/** Without a disruption budget, a node drain may evict every replica of a service at once. */
export default setRule({
  id: 'workload-pdb-missing',
  title: 'Replicated workloads must have a PodDisruptionBudget',
  area: 'workload',
  severity: Severity.MEDIUM,
  level: 'restricted',
  judgesAbsence: true,
  kinds: REPLICATED_KINDS,
  rationale:
    'Voluntary disruptions (node drains, upgrades, autoscaler scale-down) evict pods without regard for the service they form. A PodDisruptionBudget selecting the pods limits how many are down at once, so an upgrade or an attacker-triggered drain cannot take the whole service offline. A workload is replicated when spec.replicas > 1 or a HorizontalPodAutoscaler may scale it above 1. Only judged on a complete set of objects (the budget may live elsewhere otherwise).',
  remediation:
    'Add a policy/v1 PodDisruptionBudget in the same namespace whose selector matches the pod template labels, with maxUnavailable: 1 (the hardened workload constructs create one when replicas > 1).',
  references: {
    kubeScore: 'deployment-has-poddisruptionbudget',
    polaris: 'missingPodDisruptionBudget',
    kyverno: 'require-pdb',
    links: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
  },
  check(context) {
    if (context.settings.completeSet === false) return [];
    const violations: ObjectViolation[] = [];
    for (const kind of REPLICATED_KINDS) {
      for (const workload of context.index.ofKind(kind)) {
        if (!isReplicated(workload, context.index)) continue;
        if (budgetsSelecting(context.index, workload).length > 0) continue;
        const range = replicaRange(workload, context.index);
        violations.push({
          object: workload.object,
          path: range.autoscaler ? 'spec' : 'spec.replicas',
          message: `${kind} "${workload.name}" runs up to ${range.max} replicas but no PodDisruptionBudget in the scanned input selects its pods`,
        });
      }
    }
    return violations;
  },
});
