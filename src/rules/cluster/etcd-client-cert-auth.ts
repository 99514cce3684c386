import { Severity } from '../../check/types';
import { kubeadmArg } from '../../cluster/kubeadm-args';
import { objectRule } from '../rule';

/** etcd without client (or peer) certificate authentication serves the whole cluster state to anyone who reaches it. */
export default objectRule({
  id: 'cluster-etcd-client-cert-auth',
  title: 'etcd must require client and peer certificates, never self-signed auto TLS',
  area: 'cluster',
  severity: Severity.CRITICAL,
  level: 'baseline',
  kinds: ['ClusterConfiguration'],
  rationale:
    'etcd holds every object of the cluster, Secrets included. Thousands of etcd servers have been found open on the internet; without client certificate authentication anyone who reaches port 2379 reads and writes it, and without peer authentication any host can join as a member.',
  remediation:
    'Remove client-cert-auth=false, peer-client-cert-auth=false, auto-tls=true and peer-auto-tls=true from etcd.local.extraArgs (kubeadm enables certificate authentication by default; ControlPlaneConfig sets it explicitly).',
  references: { cis: '2.2, 2.3, 2.5, 2.6', nsa: 'Control plane: etcd', links: ['https://etcd.io/docs/latest/op-guide/security/'] },
  notAtAdmission: 'it judges a node or control-plane configuration file, not an object the API server admits',
  check(view) {
    if (!view.apiVersion.startsWith('kubeadm.k8s.io/')) return [];
    const expectations: Array<[string, string]> = [
      ['client-cert-auth', 'true'],
      ['peer-client-cert-auth', 'true'],
      ['auto-tls', 'false'],
      ['peer-auto-tls', 'false'],
    ];
    return expectations.flatMap(([flag, expected]) => {
      const arg = kubeadmArg(view.object, 'etcd.local', flag);
      return arg && arg.value.trim().toLowerCase() !== expected ? [{ path: arg.path, message: `etcd --${flag}=${arg.value} (must be ${expected})` }] : [];
    });
  },
});
