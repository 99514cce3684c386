import { clusterRole, clusterRoleBinding, role, roleBinding } from './fixtures';
import { AccessMatrix, SubjectKind } from '../../src';

const sa = (name: string, namespace: string) => ({ kind: SubjectKind.SERVICE_ACCOUNT, name, namespace });
const user = (name: string, groups?: string[]) => ({ kind: SubjectKind.USER, name, groups });
const group = (name: string) => ({ kind: SubjectKind.GROUP, name });

describe('canI follows the RBAC authorizer', () => {
  test('resourceNames limit get to the named object and never allow an unnamed list', () => {
    const m = AccessMatrix.fromObjects([
      role('cfg', 'app', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'list'] }]),
      roleBinding('cfg', 'app', { kind: 'Role', name: 'cfg' }, [{ kind: 'ServiceAccount', name: 'web' }]),
    ]);
    const web = sa('web', 'app');
    expect(m.canI(web, 'get', 'configmaps', 'app', { resourceName: 'settings' })).toBe(true);
    expect(m.canI(web, 'get', 'configmaps', 'app', { resourceName: 'other' })).toBe(false);
    // list without a name is not covered by a rule with resourceNames.
    expect(m.canI(web, 'list', 'configmaps', 'app')).toBe(false);
    expect(m.canI(web, 'list', 'configmaps', 'app', { resourceName: 'settings' })).toBe(true);
    // The ServiceAccount subject without a namespace defaults to the RoleBinding's namespace.
    expect(m.canI(sa('web', 'other'), 'get', 'configmaps', 'app', { resourceName: 'settings' })).toBe(false);
    // A Role grants only in its binding's namespace, never cluster-wide.
    expect(m.canI(web, 'get', 'configmaps', 'other', { resourceName: 'settings' })).toBe(false);
    expect(m.canI(web, 'get', 'configmaps', undefined, { resourceName: 'settings' })).toBe(false);
  });

  test('subresources: pods does not cover pods/exec, */exec covers every exec, * covers all', () => {
    const m = AccessMatrix.fromObjects([
      role('pods', 'app', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'create'] }]),
      role('exec-any', 'app', [{ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }]),
      role('logs', 'app', [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }]),
      roleBinding('a', 'app', { kind: 'Role', name: 'pods' }, [{ kind: 'User', name: 'alice' }]),
      roleBinding('b', 'app', { kind: 'Role', name: 'exec-any' }, [{ kind: 'User', name: 'bob' }]),
      roleBinding('c', 'app', { kind: 'Role', name: 'logs' }, [{ kind: 'User', name: 'carol' }]),
    ]);
    expect(m.canI(user('alice'), 'create', 'pods', 'app')).toBe(true);
    expect(m.canI(user('alice'), 'create', 'pods', 'app', { subresource: 'exec' })).toBe(false);
    expect(m.canI(user('bob'), 'create', 'pods', 'app', { subresource: 'exec' })).toBe(true);
    expect(m.canI(user('bob'), 'create', 'pods', 'app')).toBe(false);
    expect(m.canI(user('carol'), 'get', 'pods', 'app', { subresource: 'log' })).toBe(true);
    expect(m.canI(user('carol'), 'get', 'pods', 'app')).toBe(false);
  });

  test('wildcards in verbs, resources and apiGroups', () => {
    const m = AccessMatrix.fromObjects([
      clusterRole('all-apps', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }]),
      clusterRole('any-group-get', [{ apiGroups: ['*'], resources: ['widgets'], verbs: ['get'] }]),
      clusterRoleBinding('a', 'all-apps', [{ kind: 'Group', name: 'ops' }]),
      clusterRoleBinding('b', 'any-group-get', [{ kind: 'User', name: 'dave' }]),
    ]);
    expect(m.canI(user('erin', ['ops']), 'delete', 'deployments', 'x', { apiGroup: 'apps' })).toBe(true);
    expect(m.canI(user('erin', ['ops']), 'escalate', 'statefulsets', undefined, { apiGroup: 'apps', subresource: 'scale' })).toBe(true);
    expect(m.canI(user('erin', ['ops']), 'get', 'pods', 'x')).toBe(false);
    expect(m.canI(group('ops'), 'patch', 'daemonsets', 'y', { apiGroup: 'apps' })).toBe(true);
    expect(m.canI(user('dave'), 'get', 'widgets', 'x', { apiGroup: 'example.com' })).toBe(true);
    expect(m.canI(user('dave'), 'get', 'widgets', 'x')).toBe(true);
    expect(m.canI(user('dave'), 'list', 'widgets', 'x')).toBe(false);
  });

  test('nonResourceURLs: exact, trailing * prefix, and only through ClusterRoleBindings', () => {
    const m = AccessMatrix.fromObjects([
      clusterRole('probe', [{ nonResourceURLs: ['/healthz', '/logs/*', '/metrics*'], verbs: ['get'] }]),
      clusterRoleBinding('probe', 'probe', [{ kind: 'User', name: 'mon' }]),
      roleBinding('probe-ns', 'app', { kind: 'ClusterRole', name: 'probe' }, [{ kind: 'User', name: 'nsmon' }]),
    ]);
    expect(m.canIAccessUrl(user('mon'), 'get', '/healthz')).toBe(true);
    expect(m.canIAccessUrl(user('mon'), 'get', '/healthz/ready')).toBe(false);
    expect(m.canIAccessUrl(user('mon'), 'get', '/logs/kube-apiserver.log')).toBe(true);
    expect(m.canIAccessUrl(user('mon'), 'get', '/logs')).toBe(false);
    expect(m.canIAccessUrl(user('mon'), 'get', '/metricsfoo')).toBe(true);
    expect(m.canIAccessUrl(user('mon'), 'post', '/healthz')).toBe(false);
    // A RoleBinding never grants non-resource URLs, even from a ClusterRole that lists them.
    expect(m.canIAccessUrl(user('nsmon'), 'get', '/healthz')).toBe(false);
  });

  test('aggregated ClusterRoles take the rules of the ClusterRoles their selectors match, transitively', () => {
    const m = AccessMatrix.fromObjects([
      clusterRole('monitoring', [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } }),
      clusterRole('metrics-reader', [{ apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list'] }], {}, { 'rbac.example.com/aggregate-to-monitoring': 'true' }),
      clusterRole(
        'reader-plus',
        [{ apiGroups: ['should-be-ignored'], resources: ['x'], verbs: ['get'] }],
        { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['read'] }] }] } },
        { 'rbac.example.com/aggregate-to-monitoring': 'true' },
      ),
      clusterRole('events-reader', [{ apiGroups: [''], resources: ['events'], verbs: ['list'] }], {}, { tier: 'read' }),
      clusterRole('unlabelled', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
      roleBinding('mon', 'obs', { kind: 'ClusterRole', name: 'monitoring' }, [{ kind: 'ServiceAccount', name: 'prom', namespace: 'obs' }]),
    ]);
    const prom = sa('prom', 'obs');
    expect(m.canI(prom, 'list', 'pods', 'obs', { apiGroup: 'metrics.k8s.io' })).toBe(true);
    expect(m.canI(prom, 'list', 'events', 'obs')).toBe(true); // via reader-plus, itself aggregated
    expect(m.canI(prom, 'get', 'x', 'obs', { apiGroup: 'should-be-ignored' })).toBe(false); // overwritten by aggregation
    expect(m.canI(prom, 'get', 'secrets', 'obs')).toBe(false);
    expect(m.canI(prom, 'list', 'pods', 'default', { apiGroup: 'metrics.k8s.io' })).toBe(false); // RoleBinding scope
  });

  test('service accounts are members of their implied groups; users of system:authenticated', () => {
    const m = AccessMatrix.fromObjects([
      clusterRole('discover', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }]),
      clusterRoleBinding('ns-sas', 'discover', [{ kind: 'Group', name: 'system:serviceaccounts:team' }]),
      clusterRole('reader', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]),
      clusterRoleBinding('everyone', 'reader', [{ kind: 'Group', name: 'system:authenticated' }]),
    ]);
    expect(m.canI(sa('x', 'team'), 'list', 'namespaces')).toBe(true);
    expect(m.canI(sa('x', 'other'), 'list', 'namespaces')).toBe(false);
    expect(m.canI(user('zoe'), 'get', 'nodes')).toBe(true);
    expect(m.canI(user('system:anonymous'), 'get', 'nodes')).toBe(false);
    expect(() => m.canI({ kind: SubjectKind.SERVICE_ACCOUNT, name: 'x' }, 'get', 'nodes')).toThrow(/needs a namespace/);
  });

  test('entries list one row per subject, scope, group, resource and name, with verbs merged across bindings', () => {
    const m = AccessMatrix.fromObjects([
      role('r1', 'app', [
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['a', 'b'], verbs: ['get'] },
        { apiGroups: ['', 'apps'], resources: ['pods'], verbs: ['list'] },
      ]),
      clusterRole('c1', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'], verbs: ['watch'] }]),
      roleBinding('b1', 'app', { kind: 'Role', name: 'r1' }, [{ kind: 'ServiceAccount', name: 'web' }]),
      roleBinding('b2', 'app', { kind: 'ClusterRole', name: 'c1' }, [{ kind: 'ServiceAccount', name: 'web', namespace: 'app' }]),
      roleBinding('b3', 'app', { kind: 'ClusterRole', name: 'metrics-reader' }, [{ kind: 'User', name: 'u' }]),
    ]);
    const rows = m.entries().map((e) => [e.subject.kind, e.subject.namespace, e.subject.name, e.namespace, e.apiGroup, e.resource, e.resourceName, e.verbs.join(',')]);
    expect(rows).toEqual([
      ['ServiceAccount', 'app', 'web', 'app', '', 'configmaps', 'a', 'get,watch'],
      ['ServiceAccount', 'app', 'web', 'app', '', 'configmaps', 'b', 'get'],
      ['ServiceAccount', 'app', 'web', 'app', '', 'pods', undefined, 'list'],
      ['ServiceAccount', 'app', 'web', 'app', 'apps', 'pods', undefined, 'list'],
    ]);
    expect(m.entries()[0].grantedBy).toEqual(['RoleBinding app/b1 -> Role r1', 'RoleBinding app/b2 -> ClusterRole c1']);
    expect(m.unresolvedBindings()).toEqual([{ binding: 'RoleBinding app/b3', roleRef: 'ClusterRole metrics-reader' }]);
    expect(m.toMarkdown()).toMatchSnapshot();
    expect(m.toMarkdown()).toContain('| ServiceAccount app/web | namespace app | `core` | `configmaps` | `a` | `get, watch` |');
  });

  test('malformed objects never throw', () => {
    const m = AccessMatrix.fromObjects([
      null,
      42,
      { kind: 'Role', metadata: { name: 'r' }, rules: 'nope' },
      { kind: 'RoleBinding', metadata: { name: 'b', namespace: 'x' }, roleRef: 7, subjects: [null, { kind: 'User' }] },
      { kind: 'ClusterRole', metadata: { name: 'c' }, rules: [{ verbs: 'get' }], aggregationRule: { clusterRoleSelectors: 'x' } },
    ]);
    expect(m.entries()).toEqual([]);
    expect(m.canI(user('x'), 'get', 'pods', 'x')).toBe(false);
    expect(m.toMarkdown()).toContain('(no grants)');
  });
});
