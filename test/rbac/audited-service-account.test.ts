import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AccessMatrix, AuditedServiceAccount, AuditLevel, SubjectKind } from '../../src';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects } from '../../src/engine/engine';
import { RBAC_RULES } from '../../src/rules/rbac';
import { validateK8sObjects } from '../util/k8s-schema';

const chartIn = (namespace?: string) => new Chart(Testing.app(), 'shop', namespace ? { namespace } : {});
const props = { owner: 'team-shop', purpose: 'serves the storefront' };
const rbacIds = RBAC_RULES.map((r) => r.id);
const rbacCheck = (objects: any[]) => checkObjects(objects.map((object) => ({ object })), { rules: rbacIds });

/** Every synthesized object must be valid against the Kubernetes schema of its kind. */
const validateSchemas = validateK8sObjects;

describe('AuditedServiceAccount', () => {
  test('a component that reads one ConfigMap: snapshot, least privilege, clean under the rbac rules', () => {
    const chart = chartIn('shop');
    const sa = new AuditedServiceAccount(chart, 'frontend', props);
    sa.allowReadConfigMap('frontend-settings');
    const objects = Testing.synth(chart);
    expect(objects).toMatchSnapshot();
    validateSchemas(objects);

    const [account, role, binding] = objects;
    expect(account).toMatchObject({ kind: 'ServiceAccount', automountServiceAccountToken: false });
    expect(account.metadata.annotations).toEqual({ 'hardened.cdk8s.io/owner': 'team-shop', 'hardened.cdk8s.io/purpose': 'serves the storefront' });
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['frontend-settings'], verbs: ['get'] }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.name, namespace: 'shop' }]);

    const result = rbacCheck(objects);
    expect(result.findings).toEqual([]);
    expect(result.waived).toEqual([]);

    const me = { kind: SubjectKind.SERVICE_ACCOUNT, name: sa.name, namespace: 'shop' };
    const matrix = AccessMatrix.fromChart(chart);
    expect(matrix.canI(me, 'get', 'configmaps', 'shop', { resourceName: 'frontend-settings' })).toBe(true);
    expect(matrix.canI(me, 'get', 'configmaps', 'shop', { resourceName: 'other' })).toBe(false);
    expect(matrix.canI(me, 'list', 'configmaps', 'shop')).toBe(false);
    expect(matrix.canI(me, 'get', 'secrets', 'shop')).toBe(false);
  });

  test('is a cdk8s-plus IServiceAccount: a plain Deployment runs as it', () => {
    const chart = chartIn('shop');
    const sa = new AuditedServiceAccount(chart, 'frontend', props);
    new kplus.Deployment(chart, 'web', { serviceAccount: sa, containers: [{ image: 'nginx', portNumber: 8080 }] });
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.serviceAccountName).toBe(sa.name);
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test('its bindings are judged by the catalog binding rules: an account named default needs their waiver', () => {
    const chart = chartIn('shop');
    const sa = new AuditedServiceAccount(chart, 'dflt', { ...props, metadata: { name: 'default' } });
    expect(() => sa.allowReadConfigMap('settings')).toThrow(/binds the default ServiceAccount of namespace shop.*\(rule rbac-default-sa-binding: /);
    sa.allow({ apiGroup: '', resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'], waivers: [{ ruleId: 'rbac-default-sa-binding', reason: 'the namespace runs one component only' }] });
    const objects = Testing.synth(chart);
    // The waiver is recorded on the binding the rule judges, and the checker agrees.
    const binding = objects.find((o) => o.kind === 'RoleBinding');
    expect(JSON.parse(binding.metadata.annotations[WAIVERS_ANNOTATION]).map((w: any) => w.ruleId)).toEqual(['rbac-default-sa-binding']);
    const result = rbacCheck(objects);
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => `${f.ruleId} ${f.kind}`)).toEqual(['rbac-default-sa-binding RoleBinding']);
  });

  test('dangerous grants fail with the construct path, rule id, permission and fix', () => {
    const sa = new AuditedServiceAccount(chartIn('shop'), 'ops', props);
    expect(() => sa.allow({ apiGroup: '', resources: ['secrets'], verbs: ['list'] })).toThrow(
      /^shop\/ops: grant \{list on core\/secrets\} is dangerous: list on core secrets without resourceNames \(rule rbac-secrets-access: .*\)\. Fix: .*waivers: \[\{ ruleId: 'rbac-secrets-access'/,
    );
    expect(() => sa.allow({ apiGroup: '*', resources: ['deployments'], verbs: ['get'] })).toThrow(/rule rbac-no-wildcard/);
    expect(() => sa.allow({ apiGroup: '', resources: ['pods/exec'], verbs: ['create'] })).toThrow(/rule rbac-pod-exec-attach/);
    expect(() => sa.allow({ apiGroup: 'apps', resources: ['deployments'], verbs: ['create'] })).toThrow(/rule rbac-create-workloads/);
    expect(() => sa.allow({ apiGroup: 'rbac.authorization.k8s.io', resources: ['roles'], verbs: ['escalate'] })).toThrow(/rule rbac-escalate-bind-impersonate/);
    expect(() => sa.allow({ apiGroup: '', resources: ['nodes/proxy'], verbs: ['get'] })).toThrow(/rule rbac-nodes-proxy/);
    expect(() => sa.allow({ apiGroup: '', resources: ['serviceaccounts/token'], verbs: ['create'] })).toThrow(/rule rbac-sa-token-create/);
    expect(() => sa.allow({ apiGroup: 'certificates.k8s.io', resources: ['signers'], verbs: ['approve'] })).toThrow(/rule rbac-csr-approval/);
    expect(() => sa.allow({ apiGroup: 'admissionregistration.k8s.io', resources: ['mutatingwebhookconfigurations'], verbs: ['patch'] })).toThrow(/rule rbac-webhook-config/);
    expect(() => sa.allow({ apiGroup: 'rbac.authorization.k8s.io', resources: ['rolebindings'], verbs: ['update'] })).toThrow(/rule rbac-modify-rbac/);
    expect(() => sa.allow({ apiGroup: 'coordination.k8s.io', resources: ['leases'], verbs: ['get'], clusterScope: true })).toThrow(/rule rbac-cluster-wide-binding/);
    expect(() => sa.bindClusterRole('cluster-admin')).toThrow(/rule rbac-cluster-admin-binding/);
    expect(() => sa.bindClusterRole('edit')).toThrow(/rule rbac-admin-edit-binding/);
    // Nothing was added by the failed grants.
    expect(Testing.synth(Chart.of(sa)).map((o) => o.kind)).toEqual(['ServiceAccount']);
  });

  test('invalid props and grants are loud', () => {
    const chart = chartIn('shop');
    expect(() => new AuditedServiceAccount(chart, 'a', { owner: ' ', purpose: 'x' })).toThrow(/shop\/a: .*non-empty "owner"/);
    expect(() => new AuditedServiceAccount(chart, 'b', { ...props, automountToken: true })).toThrow(/never automounts.*apiAccess/);
    expect(() => new AuditedServiceAccount(chart, 'c', { ...props, apiAccess: { reason: 'short' } })).toThrow(/reason of at least 10/);
    expect(() => new AuditedServiceAccount(chart, 'd', { ...props, apiAccess: { reason: 'watches config', expirationSeconds: 604800 } })).toThrow(
      /between 600 and 86400/,
    );
    expect(() => new AuditedServiceAccount(chart, 'e', { ...props, waivers: [{ ruleId: 'rbac-nope', reason: 'long enough reason' }] })).toThrow(/unknown rule "rbac-nope"/);
    const sa = new AuditedServiceAccount(chart, 'f', props);
    expect(() => sa.allow({ apiGroup: '', resources: [], verbs: ['get'] })).toThrow(/resources must be a non-empty list/);
    expect(() => sa.allow({ apiGroup: 'coordination.k8s.io', resources: ['leases'], resourceNames: ['x'], verbs: ['create'] })).toThrow(
      /"create" cannot be limited by resourceNames/,
    );
    expect(() => sa.allow({ apiGroup: '', resources: ['secrets'], verbs: ['list'], waivers: [{ ruleId: 'rbac-secrets-access', reason: 'why' }] })).toThrow(
      /reason of at least 10/,
    );
  });

  test('waivers are recorded on the object that carries the weakened control and reported as waived', () => {
    const chart = chartIn('shop');
    const sa = new AuditedServiceAccount(chart, 'sync', { owner: 'team-platform', purpose: 'copies TLS secrets into the namespace' });
    sa.allow({ apiGroup: '', resources: ['secrets'], verbs: ['list', 'watch'], waivers: [{ ruleId: 'rbac-secrets-access', reason: 'secret sync needs to list all TLS secrets' }] });
    sa.allow({
      apiGroup: '',
      resources: ['namespaces'],
      verbs: ['list'],
      clusterScope: true,
      waivers: [{ ruleId: 'rbac-cluster-wide-binding', reason: 'discovers namespaces to sync into' }],
    });
    const objects = Testing.synth(chart);
    expect(objects).toMatchSnapshot();
    validateSchemas(objects);
    const byKind = (kind: string) => objects.find((o) => o.kind === kind);
    expect(JSON.parse(byKind('Role').metadata.annotations[WAIVERS_ANNOTATION])).toEqual([
      { ruleId: 'rbac-secrets-access', reason: 'secret sync needs to list all TLS secrets' },
    ]);
    expect(byKind('ClusterRole').metadata.annotations[WAIVERS_ANNOTATION]).toBeUndefined();
    expect(JSON.parse(byKind('ClusterRoleBinding').metadata.annotations[WAIVERS_ANNOTATION])).toEqual([
      { ruleId: 'rbac-cluster-wide-binding', reason: 'discovers namespaces to sync into' },
    ]);
    const result = rbacCheck(objects);
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => `${f.ruleId} ${f.kind}`)).toEqual(['rbac-cluster-wide-binding ClusterRoleBinding', 'rbac-secrets-access Role']);
  });

  test('binding a built-in admin role needs its waiver, recorded on the binding', () => {
    const chart = chartIn('shop');
    const sa = new AuditedServiceAccount(chart, 'breakglass', { owner: 'team-sre', purpose: 'break-glass namespace administration' });
    sa.bindClusterRole('admin', { waivers: [{ ruleId: 'rbac-admin-edit-binding', reason: 'break-glass account, disabled by default' }] });
    const objects = Testing.synth(chart);
    validateSchemas(objects);
    const binding = objects.find((o) => o.kind === 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    expect(JSON.parse(binding.metadata.annotations[WAIVERS_ANNOTATION])).toEqual([
      { ruleId: 'rbac-admin-edit-binding', reason: 'break-glass account, disabled by default' },
    ]);
    const result = rbacCheck(objects);
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => f.ruleId)).toEqual(['rbac-admin-edit-binding']);
  });

  test('a ClusterRole managed elsewhere: dangling to a whole-output check unless waived on the binding', () => {
    const chart = chartIn('shop');
    const sa = new AuditedServiceAccount(chart, 'metrics', { owner: 'team-obs', purpose: 'reads metrics for autoscaling' });
    sa.bindClusterRole('metrics-reader');
    expect(rbacCheck(Testing.synth(chart)).findings.map((f) => f.ruleId)).toEqual(['rbac-dangling-binding']);
    const waivedChart = chartIn('shop');
    const waived = new AuditedServiceAccount(waivedChart, 'metrics', { owner: 'team-obs', purpose: 'reads metrics for autoscaling' });
    waived.bindClusterRole('metrics-reader', { waivers: [{ ruleId: 'rbac-dangling-binding', reason: 'installed by the metrics-server chart' }] });
    const result = rbacCheck(Testing.synth(waivedChart));
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => f.ruleId)).toEqual(['rbac-dangling-binding']);
  });

  test('grants in another namespace get their own Role and RoleBinding; helpers grant exactly what they say', () => {
    const chart = chartIn('shop');
    const sa = new AuditedServiceAccount(chart, 'worker', props);
    sa.allowReadSecret('worker-tls');
    sa.allowListPods({ watch: true });
    sa.allowLeaderElection('worker-lock');
    sa.allowCreateEvents();
    sa.allowReadConfigMap('shared-settings', { namespace: 'config', watch: true });
    sa.bindClusterRole('view', { namespace: 'shop' });
    const objects = Testing.synth(chart);
    validateSchemas(objects);
    expect(rbacCheck(objects).findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    const me = { kind: SubjectKind.SERVICE_ACCOUNT, name: sa.name, namespace: 'shop' };
    const entries = AccessMatrix.fromObjects(objects).entriesFor(me);
    // The built-in view is resolved from the bootstrap policy: its rows are read-only and in shop only.
    const viaView = entries.filter((e) => e.grantedBy.every((g) => g.endsWith('-> ClusterRole view (built-in)')));
    expect(viaView.length).toBeGreaterThan(40);
    expect(viaView.every((e) => e.namespace === 'shop' && e.verbs.every((v) => ['get', 'list', 'watch'].includes(v)))).toBe(true);
    expect(viaView.some((e) => e.resource === 'secrets')).toBe(false);
    const rows = entries
      .filter((e) => !viaView.includes(e))
      .map((e) => `${e.namespace} ${e.apiGroup}/${e.resource}${e.resourceName ? `:${e.resourceName}` : ''} ${e.verbs.join(',')}`);
    expect(rows).toEqual([
      'config /configmaps:shared-settings get,list,watch',
      'shop /events create,get,list,patch,watch',
      'shop /pods get,list,watch',
      'shop /secrets:worker-tls get',
      'shop coordination.k8s.io/leases create',
      'shop coordination.k8s.io/leases:worker-lock get,update',
      'shop events.k8s.io/events create,patch',
    ]);
    const roleNamespaces = objects.filter((o) => o.kind === 'Role').map((o) => o.metadata.namespace);
    expect(roleNamespaces).toEqual(['shop', 'config']);
    const viewBinding = objects.find((o) => o.kind === 'RoleBinding' && o.roleRef.name === 'view');
    expect(viewBinding.metadata.namespace).toBe('shop');
  });

  test('apiAccess: the projected token volume a pod needs, with a bounded lifetime', () => {
    const chart = chartIn('shop');
    const plain = new AuditedServiceAccount(chart, 'plain', props);
    expect(plain.projectedTokenVolume()).toBeUndefined();

    const sa = new AuditedServiceAccount(chart, 'operator', { ...props, apiAccess: { reason: 'watches its own ConfigMap for reloads', expirationSeconds: 1800, audience: 'shop-api' } });
    sa.allowReadConfigMap('operator-settings', { watch: true });
    const token = sa.projectedTokenVolume()!;
    expect(token).toMatchObject({ volumeName: 'api-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', expirationSeconds: 1800, audience: 'shop-api' });
    expect(token.volume.projected.sources[0]).toEqual({ serviceAccountToken: { path: 'token', expirationSeconds: 1800, audience: 'shop-api' } });
    expect(token.volumeMount).toEqual({ name: 'api-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });

    // The token, the cluster CA and the namespace file: what the kubelet's own kube-api-access volume holds.
    expect(token.volume.projected.sources.slice(1)).toEqual([
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ]);

    // The hardened workloads add both to their final pod spec (test/constructs/hardened-deployment.test.ts);
    // here: they are a valid pod volume and mount, next to a token that is never automounted.
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'op', namespace: 'shop' },
      spec: { serviceAccountName: sa.name, automountServiceAccountToken: false, volumes: [token.volume], containers: [{ name: 'op', image: 'operator', volumeMounts: [token.volumeMount] }] },
    };
    const objects = [...Testing.synth(chart), pod];
    validateSchemas(objects);
    const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === sa.name);
    expect(account.metadata.annotations['hardened.cdk8s.io/api-access']).toBe('watches its own ConfigMap for reloads');
  });

  test('audit rules: secrets and configmaps at Metadata first, writes at RequestResponse', () => {
    const sa = new AuditedServiceAccount(chartIn('shop'), 'frontend', props);
    const user = `system:serviceaccount:shop:${sa.name}`;
    expect(sa.userName).toBe(user);
    const rules = sa.auditPolicyRules();
    expect(rules).toEqual([
      { level: AuditLevel.METADATA, users: [user], resources: [{ group: '', resources: ['secrets', 'configmaps'] }], omitStages: ['RequestReceived'] },
      { level: AuditLevel.REQUEST_RESPONSE, users: [user], verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'], omitStages: ['RequestReceived'] },
    ]);
    // Secret bodies are never logged: the first matching rule for any secret request is Metadata.
    const firstForSecrets = rules.find((r) => !r.resources || r.resources.some((g) => g.group === '' && (g.resources ?? []).includes('secrets')));
    expect(firstForSecrets?.level).toBe(AuditLevel.METADATA);
  });

  test('without a namespace the account still works namespaced, but cannot name its audit user', () => {
    const chart = chartIn();
    const sa = new AuditedServiceAccount(chart, 'frontend', props);
    sa.allowReadConfigMap('settings');
    const objects = Testing.synth(chart);
    validateSchemas(objects);
    expect(objects.find((o) => o.kind === 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: sa.name }]);
    expect(() => sa.auditPolicyRules()).toThrow(/shop\/frontend: AuditedServiceAccount needs a namespace for its audit rules/);
    expect(() => sa.allow({ apiGroup: '', resources: ['namespaces'], verbs: ['get'], clusterScope: true, waivers: [{ ruleId: 'rbac-cluster-wide-binding', reason: 'reads namespace labels' }] })).toThrow(
      /needs a namespace for a ClusterRoleBinding subject/,
    );
  });

  test('two synths are byte-identical', () => {
    const build = () => {
      const chart = chartIn('shop');
      const sa = new AuditedServiceAccount(chart, 'frontend', props);
      sa.allowReadConfigMap('a');
      sa.allowReadSecret('b');
      return JSON.stringify(Testing.synth(chart));
    };
    expect(build()).toBe(build());
  });
});
