import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

/** Resource patterns of an EncryptionConfiguration entry that include core Secrets. */
function coversSecrets(resources: unknown): boolean {
  return asArray(resources).some((r) => {
    const name = asString(r);
    return name === 'secrets' || name === '*.' || name === '*.*';
  });
}

/** Without encryption at rest, anyone who reads etcd or one of its backups reads every Secret in clear text. */
export default objectRule({
  id: 'cluster-encryption-secrets-encrypted',
  title: 'EncryptionConfiguration must encrypt Secrets with a real provider first (identity only last)',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: ['EncryptionConfiguration'],
  rationale:
    'The first provider of an entry encrypts every new write. With identity first (or no entry for secrets) Secrets are stored in etcd in clear text, readable from the datastore, its disks and its backups.',
  remediation:
    'Give secrets an entry whose first provider is kms (apiVersion v2), aesgcm, aescbc or secretbox, with identity last. The EncryptionConfig construct builds exactly this.',
  references: { cis: '1.2.28', nsa: 'Encrypt Secrets at rest', links: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check(view) {
    const entries = asArray(view.object.resources);
    const index = entries.findIndex((e) => coversSecrets(asObject(e).resources));
    if (index < 0) return [{ path: 'resources', message: 'no entry covers secrets: Secrets are stored unencrypted' }];
    const first = asObject(asArray(asObject(entries[index]).providers)[0]);
    const type = Object.keys(first)[0];
    if (type === undefined) return [{ path: `resources[${index}].providers`, message: 'the entry for secrets has no provider' }];
    if (type === 'identity') return [{ path: `resources[${index}].providers[0]`, message: 'identity is the first provider: new Secrets are written unencrypted' }];
    return [];
  },
});
