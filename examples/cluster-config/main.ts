/**
 * Every configuration file a cluster operator installs, from one cdk8s app: one chart per file.
 *   audited-identities.k8s.yaml      -> kubectl apply (an AuditedServiceAccount whose audit rules the policy merges)
 *   audit-policy.k8s.yaml            -> /etc/kubernetes/audit/policy.yaml        (--audit-policy-file)
 *   encryption-config.k8s.yaml       -> /etc/kubernetes/enc/encryption-config.yaml (after envsubst)
 *   authentication-config.k8s.yaml   -> /etc/kubernetes/authn/authentication-config.yaml
 *   audit-webhook.k8s.yaml           -> /etc/kubernetes/audit/webhook.kubeconfig (--audit-webhook-config-file)
 *   kubeadm-config.k8s.yaml          -> kubeadm init --config (ClusterConfiguration + KubeletConfiguration)
 *   security-alerts.k8s.yaml         -> kubectl apply (PrometheusRule)
 *   falco-rules.k8s.yaml             -> kubectl apply (ConfigMap mounted by the Falco chart)
 * Run: CDK8S_OUTDIR=dist npx tsx examples/cluster-config/main.ts
 */
import { App, Chart } from 'cdk8s';
import {
  ApiServerAuthenticationConfig,
  AuditedServiceAccount,
  AuditPolicy,
  AuditWebhookConfig,
  ControlPlaneConfig,
  EncryptionConfig,
  EncryptionKey,
  EncryptionProvider,
  FalcoRules,
  KubeletConfig,
  SecurityAlerts,
} from '../../src';

const app = new App(); // outdir: $CDK8S_OUTDIR, default dist

// The audit policy merges what each audited identity says about itself. The service account is only used
// as a rule source here; its own manifests belong to the app that deploys it.
const audited = new Chart(app, 'audited-identities', { namespace: 'shop' });
const checkout = new AuditedServiceAccount(audited, 'checkout', { owner: 'team-shop', purpose: 'takes orders and charges cards' });
checkout.allowReadSecret('payment-provider-keys');

new AuditPolicy(new Chart(app, 'audit-policy'), 'AuditPolicy', { sources: [checkout], highRiskUsers: ['breakglass-admin'] });

new EncryptionConfig(new Chart(app, 'encryption-config'), 'EncryptionConfig', {
  provider: EncryptionProvider.kmsV2({ name: 'cloud-kms', endpoint: 'unix:///var/run/kms-plugin/socket.sock' }),
  // Data written under the previous static key stays readable until `kubectl replace` rewrites it.
  previousProviders: [EncryptionProvider.aesGcm([EncryptionKey.fromEnvironment('key-2025', 'ENCRYPTION_KEY_2025')])],
  resources: ['secrets', 'configmaps'],
});

new ApiServerAuthenticationConfig(new Chart(app, 'authentication-config'), 'AuthenticationConfig');

// Falco's k8saudit plugin receives the audit events as they are written, so they leave the node.
const auditWebhook = new AuditWebhookConfig(new Chart(app, 'audit-webhook'), 'AuditWebhook', {
  server: 'https://falco-k8saudit.falco.svc.cluster.local:9765/k8s-audit',
  certificateAuthorityFile: '/etc/kubernetes/audit/falco-ca.crt',
  clientCertificateFile: '/etc/kubernetes/pki/audit-webhook-client.crt',
  clientKeyFile: '/etc/kubernetes/pki/audit-webhook-client.key',
});

const kubeadm = new Chart(app, 'kubeadm-config');
new ControlPlaneConfig(kubeadm, 'ClusterConfiguration', {
  kubernetesVersion: 'v1.33.2',
  clusterName: 'prod-eu-1',
  controlPlaneEndpoint: 'k8s-api.prod.example.internal:6443',
  auditWebhook,
});
new KubeletConfig(kubeadm, 'KubeletConfiguration');

new SecurityAlerts(new Chart(app, 'security-alerts'), 'SecurityAlerts', {
  labels: { release: 'kube-prometheus-stack' },
  runbookBaseUrl: 'https://runbooks.example.internal/kubernetes-security',
});

new FalcoRules(new Chart(app, 'falco-rules'), 'FalcoRules', {
  apiClientImages: ['ghcr.io/fluxcd/kustomize-controller'],
  apiClientNamespaces: ['kube-system', 'flux-system', 'monitoring'],
  secretReaders: ['system:serviceaccount:flux-system:kustomize-controller'],
  rbacManagers: ['system:serviceaccount:flux-system:kustomize-controller'],
  privilegedImages: ['quay.io/cilium/cilium', 'docker.io/falcosecurity/falco'],
});

app.synth();
