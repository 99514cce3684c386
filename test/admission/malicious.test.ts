/**
 * A malicious author against the generated policies: everything an author can write on their own object (labels,
 * annotations, a Namespace's labels, RBAC objects) is tried, and every attempt is denied; the matching legitimate
 * cases are admitted. The cluster's side is the params ConfigMap and the locked rules, as a platform team sets them.
 */
import { evaluatePolicy, Request } from './cel-harness';
import { AdmissionPolicySet, buildAdmissionPolicies } from '../../src/admission/policies';
import type { K8sObject } from '../../src/core/types';
import { WAIVERS_ANNOTATION, waiverLabels } from '../../src/core/waivers';

const SET: AdmissionPolicySet = buildAdmissionPolicies({
  lockedRules: ['pod-privileged', 'pod-host-namespaces'],
  waiverPolicy: {
    allNamespaces: ['pod-read-only-root-filesystem'],
    namespaces: { 'node-agents': ['ns-pod-security-labels', 'pod-host-path-volumes', 'pod-restricted-volumes'] },
  },
});

/** The rule ids whose policies deny the request (as the API server: each matching policy with its binding). */
function denials(object: K8sObject, request: Request = {}): string[] {
  const excluded = ['kube-system'];
  const namespace = object.kind === 'Namespace' ? (object.metadata as any).name : (object.metadata as any).namespace;
  if (namespace !== undefined && excluded.includes(namespace) && !['ClusterRoleBinding', 'ClusterRole'].includes(String(object.kind))) return [];
  return SET.policies
    .filter((p) => evaluatePolicy(p, object, { params: SET.params, ...request }).failures.length > 0)
    .map((p) => (p.metadata as any).labels['hardened.cdk8s.io/rule-id'])
    .sort();
}

const IMAGE = `registry.example.com/app@sha256:${'ab'.repeat(32)}`;
/** A container that passes every rule at restricted. */
const goodContainer = (extra: Record<string, unknown> = {}) => ({
  name: 'app',
  image: IMAGE,
  imagePullPolicy: 'IfNotPresent',
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
    appArmorProfile: { type: 'RuntimeDefault' },
  },
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
  livenessProbe: { httpGet: { port: 8080, path: '/' } },
  readinessProbe: { httpGet: { port: 8080, path: '/' } },
  ...extra,
});
const pod = (namespace: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace, ...metadata },
  spec: { serviceAccountName: 'app', automountServiceAccountToken: false, containers: [goodContainer()], ...spec },
});
const waivers = (...entries: Array<[string, string]>) => ({
  [WAIVERS_ANNOTATION]: JSON.stringify(entries.map(([ruleId, reason]) => ({ ruleId, reason }))),
});
const hostPath = { volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }], containers: [goodContainer({ volumeMounts: [{ name: 'logs', mountPath: '/host', readOnly: true }] })] };

