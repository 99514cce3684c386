import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import type { PodView } from '../../core/views';
import { workloadKinds } from '../../core/workload-kinds';
import { podRule, Violation } from '../rule';
import { hostPathVolumes } from './host-volumes';

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/**
 * Host access is a node agent's business. The Pod Security Standards rules (host namespaces, hostPath
 * volumes) flag it everywhere and are waived for a real node agent; this rule adds that outside a
 * DaemonSet it is also a design error, with its own waiver, so that an organisation can lock it
 * (`lockedRules`) and keep host access to DaemonSets only.
 */
export default podRule({
  id: 'workload-host-access-outside-daemonset',
  title: 'Host namespaces and hostPath volumes only in DaemonSets',
  area: 'workload',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: workloadKinds((w) => !w.nodeAgent),
  rationale:
    'A workload that needs the node (its network, processes, IPC or files) is a node agent and belongs in a DaemonSet, where it runs once per node and is reviewed as such. In a Deployment, StatefulSet, Job or bare Pod, host access lands on whichever node the scheduler picks, scales with replicas and is rarely reviewed. The Pod Security Standards rules report host access in every workload; a DaemonSet needs only their waivers, any other workload also needs a waiver for this rule, which an organisation can refuse by locking it. Pods owned by a DaemonSet (ownerReferences) count as DaemonSet pods.',
  remediation:
    'Remove hostNetwork/hostPID/hostIPC and hostPath volumes (use emptyDir, a PersistentVolumeClaim, a ConfigMap or a projected volume), or move the node-level part into a DaemonSet (HardenedDaemonSet, with waivers for the host access it needs).',
  references: {
    nsa: 'Pod security: do not share host namespaces or mount host paths',
    links: ['https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/', 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  admission: {
    validations: [{
      expression: "(object.kind == 'Pod' && has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, o.kind == 'DaemonSet'))"
        + ` || (${HOST_NAMESPACES.map((f) => `!(has(variables.podSpec.${f}) && variables.podSpec.${f} == true)`).join(' && ')}`
        + ' && (!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath))))',
      message: 'a workload that is not a DaemonSet uses host namespaces or hostPath volumes',
    }],
  },
  check(pod) {
    if (ownedByDaemonSet(pod)) return [];
    const where = `${pod.owner.kind} "${pod.owner.name}"`;
    const violations: Violation[] = [];
    for (let i = 0; i < HOST_NAMESPACES.length; i++) {
      const field = HOST_NAMESPACES[i];
      if (pod.spec[field] === true) {
        violations.push({ path: `${pod.specPath}.${field}`, message: `${where} sets ${field}: true outside a DaemonSet` });
      }
    }
    const volumes = hostPathVolumes(pod);
    for (let i = 0; i < volumes.length; i++) {
      const volume = volumes[i];
      violations.push({ path: volume.path, message: `${where} mounts hostPath "${volume.hostPath}" (volume "${volume.name}") outside a DaemonSet` });
    }
    return violations;
  },
});

function ownedByDaemonSet(pod: PodView): boolean {
  if (pod.owner.kind !== 'Pod') return false;
  const owners = asArray(asObject(pod.owner.object.metadata).ownerReferences);
  return owners.some((o) => asString(asObject(o).kind) === 'DaemonSet');
}
