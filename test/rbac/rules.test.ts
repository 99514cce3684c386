import * as yaml from 'js-yaml';
import { clusterRole, clusterRoleBinding, role, roleBinding, serviceAccount } from './fixtures';
import { dangerousPermissions as dangerousPermissionsIn, RbacRuleId } from '../../src/analysis/rbac/dangerous';
import { readPolicyRule } from '../../src/analysis/rbac/model';
import { K8sObject } from '../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES, findRule } from '../../src/rules';
import { RBAC_RULES } from '../../src/rules/rbac';
import { dangerousPermissions, PERMISSION_RULES, PERMISSIONS } from '../../src/rules/rbac/permissions';

const rbacIds = RBAC_RULES.map((r) => r.id);
const check = (objects: unknown[], completeSet = true) =>
  checkObjects(objects.map((object) => ({ object: object as K8sObject })), { rules: rbacIds, settings: { completeSet } });
const findingsOf = (objects: unknown[], completeSet = true) =>
  check(objects, completeSet).findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`);

describe('rbac catalog metadata', () => {
  test('every rbac rule is in the catalog with area, references and a remediation', () => {
    for (const rule of RBAC_RULES) {
      expect(findRule(rule.id)).toBe(rule);
      expect(rule.id.startsWith('rbac-')).toBe(true);
      expect(rule.area).toBe('rbac');
      expect(rule.remediation.length).toBeGreaterThan(40);
      expect(Object.keys(rule.references).length).toBeGreaterThan(0);
    }
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    // The classification and the catalog name the same rules, one to one.
    expect(Object.values(RbacRuleId).sort()).toEqual([...rbacIds].sort());
  });
});

describe('each permission rule carries what it matches', () => {
  test('the classification is the rbac data of the rule files, one entry per permission rule', () => {
    const withData = RBAC_RULES.filter((r) => r.rbac !== undefined).map((r) => r.id);
    expect([...PERMISSION_RULES.map((r) => r.id)].sort()).toEqual([...withData].sort());
    expect(PERMISSIONS.map((p) => p.ruleId)).toEqual(PERMISSION_RULES.map((r) => r.id));
    for (const rule of PERMISSION_RULES) expect(findRule(rule.id)).toBe(rule);
    // The data is the rule's own: the probes of rbac-secrets-access are in its rule file.
    expect(findRule('rbac-secrets-access')!.rbac!.probes).toEqual([{ apiGroup: '', resource: 'secrets', verbs: ['get', 'list', 'watch', 'update', 'patch'], unlessResourceNames: true }]);
  });

  test('a catalog with other rbac data judges by it: the matcher holds no data of its own', () => {
    const secrets = findRule('rbac-secrets-access')!;
    const narrowed = { ruleId: secrets.id, probes: [{ apiGroup: '', resource: 'secrets', verbs: ['delete'] }] };
    const rule = readPolicyRule({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'delete'] });
    expect(dangerousPermissionsIn(rule, [narrowed])).toEqual([{ ruleId: 'rbac-secrets-access', permission: 'delete on core secrets' }]);
    expect(dangerousPermissionsIn(rule, [])).toEqual([]);
  });
});

describe('dangerous permissions in plain YAML roles', () => {
  const manifest = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: mixed, namespace: app}
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [list]
- apiGroups: [""]
  resources: [secrets]
  resourceNames: [own-tls]
  verbs: [get]
- apiGroups: [""]
  resources: [pods/exec, pods/portforward]
  verbs: [create]
- apiGroups: [apps]
  resources: [deployments]
  verbs: [create, get]
- apiGroups: [""]
  resources: [serviceaccounts/token]
  verbs: [create]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [rolebindings]
  verbs: [create]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [roles]
  verbs: [bind]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-and-certs}
rules:
- apiGroups: [""]
  resources: [nodes/proxy]
  verbs: [get]
- apiGroups: [certificates.k8s.io]
  resources: [certificatesigningrequests/approval]
  verbs: [update]
- apiGroups: [admissionregistration.k8s.io]
  resources: [validatingwebhookconfigurations]
  verbs: [delete]
- apiGroups: [""]
  resources: [users]
  verbs: [impersonate]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch]
- nonResourceURLs: ["/healthz"]
  verbs: [get]
`;
  const objects = yaml.loadAll(manifest);

  test('each dangerous rule is reported at its path with the rule id of its kind', () => {
    expect(findingsOf(objects)).toEqual([
      'rbac-crd-write ClusterRole/everything rules[0]',
      'rbac-create-persistentvolumes ClusterRole/everything rules[0]',
      'rbac-create-workloads ClusterRole/everything rules[0]',
      'rbac-csr-approval ClusterRole/everything rules[0]',
      'rbac-escalate-bind-impersonate ClusterRole/everything rules[0]',
      'rbac-modify-namespaces ClusterRole/everything rules[0]',
      'rbac-modify-nodes ClusterRole/everything rules[0]',
      'rbac-modify-rbac ClusterRole/everything rules[0]',
      'rbac-no-wildcard ClusterRole/everything rules[0]',
      'rbac-nodes-proxy ClusterRole/everything rules[0]',
      'rbac-pod-exec-attach ClusterRole/everything rules[0]',
      'rbac-sa-token-create ClusterRole/everything rules[0]',
      'rbac-secrets-access ClusterRole/everything rules[0]',
      'rbac-webhook-config ClusterRole/everything rules[0]',
      'rbac-csr-approval ClusterRole/node-and-certs rules[1]',
      'rbac-escalate-bind-impersonate ClusterRole/node-and-certs rules[3]',
      'rbac-nodes-proxy ClusterRole/node-and-certs rules[0]',
      'rbac-webhook-config ClusterRole/node-and-certs rules[2]',
      'rbac-create-workloads Role/mixed rules[3]',
      'rbac-escalate-bind-impersonate Role/mixed rules[6]',
      'rbac-modify-rbac Role/mixed rules[5]',
      'rbac-pod-exec-attach Role/mixed rules[2]',
      'rbac-sa-token-create Role/mixed rules[4]',
      'rbac-secrets-access Role/mixed rules[0]',
    ]);
  });

  test('messages name the permission', () => {
    const messages = check(objects).findings.filter((f) => f.name === 'mixed').map((f) => f.message);
    expect(messages).toContain('Role "mixed" grants list on core secrets without resourceNames');
    expect(messages).toContain('Role "mixed" grants create on core pods/exec, create on core pods/portforward');
    expect(messages).toContain('Role "mixed" grants verb bind, bind on rbac.authorization.k8s.io roles');
  });

  test('a wildcard reaches the core group: "*" apiGroups with secrets is secrets access', () => {
    expect(dangerousPermissions(readPolicyRule({ apiGroups: ['*'], resources: ['secrets'], verbs: ['watch'] })).map((d) => d.ruleId)).toEqual([
      'rbac-no-wildcard',
      'rbac-secrets-access',
    ]);
    // A custom resource named "secrets" in another group is not the core Secret.
    expect(dangerousPermissions(readPolicyRule({ apiGroups: ['example.com'], resources: ['secrets'], verbs: ['get'] }))).toEqual([]);
    // */exec is both a wildcard and exec access.
    expect(dangerousPermissions(readPolicyRule({ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] })).map((d) => d.ruleId)).toEqual([
      'rbac-no-wildcard',
      'rbac-pod-exec-attach',
    ]);
  });

  test('a waiver on the role moves its findings to waived, per rule id', () => {
    const waived = role('mixed', 'app', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }, { apiGroups: [''], resources: ['pods'], verbs: ['create'] }], {
      [WAIVERS_ANNOTATION]: JSON.stringify([{ ruleId: 'rbac-secrets-access', reason: 'secret sync controller' }]),
    });
    const result = check([waived]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['rbac-create-workloads']);
    expect(result.waived.map((f) => f.ruleId)).toEqual(['rbac-secrets-access']);
  });
});

