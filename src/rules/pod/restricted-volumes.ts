import { isSet, podVolumes, show } from './support';
import { asString, isObject } from '../../core/json';
import { Severity } from '../../core/types';
import { celList } from '../kit/cel';
import { podRule } from '../rule';

/** Volume sources the restricted standard allows: none of them reaches the node or a network file system directly. */
const ALLOWED_SOURCES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** Only volume types that keep storage behind the API (claims, config, projected tokens, scratch) are allowed. */
export default podRule({
  id: 'pod-restricted-volumes',
  title: 'Pods may use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'restricted',
  overrides: ['pod-host-path-volumes'],
  rationale:
    'Volume types such as hostPath, nfs, iscsi, rbd or gitRepo let a pod reach the node or storage back ends directly, with credentials or paths the cluster does not control. Persistent storage belongs behind PersistentVolumeClaims, which an administrator provisions.',
  remediation:
    'Use a persistentVolumeClaim bound through a StorageClass (CSI) or to a network PersistentVolume the administrator owns, instead of an inline network or host volume; use emptyDir for scratch space and configMap, secret or projected volumes for configuration. A claim is not safe by itself: one bound to a hostPath or local PersistentVolume still mounts the node (workload-host-persistent-volume reports such PersistentVolumes).',
  references: {
    pss: 'restrictedVolumes',
    cis: '5.2.12',
    nsa: 'Kubernetes Pod security: Pod security enforcement',
    kyverno: 'restrict-volume-types',
  },
  admission: {
    validations: [{
      // Every key of a volume but its name is a volume source: all of them must be allowed ones.
      expression: `!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, v.all(k, k == 'name' || k in ${celList(ALLOWED_SOURCES)}))`,
      message: 'a volume uses a type that is not allowed at restricted',
    }],
  },
  check(pod) {
    const { items, violations } = podVolumes(pod);
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      if (!isObject(item)) {
        violations.push({ path: `${pod.specPath}.volumes[${index}]`, message: `volume #${index} is ${show(item)}, not a volume object` });
        continue;
      }
      const volume = item;
      const name = JSON.stringify(asString(volume.name) ?? `#${index}`);
      const path = `${pod.specPath}.volumes[${index}]`;
      // Every source other than the allowed ones is reported, so a second source hidden beside an allowed one is
      // seen too. A volume without any source is defaulted to emptyDir by the API server, so it is allowed.
      const entries = Object.entries(volume);
      for (let i = 0; i < entries.length; i++) {
        const [key, value] = entries[i];
        if (key === 'name' || !isSet(value) || (ALLOWED_SOURCES.has(key) && isObject(value))) continue;
        violations.push({
          path: `${path}.${key}`,
          message: ALLOWED_SOURCES.has(key)
            ? `volume ${name} sets ${key} to ${show(value)}, which is not an object`
            : `volume ${name} uses volume type ${JSON.stringify(key)}, which is not allowed at restricted`,
        });
      }
    }
    return violations;
  },
});
