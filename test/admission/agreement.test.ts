/**
 * The admission CEL must judge exactly as the TypeScript checks: every pod rule on every upstream Pod Security
 * Standards fixture (as a Pod, a Deployment template and a CronJob template), on random pods, and every RBAC
 * rule on fixed and random RBAC objects. A disagreement names rule, object and both verdicts.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as yaml from 'js-yaml';
import { evaluatePolicy } from './cel-harness';
import { cronJobOf, deploymentOf } from './fixtures';
import { arbitraryPodObject, arbitraryRbacObject } from './generators';
import { buildPolicy } from '../../src/admission/policies';
import type { K8sObject } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { shapeErrors } from '../../src/engine/shape';
import { ALL_RULES } from '../../src/rules';
import type { Rule } from '../../src/rules/rule';
import { clusterRole, clusterRoleBinding, role, roleBinding } from '../rbac/fixtures';
import { FixtureEntry, fixturesDir } from '../rules/pss';

const ENFORCED = ALL_RULES.filter((r) => r.admission !== undefined);
const POD_RULES = ENFORCED.filter((r) => r.scope === 'pod');
const RBAC_RULES = ENFORCED.filter((r) => r.area === 'rbac');
const POLICIES = new Map(ENFORCED.map((r) => [r.id, buildPolicy(r)]));

/** The TypeScript verdict of one rule on one object: does it report a finding? */
function tsFails(rule: Rule, object: K8sObject): boolean {
  const result = checkObjects([{ object }], { catalog: [rule] });
  if (result.problems.length > 0) throw new Error(`engine problems: ${JSON.stringify(result.problems)}`);
  return result.findings.length > 0;
}

/** The admission verdict: the policy applies and a validation fails. */
function celFails(rule: Rule, object: K8sObject): boolean {
  const verdict = evaluatePolicy(POLICIES.get(rule.id)!, object);
  return verdict.matched && verdict.failures.length > 0;
}

/** Disagreements of `rules` on `objects`, as readable lines, and the number of (rule, object) pairs judged. */
function compare(rules: readonly Rule[], objects: ReadonlyArray<{ label: string; object: K8sObject }>): { judged: number; disagreements: string[] } {
  const disagreements: string[] = [];
  let judged = 0;
  for (const { label, object } of objects) {
    for (const rule of rules) {
      judged++;
      const ts = tsFails(rule, object);
      const cel = celFails(rule, object);
      if (ts !== cel) disagreements.push(`${rule.id} on ${label}: TypeScript ${ts ? 'fails' : 'passes'}, CEL ${cel ? 'fails' : 'passes'}`);
    }
  }
  return { judged, disagreements };
}

describe('pod rules: CEL agrees with TypeScript on the Pod Security Standards fixtures', () => {
  const dir = fixturesDir();
  const entries: FixtureEntry[] = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const pods = entries.map((e) => ({ file: e.file, pod: yaml.load(readFileSync(path.join(dir, e.file), 'utf8')) as K8sObject }));

  test('every pod rule has CEL, and there are 148 fixtures', () => {
    expect(pods).toHaveLength(148);
    for (const rule of ALL_RULES.filter((r) => r.area === 'pod')) expect(POD_RULES).toContain(rule);
  });

  test.each([
    ['Pod', (pod: K8sObject) => pod],
    ['Deployment', deploymentOf],
    ['CronJob', cronJobOf],
  ] as const)('as %s: every rule x every fixture', (label, wrap) => {
    const { judged, disagreements } = compare(POD_RULES, pods.map((p) => ({ label: `${label} ${p.file}`, object: wrap(p.pod) })));
    expect(disagreements).toEqual([]);
    expect(judged).toBe(POD_RULES.length * 148);
  });

  test('the fixtures exercise both verdicts of every PSS rule through CEL', () => {
    for (const rule of POD_RULES.filter((r) => r.references.pss)) {
      const verdicts = new Set(pods.map((p) => celFails(rule, p.pod)));
      expect([rule.id, [...verdicts].sort()]).toEqual([rule.id, [false, true]]);
    }
  });
});

describe('pod rules: CEL agrees with TypeScript on random pods and workloads', () => {
  test('fast-check: every pod rule, every generated object', () => {
    fc.assert(
      fc.property(arbitraryPodObject, (object) => {
        // Objects the API server's validation refuses (allowPrivilegeEscalation: false beside privileged: true)
        // never reach admission; the engine reports them as input problems instead of judging them.
        fc.pre(shapeErrors(object).length === 0);
        const { disagreements } = compare(POD_RULES, [{ label: JSON.stringify(object), object }]);
        expect(disagreements).toEqual([]);
      }),
      { numRuns: 400, seed: 20261123 },
    );
  });
});

