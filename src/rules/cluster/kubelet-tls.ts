import { cisOfRule } from '../../analysis/cluster/control-plane-judge';
import { judgeKubelet } from '../../analysis/cluster/kubelet-settings';
import { CONFIG_FILE_NOT_ADMITTED } from '../../core/config-files';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

const ID = 'cluster-kubelet-tls';

/** The kubelet API runs commands in containers: its clients and its own certificate must be verifiable. */
export default objectRule({
  id: ID,
  title: 'The kubelet must verify clients, serve a CA-issued certificate, rotate certificates and use TLS 1.2+ with strong suites',
  area: 'cluster',
  severity: Severity.HIGH,
  level: 'baseline',
  kinds: ['KubeletConfiguration'],
  rationale:
    'Without a client CA the kubelet cannot verify the API server\'s client certificate, and without webhook authentication it cannot check bearer tokens. A self-signed serving certificate cannot be verified by the API server, so exec and log traffic can be sent to an impostor. A client certificate that is not rotated expires; TLS 1.0/1.1 and CBC suites are broken.',
  remediation:
    'Set authentication.x509.clientCAFile, keep authentication.webhook.enabled and rotateCertificates true, set serverTLSBootstrap: true (or tlsCertFile and tlsPrivateKeyFile), tlsMinVersion: VersionTLS12 and tlsCipherSuites to ECDHE suites with AES-GCM or ChaCha20-Poly1305 (the KubeletConfig construct writes all of these).',
  references: { ...cisOfRule(ID), nsa: 'Protecting the kubelet', links: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/'] },
  notAtAdmission: CONFIG_FILE_NOT_ADMITTED,
  check: (view) => (view.apiVersion.startsWith('kubelet.config.k8s.io/') ? judgeKubelet(view.object, ID) : []),
});
