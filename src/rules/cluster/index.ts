/** Rules for the configuration files a cluster operator installs: audit Policy, EncryptionConfiguration, AuthenticationConfiguration, AuthorizationConfiguration, KubeletConfiguration, kubeadm ClusterConfiguration and the control plane's static pod manifests. */
import apiserverAdmissionPlugins from './apiserver-admission-plugins';
import apiserverAuditLog from './apiserver-audit-log';
import apiserverAuthentication from './apiserver-authentication';
import apiserverAuthorizationMode from './apiserver-authorization-mode';
import apiserverEncryptionAtRest from './apiserver-encryption-at-rest';
import apiserverTls from './apiserver-tls';
import auditSecretsMetadataOnly from './audit-secrets-metadata-only';
import controlPlaneBindAddress from './control-plane-bind-address';
import controlPlaneLimits from './control-plane-limits';
import controlPlaneProfiling from './control-plane-profiling';
import controllerManagerCredentials from './controller-manager-credentials';
import encryptionSecretsEncrypted from './encryption-secrets-encrypted';
import etcdClientCertAuth from './etcd-client-cert-auth';
import etcdTlsUrls from './etcd-tls-urls';
import kubeletAnonymousAuth from './kubelet-anonymous-auth';
import kubeletAuthorizationWebhook from './kubelet-authorization-webhook';
import kubeletNodeProtections from './kubelet-node-protections';
import kubeletReadOnlyPort from './kubelet-read-only-port';
import kubeletTls from './kubelet-tls';
import type { Rule } from '../rule';

export const CLUSTER_RULES: readonly Rule[] = [
  apiserverAdmissionPlugins,
  apiserverAuditLog,
  apiserverAuthentication,
  apiserverAuthorizationMode,
  apiserverEncryptionAtRest,
  apiserverTls,
  auditSecretsMetadataOnly,
  controlPlaneBindAddress,
  controlPlaneLimits,
  controlPlaneProfiling,
  controllerManagerCredentials,
  encryptionSecretsEncrypted,
  etcdClientCertAuth,
  etcdTlsUrls,
  kubeletAnonymousAuth,
  kubeletAuthorizationWebhook,
  kubeletNodeProtections,
  kubeletReadOnlyPort,
  kubeletTls,
];
