import { permissionRule, probes } from './permission-rule';
import { Severity } from '../../core/types';

/** A PersistentVolume is cluster-scoped storage of any kind, hostPath included: creating one is mounting a node. */
export default permissionRule({
  id: 'rbac-create-persistentvolumes',
  title: 'Roles must not create PersistentVolumes',
  severity: Severity.HIGH,
  // A hostPath or local PersistentVolume mounts a node's filesystem into whichever pod claims it.
  rbac: { probes: probes('', ['persistentvolumes'], ['create']) },
  rationale:
    'Pod Security Admission judges the volumes of pods, not of PersistentVolumes: a subject that may create a PersistentVolume can create a hostPath or local volume over a node\'s root filesystem, claim it from any namespace and mount the node into a pod that passes "restricted".',
  remediation:
    'Remove create on persistentvolumes; let a StorageClass provisioner create volumes, and workloads ask for them with PersistentVolumeClaims. A storage provisioner needs a waiver for rbac-create-persistentvolumes.',
  references: {
    nsa: 'Authentication and authorization: least privilege RBAC',
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation'],
  },
});
