import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-etcd-client-cert-auth';

/** etcd without client (or peer) certificate authentication serves the whole cluster state to anyone who reaches it. */
export default objectRule({
  id: ID,
  title: 'etcd must require client and peer certificates, never self-signed auto TLS',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'etcd holds every object of the cluster, Secrets included. Thousands of etcd servers have been found open on the internet; without client certificate authentication anyone who reaches port 2379 reads and writes it, and without peer authentication any host can join as a member. etcd itself defaults to no certificate authentication.',
  remediation:
    'Set --client-cert-auth=true and --peer-client-cert-auth=true and leave --auto-tls and --peer-auto-tls off (kubeadm enables certificate authentication when its extraArgs leave the flags out; ControlPlaneConfig sets them explicitly).',
  references: { ...cisOfRule(ID), nsa: 'Control plane: etcd', links: ['https://etcd.io/docs/latest/op-guide/security/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