describe('dangerous bindings in plain YAML', () => {
  const reader = role('reader', 'app', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);

  test('cluster-admin, admin/edit, public groups, default SA and cluster-wide bindings', () => {
    const objects = [
      reader,
      serviceAccount('web', 'app'),
      clusterRoleBinding('root', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'web', namespace: 'app' }]),
      roleBinding('editors', 'app', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'ServiceAccount', name: 'web' }]),
      roleBinding('public', 'app', { kind: 'Role', name: 'reader' }, [
        { kind: 'Group', name: 'system:unauthenticated' },
        { kind: 'User', name: 'system:anonymous' },
        { kind: 'Group', name: 'system:authenticated' },
      ]),
      roleBinding('dflt', 'app', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'default' }]),
    ];
    expect(findingsOf(objects)).toEqual([
      'rbac-cluster-admin-binding ClusterRoleBinding/root roleRef.name',
      'rbac-cluster-wide-binding ClusterRoleBinding/root roleRef',
      'rbac-default-sa-binding RoleBinding/dflt subjects[0]',
      'rbac-admin-edit-binding RoleBinding/editors roleRef.name',
      'rbac-anonymous-binding RoleBinding/public subjects[0]',
      'rbac-anonymous-binding RoleBinding/public subjects[1]',
      'rbac-anonymous-binding RoleBinding/public subjects[2]',
    ]);
  });

  test('dangling: missing Role, ClusterRole or ServiceAccount, only when the set is complete', () => {
    const objects = [
      reader,
      roleBinding('typo', 'app', { kind: 'Role', name: 'raeder' }, [{ kind: 'ServiceAccount', name: 'web' }]),
      roleBinding('other-ns', 'other', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'web', namespace: 'app' }]),
      roleBinding('builtin', 'app', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'jane' }]),
      clusterRoleBinding('custom', 'not-here', [{ kind: 'User', name: 'jane' }]),
      serviceAccount('web', 'app'),
    ];
    const dangling = findingsOf(objects).filter((f) => f.startsWith('rbac-dangling'));
    expect(dangling).toEqual([
      'rbac-dangling-binding ClusterRoleBinding/custom roleRef',
      'rbac-dangling-binding RoleBinding/typo roleRef',
      'rbac-dangling-binding RoleBinding/other-ns roleRef',
    ]);
    const withMissingSa = findingsOf([reader, roleBinding('b', 'app', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'ghost' }])]);
    expect(withMissingSa).toEqual(['rbac-dangling-binding RoleBinding/b subjects[0]']);
    expect(findingsOf(objects, false).filter((f) => f.startsWith('rbac-dangling'))).toEqual([]);
  });

  test('a least-privilege role and binding to a dedicated account is clean', () => {
    const objects = [
      serviceAccount('web', 'app'),
      role('cfg', 'app', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] }]),
      roleBinding('cfg', 'app', { kind: 'Role', name: 'cfg' }, [{ kind: 'ServiceAccount', name: 'web' }]),
      clusterRole('probe', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]),
    ];
    const result = check(objects);
    expect(result.findings).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  test('malformed RBAC objects never make a rule throw', () => {
    const result = check([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'x' }, rules: [null, 'x', { verbs: 5, resources: [1] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: 'x', subjects: 'nope' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'c' }, subjects: [null, { kind: 3 }] },
    ]);
    // No rule failed to evaluate them: the wrong types are the engine's shape problems, each named once.
    expect(result.problems.filter((p) => p.message.includes('could not evaluate'))).toEqual([]);
    expect(result.problems.map((p) => p.message)).toEqual([
      'Role x/r: rules[0] must not be null',
      'Role x/r: rules[1] must be a mapping, got a string',
      'Role x/r: rules[2].verbs must be a list, got an integer',
      'Role x/r: rules[2].resources[0] must be a string, got an integer',
      'RoleBinding b: roleRef must be a mapping, got a string',
      'RoleBinding b: subjects must be a list, got a string',
      'ClusterRoleBinding c: subjects[0] must not be null',
      'ClusterRoleBinding c: subjects[1].kind must be a string, got an integer',
    ]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['rbac-cluster-wide-binding', 'rbac-dangling-binding', 'rbac-dangling-binding']);
  });
});

describe('review findings: escalation through writes', () => {
  test('patching namespaces or a controller pod template is dangerous; reading them is not', () => {
    const roleWith = (rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules });
    const ids = (rules: unknown[]) => checkObjects([{ object: roleWith(rules) }], { rules: RBAC_RULES.map((r) => r.id) }).findings.map((f) => `${f.ruleId} ${f.message}`);
    expect(ids([{ apiGroups: [''], resources: ['namespaces'], verbs: ['patch'] }])).toEqual(['rbac-modify-namespaces Role "r" grants patch on core namespaces']);
    expect(ids([{ apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['update'] }])).toEqual(['rbac-create-workloads Role "r" grants update on apps daemonsets']);
    expect(ids([{ apiGroups: ['', 'apps'], resources: ['namespaces', 'deployments'], verbs: ['get', 'list', 'watch'] }])).toEqual([]);
  });
});
