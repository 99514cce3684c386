/**
 * Which API versions a Kubernetes minor version serves: the built-in group/version/kinds that were removed, or are
 * deprecated, with the release of each step. Read by workload-removed-api and workload-deprecated-api.
 *
 * Removals follow the Kubernetes Deprecated API Migration Guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/, "Removed APIs by release"); the release an
 * API was deprecated in is the one the API server's own warning names ("deprecated in v1.N+"), from the API's
 * prerelease-lifecycle tags.
 */

/** The oldest Kubernetes minor the library's output targets (ValidatingAdmissionPolicy v1, appArmorProfile). */
export const DEFAULT_KUBERNETES_VERSION = '1.30';

/** One API version of one kind and its lifecycle; versions are minors of Kubernetes 1.x. */
export interface ApiLifecycle {
  readonly apiVersion: string;
  readonly kind: string;
  /** Minor version whose API server warns on every request. */
  readonly deprecatedIn: number;
  /** Minor version that no longer serves it; unset for deprecated GA APIs kept for compatibility. */
  readonly removedIn?: number;
  /** What to write instead (`apps/v1`), or the alternative when the kind itself is gone. */
  readonly replacement: string;
}

type Removal = number | undefined;
const entry = (apiVersion: string, kinds: readonly string[], deprecatedIn: number, removedIn: Removal, replacement: string): ApiLifecycle[] =>
  kinds.map((kind) => ({ apiVersion, kind, deprecatedIn, removedIn, replacement }));

