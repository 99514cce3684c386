/**
 * Issue 12, RBAC: each escalation path as plain YAML through the engine (a finding is expected), next to the
 * legitimate form that must pass, and the same paths through AuditedServiceAccount and AccessMatrix.
 */
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { serviceAccount } from './fixtures';
import { AccessMatrix, AuditedServiceAccount, SubjectKind } from '../../src';
import { BOOTSTRAP_CLUSTER_ROLES } from '../../src/analysis/rbac/bootstrap-policy';
import { bootstrapRules } from '../../src/analysis/rbac/dangerous';
import type { K8sObject } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';
import { RBAC_RULES } from '../../src/rules/rbac';
import { builtinRoleGrants, dangerousBuiltinRoles } from '../../src/rules/rbac/permissions';

const rbacIds = RBAC_RULES.map((r) => r.id);
const findings = (manifest: string) =>
  checkObjects(
    (yaml.loadAll(manifest) as K8sObject[]).map((object) => ({ object })),
    { rules: rbacIds, settings: { completeSet: true } },
  ).findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`);
const roleWith = (rule: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: shop}
rules:
- ${rule}
`;

describe('missing dangerous grants, in plain YAML', () => {
  test.each([
    ['create persistentvolumes (a hostPath PV mounts the node)', '{apiGroups: [""], resources: [persistentvolumes], verbs: [create]}', 'rbac-create-persistentvolumes'],
    ['patch pods (swap the image of a running pod)', '{apiGroups: [""], resources: [pods], verbs: [patch]}', 'rbac-create-workloads'],
    ['update pods', '{apiGroups: [""], resources: [pods], verbs: [update]}', 'rbac-create-workloads'],
    ['patch secrets (the response returns the data)', '{apiGroups: [""], resources: [secrets], verbs: [patch]}', 'rbac-secrets-access'],
    ['update secrets', '{apiGroups: [""], resources: [secrets], verbs: [update]}', 'rbac-secrets-access'],
    ['patch nodes', '{apiGroups: [""], resources: [nodes], verbs: [patch]}', 'rbac-modify-nodes'],
    ['update nodes/status', '{apiGroups: [""], resources: [nodes/status], verbs: [update]}', 'rbac-modify-nodes'],
    ['create mutatingadmissionpolicies', '{apiGroups: [admissionregistration.k8s.io], resources: [mutatingadmissionpolicies], verbs: [create]}', 'rbac-webhook-config'],
    ['update mutatingadmissionpolicybindings', '{apiGroups: [admissionregistration.k8s.io], resources: [mutatingadmissionpolicybindings], verbs: [update]}', 'rbac-webhook-config'],
    ['delete validatingadmissionpolicybindings', '{apiGroups: [admissionregistration.k8s.io], resources: [validatingadmissionpolicybindings], verbs: [delete]}', 'rbac-webhook-config'],
    ['patch validatingadmissionpolicies', '{apiGroups: [admissionregistration.k8s.io], resources: [validatingadmissionpolicies], verbs: [patch]}', 'rbac-webhook-config'],
    ['patch pods/ephemeralcontainers', '{apiGroups: [""], resources: [pods/ephemeralcontainers], verbs: [patch]}', 'rbac-pod-exec-attach'],
    ['create customresourcedefinitions', '{apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: [create]}', 'rbac-crd-write'],
    ['delete customresourcedefinitions', '{apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: [delete]}', 'rbac-crd-write'],
    ['nonResourceURLs ending in *', '{nonResourceURLs: ["/logs/*"], verbs: [get]}', 'rbac-no-wildcard'],
    ['nonResourceURLs prefix without slash', '{nonResourceURLs: ["/debug*"], verbs: [get]}', 'rbac-no-wildcard'],
  ])('%s', (_, rule, ruleId) => {
    expect(findings(roleWith(rule))).toEqual([`${ruleId} Role/r rules[0]`]);
  });

  test('"*/status" update reaches nodes/status (and is a wildcard)', () => {
    expect(findings(roleWith('{apiGroups: [""], resources: ["*/status"], verbs: [update]}'))).toEqual(['rbac-modify-nodes Role/r rules[0]', 'rbac-no-wildcard Role/r rules[0]']);
  });

  test.each([
    ['reading persistentvolumes', '{apiGroups: [""], resources: [persistentvolumes], verbs: [get, list, watch]}'],
    ['creating claims', '{apiGroups: [""], resources: [persistentvolumeclaims], verbs: [create]}'],
    ['patching one named Secret', '{apiGroups: [""], resources: [secrets], resourceNames: [own-tls], verbs: [get, patch]}'],
    ['patching pod status', '{apiGroups: [""], resources: [pods/status], verbs: [patch]}'],
    ['reading nodes', '{apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}'],
    ['reading admission policies', '{apiGroups: [admissionregistration.k8s.io], resources: [mutatingadmissionpolicies, validatingadmissionpolicies], verbs: [get, list]}'],
    ['reading customresourcedefinitions', '{apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: [get, list, watch]}'],
    ['a custom resource named like nodes', '{apiGroups: [example.com], resources: [nodes, persistentvolumes], verbs: [create, patch]}'],
    ['exact nonResourceURLs', '{nonResourceURLs: [/healthz, /metrics], verbs: [get]}'],
  ])('the legitimate form passes: %s', (_, rule) => {
    expect(findings(roleWith(rule))).toEqual([]);
  });
});

