/**
 * fast-check generators of schema-valid pods, workloads and RBAC objects, weighted towards the values the
 * rules care about (root, privileged, capabilities, host access, profiles, ...). Values are what the API
 * server would admit to validation: booleans are booleans, IDs integers, quantities strings.
 */
import * as fc from 'fast-check';
import type { K8sObject } from '../../src/core/types';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
/** A record whose undefined fields are dropped (the API never sends a field set to undefined). */
const clean = <T extends Record<string, unknown>>(arb: fc.Arbitrary<T>) =>
  arb.map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));

const id = fc.constantFrom(0, 1, 999, 10000, 65534);
const profile = clean(fc.record({ type: opt(fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined')) }));
const seLinux = clean(fc.record({
  type: opt(fc.constantFrom('', 'container_t', 'container_init_t', 'spc_t')),
  user: opt(fc.constantFrom('', 'system_u')),
  role: opt(fc.constantFrom('', 'system_r')),
  level: opt(fc.constant('s0:c1,c2')),
}));
const capabilities = clean(fc.record({
  add: opt(fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN', 'NET_RAW'])),
  drop: opt(fc.subarray(['ALL', 'NET_RAW'])),
}));
const handler = fc.oneof(
  fc.record({ httpGet: clean(fc.record({ port: fc.constant(8080), host: opt(fc.constantFrom('', '169.254.169.254')) })) }),
  fc.record({ tcpSocket: clean(fc.record({ port: fc.constant(8080), host: opt(fc.constantFrom('', '10.0.0.1')) })) }),
  fc.record({ exec: fc.constant({ command: ['true'] }) }),
);
const resources = clean(fc.record({
  requests: opt(clean(fc.record({ cpu: opt(fc.constant('100m')), memory: opt(fc.constant('64Mi')) }))),
  limits: opt(clean(fc.record({ cpu: opt(fc.constant('1')), memory: opt(fc.constant('128Mi')) }))),
}));

const securityContext = clean(fc.record({
  privileged: opt(fc.boolean()),
  allowPrivilegeEscalation: opt(fc.boolean()),
  runAsNonRoot: opt(fc.boolean()),
  runAsUser: opt(id),
  runAsGroup: opt(id),
  readOnlyRootFilesystem: opt(fc.boolean()),
  procMount: opt(fc.constantFrom('Default', 'Unmasked')),
  capabilities: opt(capabilities),
  seccompProfile: opt(profile),
  appArmorProfile: opt(profile),
  seLinuxOptions: opt(seLinux),
  windowsOptions: opt(clean(fc.record({ hostProcess: opt(fc.boolean()) }))),
}));

const container = clean(fc.record({
  name: fc.constantFrom('app', 'sidecar'),
  image: fc.constant('registry.example/app:1'),
  securityContext: opt(securityContext),
  ports: opt(fc.array(clean(fc.record({ containerPort: fc.constant(8080), hostPort: opt(fc.constantFrom(0, 8080)) })), { maxLength: 2 })),
  livenessProbe: opt(handler),
  readinessProbe: opt(handler),
  startupProbe: opt(handler),
  lifecycle: opt(clean(fc.record({ postStart: opt(handler), preStop: opt(handler) }))),
  resources: opt(resources),
}));

const volume = fc.oneof(
  fc.record({ name: fc.constant('tmp'), emptyDir: fc.constant({}) }),
  fc.record({ name: fc.constant('host'), hostPath: fc.constant({ path: '/var/run' }) }),
  fc.record({ name: fc.constant('nfs'), nfs: fc.constant({ server: 'nfs.example', path: '/data' }) }),
  fc.record({ name: fc.constant('config'), configMap: fc.constant({ name: 'settings' }) }),
  fc.record({ name: fc.constant('plain') }),
  fc.record({ name: fc.constant('token'), projected: fc.constant({ sources: [{ serviceAccountToken: { path: 'token' } }] }) }),
  fc.record({ name: fc.constant('tools'), image: fc.constant({ reference: 'registry.example.com/tools:1' }) }),
);

const podSecurityContext = clean(fc.record({
  runAsNonRoot: opt(fc.boolean()),
  runAsUser: opt(id),
  runAsGroup: opt(id),
  seccompProfile: opt(profile),
  appArmorProfile: opt(profile),
  seLinuxOptions: opt(seLinux),
  sysctls: opt(fc.subarray([{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '65536' }])),
  windowsOptions: opt(clean(fc.record({ hostProcess: opt(fc.boolean()) }))),
}));

const podSpec = clean(fc.record({
  containers: fc.array(container, { minLength: 1, maxLength: 2 }),
  initContainers: opt(fc.array(container, { maxLength: 1 })),
  ephemeralContainers: opt(fc.array(container, { maxLength: 1 })),
  hostNetwork: opt(fc.boolean()),
  hostPID: opt(fc.boolean()),
  hostIPC: opt(fc.boolean()),
  hostUsers: opt(fc.boolean()),
  os: opt(fc.record({ name: fc.constantFrom('linux', 'windows') })),
  volumes: opt(fc.array(volume, { maxLength: 3 })),
  securityContext: opt(podSecurityContext),
  automountServiceAccountToken: opt(fc.boolean()),
  serviceAccountName: opt(fc.constantFrom('', 'default', 'app')),
  serviceAccount: opt(fc.constantFrom('', 'default', 'legacy')),
  restartPolicy: opt(fc.constantFrom('Always', 'OnFailure', 'Never')),
  shareProcessNamespace: opt(fc.boolean()),
  priorityClassName: opt(fc.constantFrom('system-node-critical', 'system-cluster-critical', 'batch-low')),
  tolerations: opt(fc.subarray([{ operator: 'Exists' }, { key: 'dedicated', operator: 'Exists' }, { key: '', operator: 'Exists', effect: 'NoSchedule' }, { key: 'a', operator: 'Equal', value: 'b' }])),
  resources: opt(resources),
}));

const podMetadata = clean(fc.record({
  labels: fc.constant({ app: 'x' }),
  annotations: opt(fc.dictionary(
    fc.constantFrom('container.apparmor.security.beta.kubernetes.io/app', 'example.com/note', 'hardened.cdk8s.io/api-access'),
    fc.constantFrom('runtime/default', 'localhost/custom', 'unconfined', ''),
  )),
}));

/** A Pod, or a workload whose pod template is the generated pod. */
export const arbitraryPodObject: fc.Arbitrary<K8sObject> = fc
  .tuple(fc.constantFrom('Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'PodTemplate', 'ReplicationController'), podMetadata, podSpec)
  .map(([kind, metadata, spec]) => {
    const pod = { metadata, spec };
    const base = { metadata: { name: 'generated', namespace: 'app' } };
    switch (kind) {
      case 'Pod':
        return { apiVersion: 'v1', kind, metadata: { ...metadata, name: 'generated', namespace: 'app' }, spec };
      case 'PodTemplate':
        return { apiVersion: 'v1', kind, ...base, template: pod };
      case 'CronJob':
        return { apiVersion: 'batch/v1', kind, ...base, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: pod } } } };
      case 'Job':
        return { apiVersion: 'batch/v1', kind, ...base, spec: { template: pod } };
      case 'ReplicationController':
        return { apiVersion: 'v1', kind, ...base, spec: { selector: { app: 'x' }, template: pod } };
      default:
        return { apiVersion: 'apps/v1', kind, ...base, spec: { selector: { matchLabels: { app: 'x' } }, template: pod } };
    }
  });

const policyRule = clean(fc.record({
  verbs: fc.subarray(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'escalate', 'bind', 'impersonate', 'approve', 'proxy', '*'], { minLength: 1 }),
  apiGroups: opt(fc.subarray(['', 'apps', 'batch', 'rbac.authorization.k8s.io', 'certificates.k8s.io', 'admissionregistration.k8s.io', 'authentication.k8s.io', 'apiextensions.k8s.io', 'example.com', '*'])),
  resources: opt(fc.subarray([
    'pods', 'pods/exec', 'pods/attach', 'pods/ephemeralcontainers', 'secrets', 'configmaps', 'deployments', 'cronjobs', 'nodes/proxy',
    'serviceaccounts/token', 'users', 'roles', 'clusterrolebindings', 'certificatesigningrequests/approval', 'signers',
    'validatingwebhookconfigurations', 'uids', '*', '*/exec', '*/proxy',
    'persistentvolumes', 'nodes', 'nodes/status', '*/status', 'customresourcedefinitions', 'mutatingadmissionpolicies', 'validatingadmissionpolicybindings',
  ])),
  resourceNames: opt(fc.subarray(['one'])),
  nonResourceURLs: opt(fc.subarray(['/healthz', '*', '/logs/*', '/api*'])),
}));

const subject = fc.oneof(
  fc.record({
    kind: fc.constantFrom('User', 'Group'),
    name: fc.constantFrom('system:anonymous', 'system:unauthenticated', 'system:authenticated', 'system:serviceaccounts', 'system:serviceaccounts:app', 'system:serviceaccount:app:x', 'alice'),
  }),
  fc.record({ kind: fc.constant('ServiceAccount'), name: fc.constantFrom('default', 'app'), namespace: fc.constant('app') }),
);

/** An aggregationRule selector over the built-in aggregate labels, the bootstrapping label and labels of our own. */
const aggregationSelector = fc.record(
  {
    matchLabels: fc.dictionary(
      fc.constantFrom('rbac.authorization.k8s.io/aggregate-to-edit', 'rbac.authorization.k8s.io/aggregate-to-view', 'kubernetes.io/bootstrapping', 'example.com/team'),
      fc.constantFrom('true', 'rbac-defaults'),
      { maxKeys: 2 },
    ),
    matchExpressions: fc.array(
      fc.record({
        key: fc.constantFrom('rbac.authorization.k8s.io/aggregate-to-admin', 'kubernetes.io/bootstrapping', 'example.com/team'),
        operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
        values: fc.subarray(['true', 'rbac-defaults']),
      }).map((e) => (e.operator === 'Exists' || e.operator === 'DoesNotExist' ? { key: e.key, operator: e.operator } : e)),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

/** A Role, ClusterRole, RoleBinding or ClusterRoleBinding. */
export const arbitraryRbacObject: fc.Arbitrary<K8sObject> = fc.oneof(
  fc.array(aggregationSelector, { maxLength: 2 }).map((selectors) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'generated-aggregate' },
    aggregationRule: { clusterRoleSelectors: selectors },
  })),
  fc.tuple(fc.constantFrom('Role', 'ClusterRole'), fc.array(policyRule, { maxLength: 3 })).map(([kind, rules]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: kind === 'Role' ? { name: 'generated', namespace: 'app' } : { name: 'generated' },
    rules,
  })),
  fc
    .tuple(
      fc.constantFrom('RoleBinding', 'ClusterRoleBinding'),
      fc.constantFrom('ClusterRole', 'Role'),
      fc.constantFrom('cluster-admin', 'admin', 'edit', 'view', 'custom', 'system:aggregate-to-edit', 'system:aggregate-to-view', 'system:node', 'system:controller:job-controller', 'system:discovery'),
      fc.array(subject, { maxLength: 3 }),
    )
    .map(([kind, roleKind, roleName, subjects]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: kind === 'RoleBinding' ? { name: 'generated', namespace: 'app' } : { name: 'generated' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: kind === 'ClusterRoleBinding' ? 'ClusterRole' : roleKind, name: roleName },
      ...(subjects.length > 0 ? { subjects } : {}),
    })),
);