describe('RBAC rules: CEL agrees with TypeScript', () => {
  const fixed: K8sObject[] = [
    clusterRole('everything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    role('mixed', 'app', [
      { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['own-tls'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['create'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'get'] },
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] },
    ]),
    clusterRole('node-and-certs', [
      { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] },
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingadmissionpolicies'], verbs: ['delete'] },
      { apiGroups: [''], resources: ['users'], verbs: ['impersonate'] },
      { verbs: ['get'], nonResourceURLs: ['/healthz'] },
    ]),
    role('reader', 'app', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]),
    role('custom-secrets', 'app', [{ apiGroups: ['example.com'], resources: ['secrets'], verbs: ['get'] }]),
    role('sub-wildcard', 'app', [{ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }]),
    clusterRole('no-rules', []),
    clusterRoleBinding('root', 'cluster-admin', [{ kind: 'Group', name: 'system:authenticated' }]),
    roleBinding('editors', 'app', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'ServiceAccount', name: 'default', namespace: 'app' }]),
    roleBinding('readers', 'app', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'app', namespace: 'app' }]),
    roleBinding('admin-role-named', 'app', { kind: 'Role', name: 'cluster-admin' }, [{ kind: 'User', name: 'system:anonymous' }]),
    // Issue 12: new grants, built-in roles, service account groups and aggregation.
    clusterRole('node-writers', [
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['update'] },
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingadmissionpolicybindings'], verbs: ['create'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['delete'] },
      { verbs: ['get'], nonResourceURLs: ['/logs/*'] },
    ]),
    roleBinding('aggregate-edit', 'app', { kind: 'ClusterRole', name: 'system:aggregate-to-edit' }, [{ kind: 'Group', name: 'system:serviceaccounts:app' }]),
    clusterRoleBinding('nodes', 'system:node', [{ kind: 'Group', name: 'system:serviceaccounts' }]),
    roleBinding('viewers', 'app', { kind: 'ClusterRole', name: 'system:aggregate-to-view' }, [{ kind: 'User', name: 'alice' }]),
    clusterRole('collect-all', [], { aggregationRule: { clusterRoleSelectors: [{}] } }),
    clusterRole('copy-edit', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }] } }),
    clusterRole('not-mine', [], { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'example.com/team', operator: 'DoesNotExist' }] }] } }),
    clusterRole('copy-view', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }] } }),
    clusterRole('own-label', [], {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }, { matchExpressions: [{ key: 'tier', operator: 'In', values: ['read'] }] }] },
    }),
  ];

  test('every RBAC object rule has CEL', () => {
    expect(RBAC_RULES.map((r) => r.id).sort()).toEqual(ALL_RULES.filter((r) => r.area === 'rbac' && r.scope !== 'set').map((r) => r.id).sort());
  });

  test('every RBAC rule x the fixed RBAC objects', () => {
    const { judged, disagreements } = compare(RBAC_RULES, fixed.map((object) => ({ label: `${object.kind}/${(object.metadata as any).name}`, object })));
    expect(disagreements).toEqual([]);
    expect(judged).toBe(RBAC_RULES.length * fixed.length);
    // Both verdicts occur for every rule, so agreement is not agreement on "always pass".
    for (const rule of RBAC_RULES) expect([rule.id, new Set(fixed.map((o) => celFails(rule, o))).size]).toEqual([rule.id, 2]);
  });

  test('fast-check: every RBAC rule, every generated Role, ClusterRole and binding', () => {
    fc.assert(
      fc.property(arbitraryRbacObject, (object) => {
        const { disagreements } = compare(RBAC_RULES, [{ label: JSON.stringify(object), object }]);
        expect(disagreements).toEqual([]);
      }),
      { numRuns: 600, seed: 20261123 },
    );
  });
});

/**
 * The rules of issue 12 that one object decides: each has legitimate and offending objects, judged alone by the
 * TypeScript check and by the generated policy (as a Pod and as workload templates for pod rules).
 */
