import { asNumber, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule, Violation } from '../rule';
import { replicaRange } from './replicas';
import { workloadsSelectedBy } from './selection';

/** A budget that allows no eviction blocks node drains and upgrades forever. */
export default objectRule({
  id: 'workload-pdb-no-disruption',
  title: 'PodDisruptionBudgets must allow at least one disruption',
  area: 'workload',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['PodDisruptionBudget'],
  rationale:
    'maxUnavailable 0 (or 0%), minAvailable 100%, or an integer minAvailable at or above the replicas of the workload it selects means no pod may ever be evicted: node drains hang, security patches to nodes and Kubernetes upgrades stall, and operators end up deleting the budget under pressure.',
  remediation: 'Use maxUnavailable: 1 (or a percentage above 0), or a minAvailable below the workload\'s replica count.',
  references: {
    kubeLinter: 'pdb-max-unavailable',
    kyverno: 'pdb-maxunavailable',
    links: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions'],
  },
  notAtAdmission: 'minAvailable is judged against the replicas of the workloads the budget selects, which are other objects',
  check(pdb, context) {
    const spec = asObject(pdb.object.spec);
    const violations: Violation[] = [];
    const maxUnavailable = spec.maxUnavailable;
    if (maxUnavailable === 0 || percent(maxUnavailable) === 0) {
      violations.push({ path: 'spec.maxUnavailable', message: `PodDisruptionBudget "${pdb.name}" has maxUnavailable ${String(maxUnavailable)}: no pod may ever be evicted` });
    }
    const minAvailable = spec.minAvailable;
    if (percent(minAvailable) === 100) {
      violations.push({ path: 'spec.minAvailable', message: `PodDisruptionBudget "${pdb.name}" has minAvailable 100%: no pod may ever be evicted` });
    }
    const minCount = asNumber(minAvailable);
    if (minCount !== undefined) {
      for (const workload of workloadsSelectedBy(context.index, spec.selector, pdb.namespace)) {
        const replicas = replicaRange(workload, context.index).min;
        // A workload scaled to zero has nothing to evict; one with pods must be able to lose one.
        if (replicas > 0 && minCount >= replicas) {
          violations.push({
            path: 'spec.minAvailable',
            message: `PodDisruptionBudget "${pdb.name}" has minAvailable ${minCount} but ${workload.kind} "${workload.name}" runs ${replicas} replica(s): no pod may be evicted`,
          });
        }
      }
    }
    return violations;
  },
});

/** The percentage of a `"NN%"` value, else undefined. */
function percent(value: unknown): number | undefined {
  const match = /^(\d+)%$/.exec(asString(value) ?? '');
  return match ? Number(match[1]) : undefined;
}