describe('a malicious author is denied; the legitimate case next to it is admitted', () => {
  test('baseline: the hardened pod is admitted in any namespace', () => {
    expect(denials(pod('shop', {}))).toEqual([]);
    expect(denials(pod('node-agents', {}))).toEqual([]);
  });

  test('self-applied exemption labels on a host-access pod exempt nothing', () => {
    const privileged = goodContainer({ securityContext: { ...goodContainer().securityContext, privileged: true }, volumeMounts: [{ name: 'root', mountPath: '/host' }] });
    const attack = pod('shop', { hostPID: true, volumes: [{ name: 'root', hostPath: { path: '/' } }], containers: [privileged] }, {
      labels: waiverLabels([{ ruleId: 'pod-privileged', reason: 'x' }, { ruleId: 'pod-host-namespaces', reason: 'x' }, { ruleId: 'pod-restricted-volumes', reason: 'x' }]),
    });
    expect(denials(attack)).toEqual(['pod-host-namespaces', 'pod-privileged', 'pod-restricted-volumes', 'workload-host-access-outside-daemonset', 'workload-sensitive-host-mount']);
  });

  test('an annotation entry without a reason (or a too short one, or not canonical) is no waiver', () => {
    const writable = { containers: [goodContainer({ securityContext: { ...goodContainer().securityContext, readOnlyRootFilesystem: false } })] };
    expect(denials(pod('shop', writable))).toEqual(['pod-read-only-root-filesystem']);
    expect(denials(pod('shop', writable, { annotations: { [WAIVERS_ANNOTATION]: '[{"ruleId":"pod-read-only-root-filesystem"}]' } }))).toEqual(['pod-read-only-root-filesystem']);
    expect(denials(pod('shop', writable, { annotations: waivers(['pod-read-only-root-filesystem', '']) }))).toEqual(['pod-read-only-root-filesystem']);
    expect(denials(pod('shop', writable, { annotations: waivers(['pod-read-only-root-filesystem', 'because']) }))).toEqual(['pod-read-only-root-filesystem']);
    const spaced = { [WAIVERS_ANNOTATION]: '[{"ruleId": "pod-read-only-root-filesystem", "reason": "legacy app writes its pid file"}]' };
    expect(denials(pod('shop', writable, { annotations: spaced }))).toEqual(['pod-read-only-root-filesystem']);
    // legitimate: a canonical entry with a reason, for a rule the params make waivable everywhere
    expect(denials(pod('shop', writable, { annotations: waivers(['pod-read-only-root-filesystem', 'legacy app writes its pid file']) }))).toEqual([]);
  });

  test('a waiver for a locked rule is ignored, even in the namespace that may waive host access', () => {
    const privileged = { containers: [goodContainer({ securityContext: { ...goodContainer().securityContext, privileged: true } })] };
    expect(denials(pod('node-agents', privileged, { annotations: waivers(['pod-privileged', 'node agent needs device access']) }))).toEqual(['pod-privileged']);
    const hostNetwork = pod('node-agents', { hostNetwork: true }, { annotations: waivers(['pod-host-namespaces', 'node agent binds the host network']) });
    // (a bare Pod is not a DaemonSet either: workload-host-access-outside-daemonset, not waived here, denies it too)
    expect(denials(hostNetwork)).toEqual(['pod-host-namespaces', 'workload-host-access-outside-daemonset']);
  });

  test('a host-access waiver in a namespace the params do not name is denied; in node-agents it is admitted', () => {
    const annotations = waivers(['pod-host-path-volumes', 'log shipper reads /var/log'], ['pod-restricted-volumes', 'log shipper reads /var/log']);
    expect(denials(pod('shop', hostPath, { annotations }))).toEqual(['pod-restricted-volumes', 'workload-host-access-outside-daemonset']);
    // In node-agents the volume waivers count; a bare Pod is still no DaemonSet.
    expect(denials(pod('node-agents', hostPath, { annotations }))).toEqual(['workload-host-access-outside-daemonset']);
    // The waiver on a workload's own metadata does not reach its pods, so it does not count there either.
    const daemonSet: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'node-agents', annotations },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: (pod('node-agents', hostPath).spec as object) } },
    };
    expect(denials(daemonSet)).toEqual(['pod-restricted-volumes']);
    const templated = { ...daemonSet, spec: { ...(daemonSet.spec as any), template: { metadata: { labels: { app: 'a' }, annotations }, spec: (daemonSet.spec as any).template.spec } } };
    expect(denials(templated)).toEqual([]);
  });

  test('a kube-system service account creating a cluster-admin binding is denied; the control plane is not judged', () => {
    const binding: K8sObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'pwn' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'evil', namespace: 'shop' }],
    };
    expect(denials(binding, { username: 'system:serviceaccount:kube-system:replicaset-controller' })).toEqual(['rbac-cluster-admin-binding', 'rbac-cluster-wide-binding']);
    expect(denials(binding, { username: 'system:serviceaccount:kube-system:evil' })).toEqual(['rbac-cluster-admin-binding', 'rbac-cluster-wide-binding']);
    // a self-written waiver on a cluster-scoped binding: nothing is waivable there in these params
    const waived = { ...binding, metadata: { name: 'pwn', annotations: waivers(['rbac-cluster-admin-binding', 'needed for the operator'], ['rbac-cluster-wide-binding', 'needed for the operator']) } };
    expect(denials(waived, { username: 'alice' })).toEqual(['rbac-cluster-admin-binding', 'rbac-cluster-wide-binding']);
    expect(denials(binding, { username: 'system:apiserver' })).toEqual([]);
  });

  test('a Namespace relabelled privileged is denied; node-agents, whose waiver the params permit, is admitted', () => {
    const labels = (level: string) => Object.fromEntries(['enforce', 'audit', 'warn'].flatMap((m) => [[`pod-security.kubernetes.io/${m}`, level], [`pod-security.kubernetes.io/${m}-version`, 'v1.30']]));
    const namespace = (name: string, level: string, annotations?: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: labels(level), ...(annotations ? { annotations } : {}) } });
    const waiver = waivers(['ns-pod-security-labels', 'node agents mount host paths']);
    const old = namespace('shop', 'restricted');
    expect(denials(namespace('shop', 'privileged'), { operation: 'UPDATE', oldObject: old })).toEqual(['ns-pod-security-labels']);
    expect(denials(namespace('shop', 'privileged', waiver), { operation: 'UPDATE', oldObject: old })).toEqual(['ns-pod-security-labels']);
    expect(denials(namespace('shop', 'restricted'))).toEqual([]);
    expect(denials(namespace('node-agents', 'privileged', waiver))).toEqual([]);
    expect(denials(namespace('node-agents', 'privileged'))).toEqual(['ns-pod-security-labels']);
  });

  test('nginx:latest is denied, whatever is written on the pod; a pinned image is admitted', () => {
    const latest = { containers: [goodContainer({ image: 'nginx:latest', imagePullPolicy: 'Always' })] };
    expect(denials(pod('shop', latest))).toEqual(['image-digest', 'image-latest-tag']);
    expect(denials(pod('shop', { containers: [goodContainer({ image: 'nginx', imagePullPolicy: undefined })] }))).toEqual(['image-digest', 'image-latest-tag']);
    expect(denials(pod('shop', latest, { labels: waiverLabels([{ ruleId: 'image-latest-tag', reason: 'x' }, { ruleId: 'image-digest', reason: 'x' }]) }))).toEqual(['image-digest', 'image-latest-tag']);
    expect(denials(pod('shop', latest, { annotations: waivers(['image-digest', 'we like latest tags'], ['image-latest-tag', 'we like latest tags']) }))).toEqual(['image-digest', 'image-latest-tag']);
    // an ephemeral debug container is judged like the others (the pods/ephemeralcontainers subresource)
    const debug = pod('shop', { ephemeralContainers: [{ name: 'debug', image: 'busybox' }] });
    expect(denials(debug, { operation: 'UPDATE', oldObject: pod('shop', {}) })).toEqual(expect.arrayContaining(['image-digest', 'image-latest-tag', 'pod-run-as-non-root']));
  });
});