describe('subjects: the service account groups are public', () => {
  const binding = (group: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: "${group}"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
- {apiGroups: [""], resources: [configmaps], resourceNames: [settings], verbs: [get]}
`;
  test.each(['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:serviceaccounts:kube-system'])('%s is reported', (group) => {
    expect(findings(binding(group))).toEqual(['rbac-anonymous-binding RoleBinding/b subjects[0]']);
  });
  test('a named group, or one ServiceAccount user, is not', () => {
    expect(findings(binding('shop-readers'))).toEqual([]);
    expect(findings(binding('system:serviceaccount'))).toEqual([]);
  });
});

describe('bindings to built-in roles are judged by what the bootstrap policy grants them', () => {
  const bind = (role: string, kind = 'RoleBinding') => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: b${kind === 'RoleBinding' ? ', namespace: shop' : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "${role}"}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
`;
  test.each(['system:aggregate-to-edit', 'system:aggregate-to-admin', 'system:node', 'system:kube-controller-manager', 'system:controller:deployment-controller', 'system:controller:generic-garbage-collector', 'system:certificates.k8s.io:kube-apiserver-client-approver'])(
    '%s needs a waiver',
    (role) => {
      expect(findings(bind(role))).toEqual(['rbac-builtin-role-binding RoleBinding/b roleRef.name']);
    },
  );

  test('the message names what the role grants, by rule', () => {
    const result = checkObjects((yaml.loadAll(bind('system:aggregate-to-edit')) as K8sObject[]).map((object) => ({ object })), { rules: rbacIds });
    const message = result.findings[0].message;
    expect(message).toContain('grants the built-in ClusterRole system:aggregate-to-edit in namespace shop, which grants');
    for (const id of ['rbac-secrets-access', 'rbac-create-workloads', 'rbac-pod-exec-attach', 'rbac-escalate-bind-impersonate', 'rbac-sa-token-create']) expect(message).toContain(`(${id})`);
  });

  test('read-only built-in roles pass, and an unknown system: role is dangling, not trusted', () => {
    for (const role of ['view', 'system:aggregate-to-view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:auth-delegator', 'system:kube-dns']) {
      expect([role, findings(bind(role))]).toEqual([role, []]);
    }
    expect(findings(bind('system:made-up'))).toEqual(['rbac-dangling-binding RoleBinding/b roleRef']);
    // cluster-admin, admin and edit keep their own rules.
    expect(findings(bind('edit'))).toEqual(['rbac-admin-edit-binding RoleBinding/b roleRef.name']);
  });

  test('the table holds the roles the issue names, and aggregation resolves within it', () => {
    const names = BOOTSTRAP_CLUSTER_ROLES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:aggregate-to-admin', 'system:aggregate-to-edit', 'system:aggregate-to-view', 'system:node', 'system:kube-controller-manager', 'system:kube-scheduler', 'system:kube-dns']) {
      expect(names).toContain(name);
    }
    expect(names.filter((n) => n.startsWith('system:controller:')).length).toBeGreaterThan(30);
    // edit = aggregate-to-edit + view (aggregate-to-view); admin adds aggregate-to-admin on top of edit.
    const resources = (name: string) => new Set(bootstrapRules(name).flatMap((r) => r.resources));
    expect(resources('edit').has('pods/exec')).toBe(true);
    expect(resources('edit').has('pods/log')).toBe(true);
    expect(resources('edit').has('rolebindings')).toBe(false);
    expect(resources('admin').has('rolebindings')).toBe(true);
    expect(resources('view').has('secrets')).toBe(false);
    expect(builtinRoleGrants('view')).toEqual([]);
    expect(dangerousBuiltinRoles()).toContain('system:node');
    expect(dangerousBuiltinRoles()).not.toContain('view');
  });
});

