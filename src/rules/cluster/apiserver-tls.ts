import { cisOfRule, CONTROL_PLANE_KINDS, judgeControlPlane } from '../../analysis/cluster/control-plane-judge';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-apiserver-tls';

/** Old TLS versions and weak suites let a network attacker read or forge API traffic; an unverified kubelet receives exec traffic. */
export default objectRule({
  id: ID,
  title: 'The API server must require TLS 1.2+, strong cipher suites and verify kubelet serving certificates',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: CONTROL_PLANE_KINDS,
  rationale:
    'Without --tls-min-version and --tls-cipher-suites the API server accepts what Go accepts, including CBC suites with known padding-oracle weaknesses; TLS 1.0 and 1.1 are broken. Without --kubelet-certificate-authority the API server sends exec, attach and log traffic, with the caller\'s authority, to whoever answers on a kubelet\'s address.',
  remediation:
    'Set --tls-min-version=VersionTLS12 (or VersionTLS13), --tls-cipher-suites to ECDHE suites with AES-GCM or ChaCha20-Poly1305 only, and --kubelet-certificate-authority to the cluster CA (ControlPlaneConfig does; with kubelet serverTLSBootstrap the kubelets get CA-issued serving certificates).',
  references: { ...cisOfRule(ID), nsa: 'Protect the control plane', links: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => judgeControlPlane(view, ID),
});
