/** Rules for the configuration files a cluster operator installs: audit Policy, EncryptionConfiguration, KubeletConfiguration, kubeadm ClusterConfiguration. */
import apiserverAuthorizationMode from './apiserver-authorization-mode';
import auditSecretsMetadataOnly from './audit-secrets-metadata-only';
import encryptionSecretsEncrypted from './encryption-secrets-encrypted';
import etcdClientCertAuth from './etcd-client-cert-auth';
import kubeletAnonymousAuth from './kubelet-anonymous-auth';
import kubeletAuthorizationWebhook from './kubelet-authorization-webhook';
import kubeletReadOnlyPort from './kubelet-read-only-port';
import type { Rule } from '../rule';

export const CLUSTER_RULES: readonly Rule[] = [
  apiserverAuthorizationMode,
  auditSecretsMetadataOnly,
  encryptionSecretsEncrypted,
  etcdClientCertAuth,
  kubeletAnonymousAuth,
  kubeletAuthorizationWebhook,
  kubeletReadOnlyPort,
];