describe('issue 12 rules: CEL agrees with TypeScript on both verdicts', () => {
  const podIn = (namespace: string | undefined, spec: Record<string, unknown>, annotations?: Record<string, string>): K8sObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', ...(namespace ? { namespace } : {}), ...(annotations ? { annotations } : {}) },
    spec: { containers: [{ name: 'a', image: 'a' }], ...spec },
  });
  const pod = (spec: Record<string, unknown>, annotations?: Record<string, string>) => podIn('app', spec, annotations);
  const service = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'app' }, spec });
  const pv = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v' }, spec });
  const TOKEN = { name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } };
  const dnsPolicy = (peer: Record<string, unknown>): K8sObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'dns', namespace: 'app' },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [peer], ports: [{ protocol: 'UDP', port: 53 }] }] },
  });
  const binding = (name: string, policyName: string | undefined, validationActions: string[]): K8sObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { ...(policyName ? { policyName } : {}), validationActions },
  });
  const configMap = (data: Record<string, string> | undefined): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'app' }, ...(data ? { data } : {}) });
  const withMatch = (object: K8sObject, matchResources: unknown): K8sObject => ({ ...object, spec: { ...(object.spec as object), matchResources } });
  const webhooks = (list: unknown[] | undefined): K8sObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'w' }, ...(list ? { webhooks: list } : {}),
  });
  const ingress = (annotations: Record<string, string>): K8sObject => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'app', annotations }, spec: {},
  });
  const CASES: Record<string, { pass: K8sObject[]; fail: K8sObject[] }> = {
    'pod-share-process-namespace': {
      pass: [pod({}), pod({ shareProcessNamespace: false })],
      fail: [pod({ shareProcessNamespace: true })],
    },
    'pod-tolerate-all-taints': {
      pass: [pod({}), pod({ tolerations: [{ key: 'dedicated', operator: 'Exists' }, { key: 'a', operator: 'Equal', value: 'b' }] })],
      fail: [pod({ tolerations: [{ operator: 'Exists' }] }), pod({ tolerations: [{ key: '', operator: 'Exists', effect: 'NoExecute' }] })],
    },
    'pod-critical-priority-class': {
      pass: [pod({}), pod({ priorityClassName: 'batch-low' }), podIn('kube-system', { priorityClassName: 'system-node-critical' })],
      fail: [pod({ priorityClassName: 'system-cluster-critical' }), podIn(undefined, { priorityClassName: 'system-node-critical' })],
    },
    'net-service-external-ips': {
      pass: [service({ ports: [{ port: 80 }] }), service({ externalIPs: [] })],
      fail: [service({ externalIPs: ['169.254.169.254'] })],
    },
    'net-service-external-name': {
      pass: [service({ type: 'ExternalName', externalName: 'api.partner.example.com' }), service({ type: 'ClusterIP', externalName: 'kubernetes' })],
      fail: ['db.billing.svc.cluster.local', 'kubernetes', 'LOCALHOST', '169.254.169.254', 'x.svc.corp.'].map((n) => service({ type: 'ExternalName', externalName: n })),
    },
    'net-ingress-nginx-snippet': {
      pass: [ingress({}), ingress({ 'nginx.ingress.kubernetes.io/rewrite-target': '/' }), configMap({ 'allow-snippet-annotations': 'false' }), configMap(undefined)],
      fail: [ingress({ 'nginx.ingress.kubernetes.io/server-snippet': 'x' }), ingress({ 'nginx.ingress.kubernetes.io/auth-snippet': 'x', 'example.com/note': 'b' }),
        configMap({ 'allow-snippet-annotations': 'true' }), configMap({ 'annotations-risk-level': 'Critical' })],
    },
    'workload-host-persistent-volume': {
      pass: [pv({ csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'v' } }), pv({})],
      fail: [pv({ hostPath: { path: '/' } }), pv({ local: { path: '/mnt/ssd' } })],
    },
    'admission-binding-weakened': {
      pass: [binding('pod-privileged.hardened.cdk8s.io', 'pod-privileged.hardened.cdk8s.io', ['Deny']), binding('pod-privileged.hardened.cdk8s.io', 'pod-privileged.hardened.cdk8s.io', ['Deny', 'Audit']),
        binding('team', 'team', ['Warn']), withMatch(binding('team', 'team', ['Deny']), { objectSelector: { matchLabels: { a: 'b' } } }),
        withMatch(binding('p', 'pod-privileged.hardened.cdk8s.io', ['Deny']), { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] } }),
        withMatch(binding('p', 'pod-privileged.hardened.cdk8s.io', ['Deny']), { namespaceSelector: {}, objectSelector: {} })],
      fail: [binding('pod-privileged.hardened.cdk8s.io', 'pod-privileged.hardened.cdk8s.io', ['Warn']), binding('quiet', 'pod-privileged.hardened.cdk8s.io', ['Audit']),
        binding('pod-privileged.hardened.cdk8s.io', 'other', ['Deny']), binding('pod-privileged.hardened.cdk8s.io', undefined, ['Deny']),
        ...[{ objectSelector: { matchLabels: { a: 'b' } } }, { excludeResourceRules: [{ resources: ['pods'] }] }, { namespaceSelector: { matchLabels: { a: 'b' } } },
          { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['x'] }] } }]
          .map((matchResources) => withMatch(binding('p', 'pod-privileged.hardened.cdk8s.io', ['Deny']), matchResources))],
    },
    'admission-webhook-bypass': {
      pass: [webhooks([{ name: 'a', failurePolicy: 'Fail', rules: [{ resources: ['pods'] }], clientConfig: { url: 'https://hook.system.svc:8443/x' } }]),
        webhooks([{ name: 'b', failurePolicy: 'Ignore', rules: [{ resources: ['configmaps'] }], clientConfig: { url: 'https://x.example' } }]), webhooks(undefined)],
      fail: [webhooks([{ name: 'a', failurePolicy: 'Ignore', rules: [{ resources: ['*'] }] }]),
        webhooks([{ name: 'b', rules: [{ resources: ['pods/ephemeralcontainers'] }], clientConfig: { url: 'https://hooks.vendor.example' } }])],
    },
    'pod-automount-service-account-token': {
      pass: [pod({ automountServiceAccountToken: false }), pod({ automountServiceAccountToken: false, volumes: [{ name: 'c', projected: { sources: [{ configMap: { name: 'c' } }] } }] }),
        pod({ automountServiceAccountToken: false, volumes: [TOKEN] }, { 'hardened.cdk8s.io/api-access': 'watches its ConfigMap' })],
      fail: [pod({}), pod({ automountServiceAccountToken: false, volumes: [TOKEN] }), pod({ automountServiceAccountToken: false, volumes: [TOKEN] }, { 'hardened.cdk8s.io/api-access': ' ' })],
    },
    'net-dns-egress-namespace': {
      pass: [dnsPolicy({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }), dnsPolicy({ podSelector: { matchLabels: { app: 'dns' } } }),
        { ...dnsPolicy({ namespaceSelector: {} }), spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 443 }] }] } },
        { ...dnsPolicy({ namespaceSelector: {} }), spec: { podSelector: {}, policyTypes: ['Ingress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 53 }] }] } }],
      fail: [dnsPolicy({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant' } } }), dnsPolicy({ namespaceSelector: {} })],
    },
  };

  test.each(Object.keys(CASES))('%s', (id) => {
    const rule = ALL_RULES.find((r) => r.id === id)!;
    expect(rule.admission).toBeDefined();
    const { pass, fail } = CASES[id];
    // Templates keep the pod's namespace (the wrappers copy only its name).
    const inNamespace = (w: K8sObject, o: K8sObject): K8sObject => ({
      ...w,
      metadata: { ...(w.metadata as object), namespace: (o.metadata as any).namespace },
    });
    const wrap = (o: K8sObject) => (rule.scope === 'pod' ? [o, inNamespace(deploymentOf(o), o), inNamespace(cronJobOf(o), o)] : [o]);
    for (const object of pass.flatMap(wrap)) expect([id, 'pass', tsFails(rule, object), celFails(rule, object)]).toEqual([id, 'pass', false, false]);
    for (const object of fail.flatMap(wrap)) expect([id, 'fail', tsFails(rule, object), celFails(rule, object)]).toEqual([id, 'fail', true, true]);
  });
});

/** The Ingress rules of issue 19 that one object decides: CEL and TypeScript agree on both verdicts. */
describe('Ingress rules: CEL agrees with TypeScript on both verdicts', () => {
  const ingress = (spec: Record<string, unknown>, annotations?: Record<string, string>): K8sObject => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'app', ...(annotations ? { annotations } : {}) }, spec,
  });
  const backend = { service: { name: 'web', port: { number: 80 } } };
  const rule = (host?: string) => ({ ...(host === undefined ? {} : { host }), http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } });
  const CASES: Record<string, { pass: K8sObject[]; fail: K8sObject[] }> = {
    'net-ingress-tls': {
      pass: [ingress({}), ingress({ rules: [rule('a.example.com')], tls: [{ hosts: ['a.example.com'] }] }),
        ingress({ rules: [rule('a.example.com'), rule('b.example.com')], tls: [{ hosts: ['x.example.org'] }, { hosts: ['*.example.com'] }] }),
        ingress({ rules: [rule(undefined), rule('')], defaultBackend: backend, tls: [{ secretName: 'default' }] }),
        ingress({ rules: [rule('*.example.com')], tls: [{ hosts: ['*.example.com'] }] })],
      fail: [ingress({ rules: [rule('a.example.com')] }), ingress({ rules: [rule('a.b.example.com')], tls: [{ hosts: ['*.example.com'] }] }),
        ingress({ rules: [rule('example.com')], tls: [{ hosts: ['*.example.com'] }] }), ingress({ rules: [rule(undefined)], tls: [{ hosts: ['a.example.com'] }] }),
        ingress({ defaultBackend: backend }), ingress({ rules: [rule('a.example.com')], tls: [{ hosts: ['a.example.com'] }], defaultBackend: backend })],
    },
    'net-ingress-wildcard-host': {
      pass: [ingress({}), ingress({ rules: [rule('a.example.com'), rule('b.example.com')] })],
      fail: [ingress({ rules: [rule('*.example.com')] }), ingress({ rules: [rule(undefined)] }), ingress({ rules: [rule('')] }), ingress({ defaultBackend: backend })],
    },
    'net-ingress-class': {
      pass: [ingress({ ingressClassName: 'internal' }), ingress({ ingressClassName: 'internal' }, { 'example.com/owner': 'shop' })],
      fail: [ingress({}), ingress({ ingressClassName: '' }), ingress({}, { 'kubernetes.io/ingress.class': 'nginx' }),
        ingress({ ingressClassName: 'nginx' }, { 'kubernetes.io/ingress.class': 'nginx' })],
    },
  };

  test.each(Object.keys(CASES))('%s', (id) => {
    const rule_ = ALL_RULES.find((r) => r.id === id)!;
    expect(rule_.admission).toBeDefined();
    for (const object of CASES[id].pass) expect([id, 'pass', JSON.stringify(object), tsFails(rule_, object), celFails(rule_, object)]).toEqual([id, 'pass', JSON.stringify(object), false, false]);
    for (const object of CASES[id].fail) expect([id, 'fail', JSON.stringify(object), tsFails(rule_, object), celFails(rule_, object)]).toEqual([id, 'fail', JSON.stringify(object), true, true]);
  });
});

