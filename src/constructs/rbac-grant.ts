/**
 * Props and structs of AuditedServiceAccount grants (jsii structs: readonly fields, no function types).
 */
import type { Waiver } from '../core/types';

/** One permission an AuditedServiceAccount asks for (one PolicyRule of its Role). */
export interface RbacGrant {
  /** API group of the resources (`''` for the core group, `apps`, `coordination.k8s.io`, ...). */
  readonly apiGroup: string;
  /** Resources, or `resource/subresource` (`pods/log`). Never empty. */
  readonly resources: string[];
  /** Verbs (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, ...). Never empty. */
  readonly verbs: string[];
  /**
   * Limit the grant to these object names. `create` cannot be limited by name (the API server
   * authorizes a create before the object has a name), so a grant with both is rejected.
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
  /**
   * Namespace the grant applies in.
   * @default - the service account's own namespace
   */
  readonly namespace?: string;
  /**
   * Grant through a ClusterRole and ClusterRoleBinding (every namespace and cluster-scoped resources).
   * Needs a waiver for `rbac-cluster-wide-binding`.
   * @default false
   */
  readonly clusterScope?: boolean;
  /**
   * Waivers for the dangerous permissions this grant contains (see docs/rbac.md), each with the reason.
   * @default - none: a dangerous permission fails synth
   */
  readonly waivers?: Waiver[];
}

/** Options of the grant helpers (`allowReadConfigMap`, ...). */
export interface GrantOptions {
  /**
   * Namespace the grant applies in.
   * @default - the service account's own namespace
   */
  readonly namespace?: string;
  /**
   * Also allow list and watch (limited to the named object when the helper takes a name), for clients that
   * watch for changes.
   * @default false
   */
  readonly watch?: boolean;
}

/** Options of `bindClusterRole` (binding an existing ClusterRole such as `view`). */
export interface BindClusterRoleOptions {
  /**
   * Namespace the RoleBinding grants the ClusterRole in.
   * @default - the service account's own namespace
   */
  readonly namespace?: string;
  /**
   * Bind with a ClusterRoleBinding (every namespace). Needs a waiver for `rbac-cluster-wide-binding`.
   * @default false
   */
  readonly clusterScope?: boolean;
  /**
   * Waivers: binding `cluster-admin` needs `rbac-cluster-admin-binding`, `admin` and `edit` need
   * `rbac-admin-edit-binding`, other built-in roles with dangerous grants `rbac-builtin-role-binding`; a waiver for `rbac-dangling-binding` is recorded on the binding for a
   * ClusterRole managed outside the app.
   * @default - none
   */
  readonly waivers?: Waiver[];
}

/** How a workload that really calls the API server gets its token. */
export interface ApiAccess {
  /** Why the workload calls the API server (recorded in the `hardened.cdk8s.io/api-access` annotation; at least 10 characters). */
  readonly reason: string;
  /**
   * Lifetime of the projected token in seconds; the kubelet rotates it before it expires.
   * Between 600 (the API server's minimum) and 86400.
   * @default 3600
   */
  readonly expirationSeconds?: number;
  /**
   * Audience of the token. Set it when the token is presented to something other than the API server.
   * @default - the API server's own audience
   */
  readonly audience?: string;
  /**
   * Where the `token` and `ca.crt` files are mounted (no `namespace` file: pass the namespace through the
   * downward API in an environment variable when the client needs it). The default is where Kubernetes client
   * libraries look for in-cluster credentials.
   * @default '/var/run/secrets/kubernetes.io/serviceaccount'
   */
  readonly mountPath?: string;
}

/** What a pod needs to mount the account's projected token (apply `volume` to the pod and `volumeMount` to its containers). */
export interface ProjectedTokenVolume {
  /** Name of the volume in the pod spec. */
  readonly volumeName: string;
  readonly mountPath: string;
  readonly expirationSeconds: number;
  /** Audience of the token; undefined means the API server's own audience. */
  readonly audience?: string;
  /** Why the workload calls the API server (`apiAccess.reason`), recorded on the pod template as `hardened.cdk8s.io/api-access`. */
  readonly reason: string;
  /** The pod spec volume (`spec.volumes[]` entry) as JSON: a projected token, the cluster CA and the namespace file. */
  readonly volume: any;
  /** The container volume mount (`containers[].volumeMounts[]` entry) as JSON, read-only. */
  readonly volumeMount: any;
}
