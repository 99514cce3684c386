/**
 * The ClusterRoles every Kubernetes cluster creates at start-up (the RBAC bootstrap policy), as data: what each
 * grants, its labels and, for admin/edit/view, its aggregation. The one place the library knows built-in roles:
 * the binding rules judge a binding to a built-in role by these grants, and the access matrix and `canI` resolve
 * a roleRef missing from the set (and aggregation) through it.
 *
 * Facts from upstream's generated testdata, plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml
 * (kubernetes/kubernetes 025f283) and controller-roles.yaml (008b365), the development branch after v1.34: roles
 * of alpha features (system:controller:device-taint-eviction-controller) are listed as the testdata lists them,
 * and an older cluster lacks some. Written here in a compact form of our own; the API server reconciles these
 * roles at every start (annotation rbac.authorization.kubernetes.io/autoupdate), so a manifest cannot redefine them.
 */
import type { LabelSelector, PolicyRule } from './model';

/** Version of the upstream bootstrap policy this table reflects. */
export const BOOTSTRAP_POLICY_VERSION = 'Kubernetes v1.34+, upstream testdata at 008b365';

/** The group the API server authorizes for everything before RBAC is asked (and bound to cluster-admin). */
export const PRIVILEGED_GROUP = 'system:masters';

export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';
const BOOTSTRAPPING = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

export interface BootstrapClusterRole {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly rules: readonly PolicyRule[];
  /** admin, edit and view are aggregated: their rules are those of the ClusterRoles their selectors match. */
  readonly aggregationSelectors?: readonly LabelSelector[];
}

const list = (text: string) => (text === '' ? [] : text.split(' ').map((g) => (g === 'core' ? '' : g)));

/** One resource rule: space-separated apiGroups (`core` is the core group ''), resources, verbs, resourceNames. */
const r = (apiGroups: string, resources: string, verbs: string, resourceNames = ''): PolicyRule => ({
  apiGroups: list(apiGroups),
  resources: list(resources),
  verbs: list(verbs),
  resourceNames: list(resourceNames),
  nonResourceURLs: [],
});

/** One non-resource rule. */
const url = (urls: string, verbs: string): PolicyRule => ({
  apiGroups: [],
  resources: [],
  verbs: list(verbs),
  resourceNames: [],
  nonResourceURLs: list(urls),
});

const READ = 'get list watch';
const WRITE = 'create delete deletecollection patch update';
const ALL = 'create delete deletecollection get list patch update watch';
/** The event recording rule nearly every controller has. */
const EVENTS = r('core events.k8s.io', 'events', 'create patch update');

const role = (name: string, rules: PolicyRule[], labels: Record<string, string> = {}): BootstrapClusterRole => ({
  name,
  labels: { ...BOOTSTRAPPING, ...labels },
  rules,
});

const aggregated = (name: string, label: string, labels: Record<string, string>): BootstrapClusterRole => ({
  name,
  labels: { ...BOOTSTRAPPING, ...labels },
  rules: [],
  aggregationSelectors: [{ matchLabels: { [label]: 'true' }, matchExpressions: [] }],
});

const controller = (name: string, rules: PolicyRule[]) => role(`system:controller:${name}`, rules);

const approver = (name: string, signer: string) => role(`system:certificates.k8s.io:${name}`, [r('certificates.k8s.io', 'signers', 'approve', signer)]);

