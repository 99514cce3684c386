import { asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { podRule } from '../rule';
import { isSet, podVolumes } from './support';

/** hostPath volumes mount the node's file system into the pod. */
export default podRule({
  id: 'pod-host-path-volumes',
  title: 'Pods must not mount hostPath volumes',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'baseline',
  // Node access is a node agent's job: only a DaemonSet may carry a waiver for it.
  waivableOn: ['DaemonSet'],
  rationale:
    "A hostPath volume gives the pod the node's files: the container runtime socket, kubelet credentials, /etc or /proc of the host. Writing there, or even reading, is a direct path to taking over the node.",
  remediation:
    'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes (a claim bound to a hostPath or local PersistentVolume still mounts the node: see workload-host-persistent-volume). At restricted, pod-restricted-volumes replaces this rule and allows only those volume types.',
  references: {
    pss: 'hostPathVolumes',
    cis: '5.2.12',
    nsa: 'Kubernetes Pod security: Pod security enforcement',
    polaris: 'hostPathSet',
    kyverno: 'disallow-host-path',
  },
  admission: {
    validations: [{
      expression: '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath))',
      message: 'a volume mounts a host path',
    }],
  },
  check(pod) {
    const { items, violations } = podVolumes(pod);
    items.forEach((volume, index) => {
      const hostPath = asObject(volume).hostPath;
      if (!isSet(hostPath)) return;
      const name = asString(asObject(volume).name) ?? `#${index}`;
      const target = asString(asObject(hostPath).path);
      violations.push({
        path: `${pod.specPath}.volumes[${index}].hostPath`,
        message: `volume ${JSON.stringify(name)} mounts ${target === undefined ? 'a host path' : `host path ${JSON.stringify(target)}`}`,
      });
    });
    return violations;
  },
});