describe('aggregationRule is judged by what it can collect', () => {
  const aggregating = (selectors: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg}
aggregationRule:
  clusterRoleSelectors: ${selectors}
`;
  test('an empty selector collects cluster-admin: critical', () => {
    const found = findings(aggregating('[{}]'));
    expect(found).toContain('rbac-aggregate-all ClusterRole/agg aggregationRule.clusterRoleSelectors[0]');
    expect(found).toContain('rbac-aggregate-builtin ClusterRole/agg aggregationRule.clusterRoleSelectors[0]');
  });

  test('a selector cluster-admin satisfies collects it too', () => {
    expect(findings(aggregating('[{matchLabels: {kubernetes.io/bootstrapping: rbac-defaults}}]'))).toContain(
      'rbac-aggregate-all ClusterRole/agg aggregationRule.clusterRoleSelectors[0]',
    );
    expect(findings(aggregating('[{matchExpressions: [{key: example.com/team, operator: DoesNotExist}]}]'))).toContain(
      'rbac-aggregate-all ClusterRole/agg aggregationRule.clusterRoleSelectors[0]',
    );
  });

  test.each([
    ['rbac.authorization.k8s.io/aggregate-to-edit', 'system:aggregate-to-edit'],
    ['rbac.authorization.k8s.io/aggregate-to-admin', 'edit, system:aggregate-to-admin'],
  ])('a selector on %s copies the built-in roles and is judged as them', (label, copied) => {
    const manifest = aggregating(`[{matchLabels: {${label}: "true"}}]`);
    expect(findings(manifest)).toEqual(['rbac-aggregate-builtin ClusterRole/agg aggregationRule.clusterRoleSelectors[0]']);
    const result = checkObjects((yaml.loadAll(manifest) as K8sObject[]).map((object) => ({ object })), { rules: rbacIds });
    expect(result.findings[0].message).toContain(`copies the built-in ClusterRoles ${copied}:`);
    expect(result.findings[0].message).toContain('(rbac-secrets-access)');
  });

  test('any other selector is reported with the roles it matches in the set; aggregate-to-view copies only view', () => {
    const manifest = `${aggregating('[{matchLabels: {example.com/aggregate-to-monitoring: "true"}}]')}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics-reader, labels: {example.com/aggregate-to-monitoring: "true"}}
rules:
- {apiGroups: [metrics.k8s.io], resources: [pods], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader, labels: {example.com/aggregate-to-monitoring: "true"}}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [list]}
`;
    const result = checkObjects((yaml.loadAll(manifest) as K8sObject[]).map((object) => ({ object })), { rules: rbacIds });
    const aggregate = result.findings.filter((f) => f.ruleId === 'rbac-aggregate-selector');
    expect(aggregate.map((f) => `${f.name} ${f.path}`)).toEqual(['agg aggregationRule.clusterRoleSelectors[0]']);
    expect(aggregate[0].message).toBe(
      'ClusterRole "agg" aggregates the ClusterRoles labelled {example.com/aggregate-to-monitoring=true}: metrics-reader, secret-reader in this set ' +
        '(bringing rbac-secrets-access from secret-reader); any ClusterRole created later with these labels joins it',
    );
    // Copying view is copying read-only roles: only the standing-selector report, no built-in copy finding.
    const view = checkObjects((yaml.loadAll(aggregating('[{matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}]')) as K8sObject[]).map((object) => ({ object })), { rules: rbacIds });
    expect(view.findings.map((f) => f.ruleId)).toEqual(['rbac-aggregate-selector']);
    expect(view.findings[0].message).toContain('no ClusterRole in this set and the built-in system:aggregate-to-view');
  });

  test('a ClusterRole without aggregationRule is not judged by these rules', () => {
    expect(findings(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: plain, labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}
rules:
- {apiGroups: [example.com], resources: [widgets], verbs: [get]}
`)).toEqual([]);
  });
});

