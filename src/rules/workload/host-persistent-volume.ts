import { asObject, isObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule, Violation } from '../rule';

/** PersistentVolume sources that are a directory or device of one node. */
const NODE_SOURCES: ReadonlyArray<readonly [field: string, what: string]> = [
  ['hostPath', 'a hostPath'],
  ['local', 'a local volume'],
];

/**
 * A PersistentVolume with hostPath or local storage is a node directory behind a claim: every pod that claims it
 * mounts the node, although the pod itself uses only an allowed persistentVolumeClaim volume.
 */
export default objectRule({
  id: 'workload-host-persistent-volume',
  title: 'PersistentVolumes must not be hostPath or local volumes',
  area: 'workload',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['PersistentVolume'],
  rationale:
    'The Pod Security Standards judge a pod\'s own volumes, so a pod with a persistentVolumeClaim passes even when the claim binds a PersistentVolume with spec.hostPath (any path of the node, `/` or the container runtime socket included) or spec.local (a disk or directory of one node). Whoever may create such a PersistentVolume, or claim one left behind, reads and writes the node\'s files from an otherwise restricted pod.',
  remediation:
    'Provision storage through a StorageClass and a CSI driver (or a network volume owned by the administrator). A local PersistentVolume that really is needed (a node-local database disk) records a waiver for workload-host-persistent-volume on the PersistentVolume, with a reason, and is claimed read-only where it can be.',
  references: {
    cis: '5.2.12',
    links: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath', 'https://kubernetes.io/docs/concepts/storage/volumes/#local'],
  },
  admission: {
    validations: [{
      expression: '!has(object.spec) || (!has(object.spec.hostPath) && !has(object.spec.local))',
      message: 'the PersistentVolume is a hostPath or local volume: every pod that claims it mounts the node',
    }],
  },
  check(volume) {
    const spec = asObject(volume.object.spec);
    const violations: Violation[] = [];
    for (const [field, what] of NODE_SOURCES) {
      const source = spec[field];
      if (source === undefined || source === null) continue;
      const path = isObject(source) ? source.path : undefined;
      violations.push({
        path: `spec.${field}`,
        message: `PersistentVolume is ${what}${typeof path === 'string' ? ` of node path ${JSON.stringify(path)}` : ''}: every pod that claims it mounts the node`,
      });
    }
    return violations;
  },
});
