/**
 * Which kinds are cluster-scoped: an object of such a kind has no namespace, whatever `kubectl apply -n` says.
 * The built-in kinds of Kubernetes 1.32 (`kubectl api-resources --namespaced=false`), keyed by API group and kind.
 */

const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  '/ComponentStatus',
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'authentication.k8s.io/SelfSubjectReview',
  'authentication.k8s.io/TokenReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'authorization.k8s.io/SubjectAccessReview',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'internal.apiserver.k8s.io/StorageVersion',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'storagemigration.k8s.io/StorageVersionMigration',
]);

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * True when objects of the kind are cluster-scoped. Kinds outside Kubernetes itself cannot be looked up without
 * a cluster: by the convention custom resources follow (cert-manager ClusterIssuer, Kyverno ClusterPolicy), a
 * kind named `Cluster...` is taken as cluster-scoped and any other as namespaced.
 */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  const group = apiGroupOf(apiVersion);
  if (CLUSTER_SCOPED.has(`${group}/${kind}`)) return true;
  if (group === '' || group.endsWith('.k8s.io') || !group.includes('.')) return false;
  return /^Cluster[A-Z]/.test(kind);
}