describe('AccessMatrix and canI resolve built-in roles and aggregation', () => {
  const anonymous = { kind: SubjectKind.USER, name: 'system:anonymous' };
  test('cluster-admin bound to system:unauthenticated lets the anonymous user delete nodes', () => {
    const m = AccessMatrix.fromObjects(yaml.loadAll(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: oops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: system:unauthenticated}
`) as any[]);
    expect(m.canI(anonymous, 'delete', 'nodes')).toBe(true);
    expect(m.canIAccessUrl(anonymous, 'get', '/logs/kube-apiserver.log')).toBe(true);
    expect(m.canI({ kind: SubjectKind.USER, name: 'jane' }, 'delete', 'nodes')).toBe(false);
    expect(m.unresolvedBindings()).toEqual([]);
    expect(m.entries()[0].grantedBy).toEqual(['ClusterRoleBinding oops -> ClusterRole cluster-admin (built-in)']);
  });

  test('system:masters is authorized for everything; edit through the bootstrap table', () => {
    const m = AccessMatrix.fromObjects([
      ...yaml.loadAll(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: editors, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: User, apiGroup: rbac.authorization.k8s.io, name: ed}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: widgets-edit, labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}}
rules:
- {apiGroups: [example.com], resources: [widgets], verbs: [create]}
`) as any[],
    ]);
    expect(m.canI({ kind: SubjectKind.USER, name: 'root', groups: ['system:masters'] }, 'escalate', 'clusterroles', undefined, { apiGroup: 'rbac.authorization.k8s.io' })).toBe(true);
    const ed = { kind: SubjectKind.USER, name: 'ed' };
    expect(m.canI(ed, 'create', 'pods', 'shop', { subresource: 'exec' })).toBe(true);
    expect(m.canI(ed, 'list', 'secrets', 'shop')).toBe(true);
    expect(m.canI(ed, 'get', 'pods', 'shop', { subresource: 'log' })).toBe(true); // edit aggregates view
    expect(m.canI(ed, 'create', 'rolebindings', 'shop', { apiGroup: 'rbac.authorization.k8s.io' })).toBe(false); // that is admin
    expect(m.canI(ed, 'create', 'widgets', 'shop', { apiGroup: 'example.com' })).toBe(true); // a set role joins built-in edit
    expect(m.canI(ed, 'list', 'secrets', 'other')).toBe(false);
  });

  test('an aggregated ClusterRole of the set collects built-in roles and says so', () => {
    const m = AccessMatrix.fromObjects(yaml.loadAll(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
aggregationRule:
  clusterRoleSelectors: [{}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {example.com/aggregate-to-monitoring: "true"}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics-reader, labels: {example.com/aggregate-to-monitoring: "true"}}
rules:
- {apiGroups: [metrics.k8s.io], resources: [pods], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
`) as any[]);
    const web = { kind: SubjectKind.SERVICE_ACCOUNT, name: 'web', namespace: 'shop' };
    expect(m.canI(web, 'delete', 'secrets', 'shop')).toBe(true); // via cluster-admin, collected by {}
    expect(m.canI(web, 'delete', 'secrets', 'other')).toBe(false); // a RoleBinding still scopes it
    const aggregations = m.aggregations();
    expect(aggregations.map((a) => [a.clusterRole, a.selector, a.fromSet.join(','), a.builtin.includes('cluster-admin')])).toEqual([
      ['everything', '{}', 'metrics-reader,monitoring', true],
      ['monitoring', '{example.com/aggregate-to-monitoring=true}', 'metrics-reader', false],
    ]);
    expect(m.toMarkdown()).toContain('Aggregated ClusterRoles (each selector also collects any ClusterRole created later, outside this set, with matching labels):');
    expect(m.toMarkdown()).toContain('- ClusterRole monitoring {example.com/aggregate-to-monitoring=true}: metrics-reader\n');
  });
});

describe('AuditedServiceAccount binds built-in roles only with a waiver when they grant dangerous permissions', () => {
  const props = { owner: 'team-shop', purpose: 'serves the storefront' };
  test('system:aggregate-to-edit needs a waiver where edit does', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const sa = new AuditedServiceAccount(chart, 'web', props);
    expect(() => sa.bindClusterRole('system:aggregate-to-edit')).toThrow(
      /^shop\/web: binding ClusterRole system:aggregate-to-edit is dangerous: the built-in ClusterRole system:aggregate-to-edit, which grants .*\(rbac-secrets-access\).*\(rule rbac-builtin-role-binding: .*waivers: \[\{ ruleId: 'rbac-builtin-role-binding'/,
    );
    expect(() => sa.bindClusterRole('system:node')).toThrow(/rule rbac-builtin-role-binding/);
    expect(() => sa.bindClusterRole('system:controller:job-controller')).toThrow(/rule rbac-builtin-role-binding/);
    sa.bindClusterRole('system:aggregate-to-view');
    sa.bindClusterRole('system:controller:job-controller', { waivers: [{ ruleId: 'rbac-builtin-role-binding', reason: 'a job runner standing in for the controller' }] });
    const objects = Testing.synth(chart);
    expect(objects.filter((o) => o.kind === 'RoleBinding').map((o) => o.roleRef.name)).toEqual(['system:aggregate-to-view', 'system:controller:job-controller']);
    const result = checkObjects([...objects, serviceAccount('unused', 'shop')].map((object) => ({ object })), { rules: rbacIds });
    expect(result.findings).toEqual([]);
    expect(result.waived.map((f) => `${f.ruleId} ${f.name}`)).toEqual([`rbac-builtin-role-binding ${objects.find((o) => o.roleRef?.name === 'system:controller:job-controller').metadata.name}`]);
  });

  test('grants the classification missed now fail synth', () => {
    const sa = new AuditedServiceAccount(new Chart(Testing.app(), 'shop', { namespace: 'shop' }), 'ops', props);
    expect(() => sa.allow({ apiGroup: '', resources: ['persistentvolumes'], verbs: ['create'] })).toThrow(/rule rbac-create-persistentvolumes/);
    expect(() => sa.allow({ apiGroup: '', resources: ['pods'], verbs: ['patch'] })).toThrow(/rule rbac-create-workloads/);
    expect(() => sa.allow({ apiGroup: '', resources: ['secrets'], verbs: ['update'] })).toThrow(/rule rbac-secrets-access/);
    expect(() => sa.allow({ apiGroup: '', resources: ['nodes/status'], verbs: ['patch'] })).toThrow(/rule rbac-modify-nodes/);
    expect(() => sa.allow({ apiGroup: 'admissionregistration.k8s.io', resources: ['mutatingadmissionpolicies'], verbs: ['create'] })).toThrow(/rule rbac-webhook-config/);
    expect(() => sa.allow({ apiGroup: 'apiextensions.k8s.io', resources: ['customresourcedefinitions'], verbs: ['update'] })).toThrow(/rule rbac-crd-write/);
    expect(() => sa.allow({ apiGroup: '', resources: ['pods/ephemeralcontainers'], verbs: ['update'] })).toThrow(/rule rbac-pod-exec-attach/);
    // The legitimate forms pass.
    sa.allow({ apiGroup: '', resources: ['secrets'], resourceNames: ['ops-tls'], verbs: ['get', 'patch'] });
    sa.allow({ apiGroup: '', resources: ['persistentvolumeclaims'], verbs: ['create', 'get'] });
    sa.allow({ apiGroup: '', resources: ['nodes'], verbs: ['get', 'list'], clusterScope: true, waivers: [{ ruleId: 'rbac-cluster-wide-binding', reason: 'reads node topology for placement' }] });
    const result = checkObjects(Testing.synth(Chart.of(sa)).map((object) => ({ object })), { rules: rbacIds });
    expect(result.findings).toEqual([]);
  });
});