/** Issue 18: the warn-mode rule of the signature verifiers' policies, judged alone by TypeScript and by CEL. */
describe('issue 18 rules: CEL agrees with TypeScript on both verdicts', () => {
  const cip = (spec: Record<string, unknown> | undefined): K8sObject => ({
    apiVersion: 'policy.sigstore.dev/v1beta1', kind: 'ClusterImagePolicy', metadata: { name: 'p' }, ...(spec ? { spec } : {}),
  });
  const ivp = (spec: Record<string, unknown> | undefined): K8sObject => ({
    apiVersion: 'policies.kyverno.io/v1', kind: 'ImageValidatingPolicy', metadata: { name: 'p' }, ...(spec ? { spec } : {}),
  });
  const images = [{ glob: 'registry.example.com/**' }];
  const CASES: Record<string, { pass: K8sObject[]; fail: K8sObject[] }> = {
    'image-signature-enforced': {
      pass: [cip({ images }), cip({ images, mode: 'enforce' }), cip(undefined), ivp({ validationActions: ['Deny'] }), ivp({ validationActions: ['Audit', 'Deny'] })],
      fail: [cip({ images, mode: 'warn' }), cip({ mode: 'Enforce' }), ivp({ validationActions: ['Warn'] }), ivp({ validationActions: ['Audit'] }), ivp({}), ivp(undefined)],
    },
  };

  test.each(Object.keys(CASES))('%s', (id) => {
    const rule = ALL_RULES.find((r) => r.id === id)!;
    expect(rule.admission).toBeDefined();
    for (const object of CASES[id].pass) expect([id, 'pass', object, tsFails(rule, object), celFails(rule, object)]).toEqual([id, 'pass', object, false, false]);
    for (const object of CASES[id].fail) expect([id, 'fail', object, tsFails(rule, object), celFails(rule, object)]).toEqual([id, 'fail', object, true, true]);
  });
});
