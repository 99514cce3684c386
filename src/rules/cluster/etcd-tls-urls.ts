import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-etcd-tls-urls';

/** An http:// listener of etcd bypasses TLS and certificate authentication entirely. */
export default objectRule({
  id: ID,
  title: 'etcd must listen for clients and peers on https:// URLs only',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'Client certificate authentication applies only to TLS listeners: an http:// client URL (etcd\'s own default is http://localhost:2379) serves reads and writes of the whole datastore, Secrets included, to anyone who reaches it, and an http:// peer URL replicates every write in clear text.',
  remediation:
    'Use https:// in --listen-client-urls and --listen-peer-urls with --cert-file/--key-file and --peer-cert-file/--peer-key-file (kubeadm\'s defaults when its extraArgs leave the URLs out).',
  references: { ...cisOfRule(ID), nsa: 'Control plane: etcd', links: ['https://etcd.io/docs/latest/op-guide/security/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
