import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-apiserver-encryption-at-rest';

/** Without an encryption configuration every Secret is stored in etcd in clear text. */
export default objectRule({
  id: ID,
  title: 'The API server must encrypt Secrets at rest (--encryption-provider-config)',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'Without --encryption-provider-config the API server writes Secrets to etcd unencrypted: anyone who reads the datastore, its disks or one of its backups reads every credential in the cluster.',
  remediation:
    'Set --encryption-provider-config to an EncryptionConfiguration whose first provider for secrets is kms, aesgcm, aescbc or secretbox (the EncryptionConfig construct; ControlPlaneConfig sets the flag and mounts the file).',
  references: { ...cisOfRule(ID), nsa: 'Encrypt Secrets at rest', links: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