export const API_LIFECYCLE: readonly ApiLifecycle[] = [
  // Removed in 1.16.
  ...entry('extensions/v1beta1', ['NetworkPolicy'], 9, 16, 'networking.k8s.io/v1'),
  ...entry('extensions/v1beta1', ['PodSecurityPolicy'], 10, 16, 'policy/v1beta1 (itself removed in 1.25: use Pod Security Admission)'),
  ...entry('extensions/v1beta1', ['DaemonSet', 'Deployment', 'ReplicaSet'], 9, 16, 'apps/v1'),
  ...entry('apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet'], 9, 16, 'apps/v1'),
  ...entry('apps/v1beta2', ['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet'], 9, 16, 'apps/v1'),
  // Removed in 1.22.
  ...entry('admissionregistration.k8s.io/v1beta1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], 16, 22, 'admissionregistration.k8s.io/v1'),
  ...entry('apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], 16, 22, 'apiextensions.k8s.io/v1'),
  ...entry('apiregistration.k8s.io/v1beta1', ['APIService'], 19, 22, 'apiregistration.k8s.io/v1'),
  ...entry('authentication.k8s.io/v1beta1', ['TokenReview'], 19, 22, 'authentication.k8s.io/v1'),
  ...entry('authorization.k8s.io/v1beta1', ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], 19, 22, 'authorization.k8s.io/v1'),
  ...entry('certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], 19, 22, 'certificates.k8s.io/v1'),
  ...entry('coordination.k8s.io/v1beta1', ['Lease'], 19, 22, 'coordination.k8s.io/v1'),
  ...entry('extensions/v1beta1', ['Ingress'], 14, 22, 'networking.k8s.io/v1'),
  ...entry('networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], 19, 22, 'networking.k8s.io/v1'),
  ...entry('rbac.authorization.k8s.io/v1beta1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], 17, 22, 'rbac.authorization.k8s.io/v1'),
  ...entry('scheduling.k8s.io/v1beta1', ['PriorityClass'], 14, 22, 'scheduling.k8s.io/v1'),
  ...entry('storage.k8s.io/v1beta1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 19, 22, 'storage.k8s.io/v1'),
  // Removed in 1.25.
  ...entry('batch/v1beta1', ['CronJob'], 21, 25, 'batch/v1'),
  ...entry('discovery.k8s.io/v1beta1', ['EndpointSlice'], 21, 25, 'discovery.k8s.io/v1'),
  ...entry('events.k8s.io/v1beta1', ['Event'], 19, 25, 'events.k8s.io/v1'),
  ...entry('autoscaling/v2beta1', ['HorizontalPodAutoscaler'], 22, 25, 'autoscaling/v2'),
  ...entry('policy/v1beta1', ['PodDisruptionBudget'], 21, 25, 'policy/v1'),
  ...entry('policy/v1beta1', ['PodSecurityPolicy'], 21, 25, 'Pod Security Admission (namespace labels pod-security.kubernetes.io/*) or a policy engine; the kind has no successor'),
  ...entry('node.k8s.io/v1beta1', ['RuntimeClass'], 22, 25, 'node.k8s.io/v1'),
  // Removed in 1.26.
  ...entry('flowcontrol.apiserver.k8s.io/v1beta1', ['FlowSchema', 'PriorityLevelConfiguration'], 23, 26, 'flowcontrol.apiserver.k8s.io/v1'),
  ...entry('autoscaling/v2beta2', ['HorizontalPodAutoscaler'], 23, 26, 'autoscaling/v2'),
  // Removed in 1.27.
  ...entry('storage.k8s.io/v1beta1', ['CSIStorageCapacity'], 24, 27, 'storage.k8s.io/v1'),
  // Removed in 1.29.
  ...entry('flowcontrol.apiserver.k8s.io/v1beta2', ['FlowSchema', 'PriorityLevelConfiguration'], 26, 29, 'flowcontrol.apiserver.k8s.io/v1'),
  // Removed in 1.32.
  ...entry('flowcontrol.apiserver.k8s.io/v1beta3', ['FlowSchema', 'PriorityLevelConfiguration'], 29, 32, 'flowcontrol.apiserver.k8s.io/v1'),
  // Deprecated GA APIs that are still served.
  ...entry('v1', ['ComponentStatus'], 19, undefined, 'the API server\'s /livez and /readyz endpoints and the components\' own health endpoints'),
  ...entry('v1', ['Endpoints'], 33, undefined, 'discovery.k8s.io/v1 EndpointSlice'),
];

/** Every kind with an entry, sorted (the kinds the rules judge). */
export const LIFECYCLE_KINDS: readonly string[] = [...new Set(API_LIFECYCLE.map((e) => e.kind))].sort();

const BY_KEY = new Map(API_LIFECYCLE.map((e) => [`${e.apiVersion}\u0000${e.kind}`, e]));

/** The lifecycle entry of an apiVersion and kind, if it was ever deprecated. */
export function lifecycleOf(apiVersion: string, kind: string): ApiLifecycle | undefined {
  return BY_KEY.get(`${apiVersion}\u0000${kind}`);
}

const VERSION = /^v?1\.(0|[1-9][0-9]?)(\.(0|[1-9][0-9]*))?$/;

/**
 * Why a targeted Kubernetes version is unusable (`1.30`, `v1.30` and `1.30.2` are accepted), or undefined.
 * Only 1.x minors up to 99 exist in the table's world; anything else is a typo that must not pass silently.
 */
export function kubernetesVersionError(value: unknown): string | undefined {
  if (typeof value === 'string' && VERSION.test(value.trim())) return undefined;
  return `${JSON.stringify(value)} is not a Kubernetes version like 1.30 (major.minor, optionally with v and a patch)`;
}

/** The minor of a targeted version (`1.30` -> 30); throws the error of kubernetesVersionError on a bad one. */
export function kubernetesMinor(value: string | undefined): number {
  const version = value ?? DEFAULT_KUBERNETES_VERSION;
  const error = kubernetesVersionError(version);
  if (error) throw new Error(`kubernetesVersion: ${error}`);
  return Number(VERSION.exec(version.trim())![1]);
}

/** Where an API stands at a targeted minor: removed, deprecated (still served), or current. */
export function apiStatus(api: ApiLifecycle, minor: number): 'removed' | 'deprecated' | 'served' {
  if (api.removedIn !== undefined && minor >= api.removedIn) return 'removed';
  return minor >= api.deprecatedIn ? 'deprecated' : 'served';
}