export const BOOTSTRAP_CLUSTER_ROLES: readonly BootstrapClusterRole[] = [
  role('cluster-admin', [r('*', '*', '*'), url('*', '*')]),
  aggregated('admin', AGGREGATE_TO_ADMIN, {}),
  aggregated('edit', AGGREGATE_TO_EDIT, { [AGGREGATE_TO_ADMIN]: 'true' }),
  aggregated('view', AGGREGATE_TO_VIEW, { [AGGREGATE_TO_EDIT]: 'true' }),
  role(
    'system:aggregate-to-admin',
    [r('authorization.k8s.io', 'localsubjectaccessreviews', 'create'), r('rbac.authorization.k8s.io', 'rolebindings roles', ALL)],
    { [AGGREGATE_TO_ADMIN]: 'true' },
  ),
  role(
    'system:aggregate-to-edit',
    [
      r('core', 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy', READ),
      r('core', 'serviceaccounts', 'impersonate'),
      r('core', 'pods pods/attach pods/exec pods/portforward pods/proxy', WRITE),
      r('core', 'pods/eviction', 'create'),
      r('core', 'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy', WRITE),
      r('core', 'serviceaccounts/token', 'create'),
      r('apps', 'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale', WRITE),
      r('autoscaling', 'horizontalpodautoscalers', WRITE),
      r('batch', 'cronjobs jobs', WRITE),
      r('extensions', 'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale', WRITE),
      r('policy', 'poddisruptionbudgets', WRITE),
      r('networking.k8s.io', 'ingresses networkpolicies', WRITE),
      r('coordination.k8s.io', 'leases', ALL),
    ],
    { [AGGREGATE_TO_EDIT]: 'true' },
  ),
  role(
    'system:aggregate-to-view',
    [
      r('core', 'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status', READ),
      r('core', 'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status', READ),
      r('core', 'namespaces', READ),
      r('discovery.k8s.io', 'endpointslices', READ),
      r('apps', 'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status', READ),
      r('autoscaling', 'horizontalpodautoscalers horizontalpodautoscalers/status', READ),
      r('batch', 'cronjobs cronjobs/status jobs jobs/status', READ),
      r('extensions', 'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale', READ),
      r('policy', 'poddisruptionbudgets poddisruptionbudgets/status', READ),
      r('networking.k8s.io', 'ingresses ingresses/status networkpolicies', READ),
    ],
    { [AGGREGATE_TO_VIEW]: 'true' },
  ),
  role('system:auth-delegator', [r('authentication.k8s.io', 'tokenreviews', 'create'), r('authorization.k8s.io', 'subjectaccessreviews', 'create')]),
  role('system:basic-user', [r('authorization.k8s.io', 'selfsubjectaccessreviews selfsubjectrulesreviews', 'create'), r('authentication.k8s.io', 'selfsubjectreviews', 'create')]),
  role('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [r('certificates.k8s.io', 'certificatesigningrequests/nodeclient', 'create')]),
  role('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [r('certificates.k8s.io', 'certificatesigningrequests/selfnodeclient', 'create')]),
  approver('kube-apiserver-client-approver', 'kubernetes.io/kube-apiserver-client'),
  approver('kube-apiserver-client-kubelet-approver', 'kubernetes.io/kube-apiserver-client-kubelet'),
  approver('kubelet-serving-approver', 'kubernetes.io/kubelet-serving'),
  approver('legacy-unknown-approver', 'kubernetes.io/legacy-unknown'),
  role('system:discovery', [url('/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/', 'get')]),
  role('system:heapster', [r('core', 'events namespaces nodes pods', READ), r('extensions', 'deployments', READ)]),
  role('system:kube-aggregator', [r('core', 'endpoints services', READ)]),
  role('system:kube-controller-manager', [
    EVENTS,
    r('coordination.k8s.io', 'leases', 'create'),
    r('coordination.k8s.io', 'leases', 'get update', 'kube-controller-manager'),
    r('core', 'secrets serviceaccounts', 'create'),
    r('core', 'secrets', 'delete'),
    r('core', 'configmaps namespaces secrets serviceaccounts', 'get'),
    r('core', 'secrets serviceaccounts', 'update'),
    r('authentication.k8s.io', 'tokenreviews', 'create'),
    r('authorization.k8s.io', 'subjectaccessreviews', 'create'),
    r('*', '*', 'list watch'),
    r('core', 'serviceaccounts/token', 'create'),
  ]),
  role('system:kube-dns', [r('core', 'endpoints services', 'list watch')]),
  role('system:kube-scheduler', [
    EVENTS,
    r('coordination.k8s.io', 'leases', 'create'),
    r('coordination.k8s.io', 'leases', 'get update', 'kube-scheduler'),
    r('core', 'nodes', READ),
    r('core', 'pods', 'delete get list watch'),
    r('core', 'bindings pods/binding', 'create'),
    r('core', 'pods/status', 'patch update'),
    r('core', 'replicationcontrollers services', READ),
    r('apps extensions', 'replicasets', READ),
    r('apps', 'statefulsets', READ),
    r('policy', 'poddisruptionbudgets', READ),
    r('core', 'persistentvolumeclaims persistentvolumes', READ),
    r('authentication.k8s.io', 'tokenreviews', 'create'),
    r('authorization.k8s.io', 'subjectaccessreviews', 'create'),
    r('storage.k8s.io', 'csinodes', READ),
    r('core', 'namespaces', READ),
    r('storage.k8s.io', 'csidrivers', READ),
    r('storage.k8s.io', 'csistoragecapacities', READ),
  ]),
  role('system:kubelet-api-admin', [
    r('core', 'nodes', READ),
    r('core', 'nodes', 'proxy'),
    r('core', 'nodes/log nodes/metrics nodes/proxy nodes/stats', '*'),
  ]),
  role('system:monitoring', [url('/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*', 'get')]),
  role('system:node', [
    r('authentication.k8s.io', 'tokenreviews', 'create'),
    r('authorization.k8s.io', 'localsubjectaccessreviews subjectaccessreviews', 'create'),
    r('core', 'services', READ),
    r('core', 'nodes', 'create get list watch'),
    r('core', 'nodes/status', 'patch update'),
    r('core', 'nodes', 'patch update'),
    r('core', 'events', 'create patch update'),
    r('core', 'pods', READ),
    r('core', 'pods', 'create delete'),
    r('core', 'pods/status', 'patch update'),
    r('core', 'pods/eviction', 'create'),
    r('core', 'configmaps secrets', READ),
    r('core', 'persistentvolumeclaims persistentvolumes', 'get'),
    r('core', 'endpoints', 'get'),
    r('certificates.k8s.io', 'certificatesigningrequests', 'create get list watch'),
    r('coordination.k8s.io', 'leases', 'create delete get patch update'),
    r('storage.k8s.io', 'volumeattachments', 'get'),
    r('core', 'serviceaccounts/token', 'create'),
    r('core', 'persistentvolumeclaims/status', 'get patch update'),
    r('storage.k8s.io', 'csidrivers', READ),
    r('storage.k8s.io', 'csinodes', 'create delete get patch update'),
    r('node.k8s.io', 'runtimeclasses', READ),
  ]),
  role('system:node-bootstrapper', [r('certificates.k8s.io', 'certificatesigningrequests', 'create get list watch')]),
  role('system:node-problem-detector', [r('core', 'nodes', 'get'), r('core', 'nodes/status', 'patch'), EVENTS]),
  role('system:node-proxier', [
    r('core', 'endpoints services', 'list watch'),
    r('core', 'nodes', READ),
    EVENTS,
    r('discovery.k8s.io', 'endpointslices', 'list watch'),
  ]),
  role('system:persistent-volume-provisioner', [
    r('core', 'persistentvolumes', 'create delete get list watch'),
    r('core', 'persistentvolumeclaims', 'get list update watch'),
    r('storage.k8s.io', 'storageclasses', READ),
    r('core', 'events', 'watch'),
    EVENTS,
  ]),
  role('system:public-info-viewer', [url('/healthz /livez /readyz /version /version/', 'get')]),
  role('system:service-account-issuer-discovery', [url('/.well-known/openid-configuration /openid/v1/jwks', 'get')]),
  role('system:volume-scheduler', [
    r('core', 'persistentvolumes', 'get list patch update watch'),
    r('storage.k8s.io', 'storageclasses', READ),
    r('core', 'persistentvolumeclaims', 'get list patch update watch'),
  ]),
  // The roles of kube-controller-manager's controllers (controller-roles.yaml).
  controller('attachdetach-controller', [
    r('core', 'persistentvolumeclaims persistentvolumes', 'list watch'),
    r('core', 'nodes', READ),
    r('core', 'nodes/status', 'patch update'),
    r('core', 'pods', 'list watch'),
    EVENTS,
    r('storage.k8s.io', 'volumeattachments', 'create delete get list watch'),
    r('storage.k8s.io', 'csidrivers', READ),
    r('storage.k8s.io', 'csinodes', READ),
  ]),
  controller('certificate-controller', [
    r('certificates.k8s.io', 'certificatesigningrequests', 'delete get list watch'),
    r('certificates.k8s.io', 'certificatesigningrequests/approval certificatesigningrequests/status', 'update'),
    r('certificates.k8s.io', 'signers', 'approve', 'kubernetes.io/kube-apiserver-client-kubelet'),
    r('certificates.k8s.io', 'signers', 'sign', 'kubernetes.io/kube-apiserver-client kubernetes.io/kube-apiserver-client-kubelet kubernetes.io/kubelet-serving kubernetes.io/legacy-unknown'),
    r('authorization.k8s.io', 'subjectaccessreviews', 'create'),
    EVENTS,
  ]),
  controller('clusterrole-aggregation-controller', [r('rbac.authorization.k8s.io', 'clusterroles', 'escalate get list patch update watch')]),
  controller('cronjob-controller', [
    r('batch', 'cronjobs', 'get list update watch'),
    r('batch', 'jobs', 'create delete get list patch update watch'),
    r('batch', 'cronjobs/status', 'update'),
    r('batch', 'cronjobs/finalizers', 'update'),
    r('core', 'pods', 'delete list watch'),
    EVENTS,
  ]),
  controller('daemon-set-controller', [
    r('apps extensions', 'daemonsets', READ),
    r('apps extensions', 'daemonsets/status', 'update'),
    r('apps extensions', 'daemonsets/finalizers', 'update'),
    r('core', 'nodes', 'list watch'),
    r('core', 'pods', 'create delete list patch watch'),
    r('core', 'pods/binding', 'create'),
    r('apps', 'controllerrevisions', 'create delete get list patch update watch'),
    EVENTS,
  ]),
  controller('deployment-controller', [
    r('apps extensions', 'deployments', 'get list update watch'),
    r('apps extensions', 'deployments/status', 'update'),
    r('apps extensions', 'deployments/finalizers', 'update'),
    r('apps extensions', 'replicasets', 'create delete get list patch update watch'),
    r('core', 'pods', 'get list update watch'),
    EVENTS,
  ]),
  controller('device-taint-eviction-controller', [
    r('core', 'pods', 'delete get list watch'),
    r('core', 'pods/status', 'patch update'),
    r('resource.k8s.io', 'resourceclaims', READ),
    r('resource.k8s.io', 'resourceslices', READ),
    r('resource.k8s.io', 'deviceclasses', READ),
    EVENTS,
  ]),
  controller('disruption-controller', [
    r('apps extensions', 'deployments', READ),
    r('apps extensions', 'replicasets', READ),
    r('core', 'replicationcontrollers', READ),
    r('policy', 'poddisruptionbudgets', READ),
    r('apps', 'statefulsets', READ),
    r('policy', 'poddisruptionbudgets/status', 'update'),
    r('core', 'pods/status', 'patch update'),
    r('*', '*/scale', 'get'),
    EVENTS,
  ]),
  controller('endpoint-controller', [
    r('core', 'pods services', READ),
    r('core', 'endpoints', 'create delete get list update watch'),
    r('core', 'endpoints/restricted', 'create'),
    EVENTS,
  ]),
  controller('endpointslice-controller', [
    r('core', 'nodes pods services', READ),
    r('core', 'services/finalizers', 'update'),
    r('discovery.k8s.io', 'endpointslices', 'create delete get list update watch'),
    EVENTS,
  ]),
  controller('endpointslicemirroring-controller', [
    r('core', 'endpoints services', READ),
    r('core', 'services/finalizers', 'update'),
    r('core', 'endpoints/finalizers', 'update'),
    r('discovery.k8s.io', 'endpointslices', 'create delete get list update watch'),
    EVENTS,
  ]),
  controller('ephemeral-volume-controller', [
    r('core', 'pods', READ),
    r('core', 'pods/finalizers', 'update'),
    r('core', 'persistentvolumeclaims', 'create get list watch'),
    EVENTS,
  ]),
  controller('expand-controller', [
    r('core', 'persistentvolumes', 'get list patch update watch'),
    r('core', 'persistentvolumeclaims/status', 'patch update'),
    r('core', 'persistentvolumeclaims', READ),
    EVENTS,
  ]),
  controller('generic-garbage-collector', [r('*', '*', 'delete get list patch update watch'), EVENTS]),
  controller('horizontal-pod-autoscaler', [
    r('autoscaling', 'horizontalpodautoscalers', READ),
    r('autoscaling', 'horizontalpodautoscalers/status', 'update'),
    r('*', '*/scale', 'get update'),
    r('core', 'pods', 'list watch'),
    r('metrics.k8s.io', 'pods', 'list watch'),
    r('custom.metrics.k8s.io', '*', READ),
    r('external.metrics.k8s.io', '*', READ),
    EVENTS,
  ]),
  controller('job-controller', [
    r('batch', 'jobs', 'get list patch update watch'),
    r('batch', 'jobs/status', 'update'),
    r('batch', 'jobs/finalizers', 'update'),
    r('core', 'pods', 'create delete list patch watch'),
    EVENTS,
  ]),
  controller('legacy-service-account-token-cleaner', [
    r('core', 'configmaps', 'get', 'kube-apiserver-legacy-service-account-token-tracking'),
    r('core', 'secrets', 'delete patch'),
  ]),
  controller('namespace-controller', [
    r('core', 'namespaces', 'delete get list watch'),
    r('core', 'namespaces/finalize namespaces/status', 'update'),
    r('*', '*', 'delete deletecollection get list watch'),
  ]),
  controller('node-controller', [
    r('core', 'nodes', 'delete get list patch update watch'),
    r('core', 'nodes/status', 'patch update'),
    r('core', 'pods/status', 'patch update'),
    r('core', 'pods', 'delete get list watch'),
    EVENTS,
  ]),
  controller('persistent-volume-binder', [
    r('core', 'persistentvolumes', 'create delete get list update watch'),
    r('core', 'persistentvolumes/status', 'update'),
    r('core', 'persistentvolumeclaims', 'get list update watch'),
    r('core', 'persistentvolumeclaims/status', 'update'),
    r('core', 'pods', 'create delete get list watch'),
    r('storage.k8s.io', 'storageclasses', READ),
    r('core', 'nodes', 'list watch'),
    EVENTS,
    r('core', 'events', 'watch'),
  ]),
  controller('pod-garbage-collector', [r('core', 'pods', 'delete list watch'), r('core', 'nodes', READ), r('core', 'pods/status', 'patch')]),
  controller('pv-protection-controller', [r('core', 'persistentvolumes', 'get list update watch'), EVENTS]),
  controller('pvc-protection-controller', [
    r('core', 'persistentvolumeclaims', 'get list update watch'),
    r('core', 'persistentvolumeclaims/status', 'update'),
    r('core', 'pods', READ),
    EVENTS,
  ]),
  controller('replicaset-controller', [
    r('apps extensions', 'replicasets', 'get list update watch'),
    r('apps extensions', 'replicasets/status', 'update'),
    r('apps extensions', 'replicasets/finalizers', 'update'),
    r('core', 'pods', 'create delete list patch watch'),
    EVENTS,
  ]),
  controller('replication-controller', [
    r('core', 'replicationcontrollers', 'get list update watch'),
    r('core', 'replicationcontrollers/status', 'update'),
    r('core', 'replicationcontrollers/finalizers', 'update'),
    r('core', 'pods', 'create delete list patch watch'),
    EVENTS,
  ]),
  controller('resource-claim-controller', [
    r('core', 'pods', READ),
    r('core', 'pods/finalizers', 'update'),
    r('resource.k8s.io', 'resourceclaims', 'create delete get list watch'),
    r('resource.k8s.io', 'resourceclaims resourceclaims/status', 'patch update'),
    r('core', 'pods/status', 'patch update'),
    EVENTS,
    r('resource.k8s.io', 'resourceclaims/binding', 'patch update'),
  ]),
  controller('resourcequota-controller', [r('*', '*', 'list watch'), r('core', 'resourcequotas/status', 'update'), EVENTS]),
  controller('root-ca-cert-publisher', [r('core', 'configmaps', 'create update'), EVENTS]),
  controller('route-controller', [r('core', 'nodes', 'list watch'), r('core', 'nodes/status', 'patch'), EVENTS]),
  controller('selinux-warning-controller', [
    EVENTS,
    r('core', 'persistentvolumes', READ),
    r('core', 'persistentvolumeclaims', READ),
    r('core', 'pods', READ),
    r('storage.k8s.io', 'csidrivers', READ),
  ]),
  controller('service-account-controller', [r('core', 'serviceaccounts', 'create'), EVENTS]),
  controller('service-cidrs-controller', [
    r('networking.k8s.io', 'servicecidrs', 'get list patch update watch'),
    r('networking.k8s.io', 'servicecidrs/finalizers', 'patch update'),
    r('networking.k8s.io', 'servicecidrs/status', 'patch update'),
    r('networking.k8s.io', 'ipaddresses', READ),
    EVENTS,
  ]),
  controller('service-controller', [
    r('core', 'services', READ),
    r('core', 'services/status', 'patch update'),
    r('core', 'nodes', 'list watch'),
    EVENTS,
  ]),
  controller('statefulset-controller', [
    r('core', 'pods', 'list watch'),
    r('apps', 'statefulsets', READ),
    r('apps', 'statefulsets/status', 'update'),
    r('apps', 'statefulsets/finalizers', 'update'),
    r('core', 'pods', 'create delete get patch update'),
    r('apps', 'controllerrevisions', 'create delete get list patch update watch'),
    r('core', 'persistentvolumeclaims', 'create get list watch'),
    r('core', 'persistentvolumeclaims', 'delete update'),
    r('core', 'pods/finalizers', 'update'),
    EVENTS,
  ]),
  controller('ttl-after-finished-controller', [r('batch', 'jobs', 'delete get list watch'), EVENTS]),
  controller('ttl-controller', [r('core', 'nodes', 'list patch update watch'), EVENTS]),
  controller('validatingadmissionpolicy-status-controller', [
    r('admissionregistration.k8s.io', 'validatingadmissionpolicies', READ),
    r('admissionregistration.k8s.io', 'validatingadmissionpolicies/status', 'get patch update'),
    EVENTS,
  ]),
  controller('volumeattributesclass-protection-controller', [
    r('core', 'persistentvolumeclaims', READ),
    r('core', 'persistentvolumes', READ),
    r('storage.k8s.io', 'volumeattributesclasses', 'get list update watch'),
    EVENTS,
  ]),
];

const byName = new Map(BOOTSTRAP_CLUSTER_ROLES.map((builtin) => [builtin.name, builtin]));

/** The bootstrap ClusterRole of that name, or undefined. */
export function bootstrapClusterRole(name: string): BootstrapClusterRole | undefined {
  return byName.get(name);
}
