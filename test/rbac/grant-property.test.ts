/**
 * Property: a random set of grants either yields RBAC whose access matrix is exactly the requested
 * permissions, or fails with an error naming the dangerous permission's rule id. The oracle below restates
 * the dangerous-permission list independently of src/analysis/rbac/dangerous.ts.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AccessMatrix, AuditedServiceAccount, RbacGrant, SubjectKind } from '../../src';
import { RBAC_RULES } from '../../src/rules/rbac';

const RESOURCES = [
  'configmaps', 'secrets', 'pods', 'pods/log', 'pods/exec', 'pods/attach', 'deployments', 'jobs', 'leases', 'roles', 'rolebindings', 'namespaces',
  'nodes/proxy', 'serviceaccounts/token', 'certificatesigningrequests/approval', 'validatingwebhookconfigurations', 'services', '*',
  // Issue 12: the grants the classification missed.
  'persistentvolumes', 'nodes', 'nodes/status', 'pods/ephemeralcontainers', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
  'validatingadmissionpolicybindings', 'customresourcedefinitions', 'persistentvolumeclaims',
];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'escalate', 'bind', 'impersonate', '*'];

/** Picks from a list with weights, so that narrow grants are common and wildcards rare. */
const weighted = <T>(entries: Array<[T, number]>) => fc.oneof(...entries.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

const grantArb: fc.Arbitrary<RbacGrant> = fc
  .record({
    apiGroup: weighted<string>([['', 8], ['apps', 2], ['batch', 1], ['coordination.k8s.io', 1], ['rbac.authorization.k8s.io', 1], ['certificates.k8s.io', 1], ['admissionregistration.k8s.io', 2], ['apiextensions.k8s.io', 1], ['*', 1]]),
    resources: fc.uniqueArray(weighted(RESOURCES.map((r): [string, number] => [r, r === '*' ? 1 : ['configmaps', 'secrets', 'pods'].includes(r) ? 6 : 2])), { minLength: 1, maxLength: 2 }),
    verbs: fc.uniqueArray(weighted(VERBS.map((v): [string, number] => [v, ['get', 'list', 'watch', 'update'].includes(v) ? 6 : ['*', 'impersonate', 'bind', 'escalate'].includes(v) ? 1 : 2])), { minLength: 1, maxLength: 3 }),
    resourceNames: fc.option(fc.uniqueArray(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 }),
    namespace: fc.option(fc.constantFrom('shop', 'other'), { nil: undefined }),
    clusterScope: fc.option(fc.constant(true), { nil: undefined, freq: 1 }),
  })
  .map((g) => {
    const grant: RbacGrant = { apiGroup: g.apiGroup, resources: g.resources, verbs: g.verbs };
    return {
      ...grant,
      ...(g.resourceNames ? { resourceNames: g.resourceNames } : {}),
      ...(g.clusterScope ? { clusterScope: true } : g.namespace ? { namespace: g.namespace } : {}),
    };
  });

/** Independent restatement of the dangerous-permission list for this universe. */
function oracle(g: RbacGrant): Set<string> {
  const ids = new Set<string>();
  const group = (name: string) => g.apiGroup === name || g.apiGroup === '*';
  const res = (...names: string[]) => g.resources.some((r) => r === '*' || names.includes(r));
  const verb = (...names: string[]) => g.verbs.some((v) => v === '*' || names.includes(v));
  const named = (g.resourceNames ?? []).length > 0;
  if (g.verbs.includes('*') || g.resources.includes('*') || g.apiGroup === '*') ids.add('rbac-no-wildcard');
  if (g.verbs.some((v) => ['escalate', 'bind', 'impersonate'].includes(v))) ids.add('rbac-escalate-bind-impersonate');
  if (group('rbac.authorization.k8s.io') && res('roles') && verb('escalate', 'bind')) ids.add('rbac-escalate-bind-impersonate');
  if (group('') && verb('impersonate') && res('users', 'groups', 'serviceaccounts')) ids.add('rbac-escalate-bind-impersonate');
  // An update or patch of a Secret answers with its data.
  if (group('') && res('secrets') && verb('get', 'list', 'watch', 'update', 'patch') && !named) ids.add('rbac-secrets-access');
  if (group('') && res('pods/exec', 'pods/attach') && verb('create', 'get')) ids.add('rbac-pod-exec-attach');
  if (group('') && res('pods/ephemeralcontainers') && verb('update', 'patch')) ids.add('rbac-pod-exec-attach');
  // Patching a running pod swaps its images.
  if (group('') && res('pods') && verb('create', 'update', 'patch')) ids.add('rbac-create-workloads');
  if (group('') && res('persistentvolumes') && verb('create')) ids.add('rbac-create-persistentvolumes');
  if (group('') && res('nodes', 'nodes/status') && verb('update', 'patch')) ids.add('rbac-modify-nodes');
  if (group('apiextensions.k8s.io') && res('customresourcedefinitions') && verb('create', 'update', 'patch', 'delete')) ids.add('rbac-crd-write');
  const admissionObjects = ['mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'validatingadmissionpolicybindings'];
  if (group('admissionregistration.k8s.io') && res(...admissionObjects) && verb('create', 'update', 'patch', 'delete')) ids.add('rbac-webhook-config');
  if (((group('apps') && res('deployments')) || (group('batch') && res('jobs'))) && verb('create', 'update', 'patch')) ids.add('rbac-create-workloads');
  if (group('') && res('namespaces') && verb('update', 'patch')) ids.add('rbac-modify-namespaces');
  if (group('') && res('nodes/proxy') && verb('get', 'list', 'watch', 'create', 'update', 'patch', 'delete')) ids.add('rbac-nodes-proxy');
  if (group('') && res('serviceaccounts/token') && verb('create')) ids.add('rbac-sa-token-create');
  if (group('certificates.k8s.io') && res('certificatesigningrequests/approval') && verb('update', 'patch')) ids.add('rbac-csr-approval');
  if (group('admissionregistration.k8s.io') && res('validatingwebhookconfigurations') && verb('create', 'update', 'patch', 'delete')) ids.add('rbac-webhook-config');
  if (group('rbac.authorization.k8s.io') && res('roles', 'rolebindings') && verb('create', 'update', 'patch')) ids.add('rbac-modify-rbac');
  if (g.clusterScope) ids.add('rbac-cluster-wide-binding');
  return ids;
}

type Row = string;
const rowKey = (ns: string | undefined, group: string, resource: string, name: string | undefined) => `${ns ?? '*'}|${group}|${resource}|${name ?? ''}`;

function expectedRows(grants: RbacGrant[]): Map<Row, Set<string>> {
  const rows = new Map<Row, Set<string>>();
  for (const g of grants) {
    const ns = g.clusterScope ? undefined : g.namespace ?? 'shop';
    for (const resource of g.resources) {
      for (const name of g.resourceNames && g.resourceNames.length > 0 ? g.resourceNames : [undefined]) {
        const key = rowKey(ns, g.apiGroup, resource, name);
        const verbs = rows.get(key) ?? new Set<string>();
        g.verbs.forEach((v) => verbs.add(v));
        rows.set(key, verbs);
      }
    }
  }
  return rows;
}

function actualRows(chart: Chart, sa: AuditedServiceAccount): Map<Row, Set<string>> {
  const matrix = AccessMatrix.fromObjects(Testing.synth(chart));
  const rows = new Map<Row, Set<string>>();
  for (const e of matrix.entriesFor({ kind: SubjectKind.SERVICE_ACCOUNT, name: sa.name, namespace: 'shop' })) {
    rows.set(rowKey(e.namespace, e.apiGroup!, e.resource!, e.resourceName), new Set(e.verbs));
  }
  return rows;
}

const createWithNames = (g: RbacGrant) => g.verbs.includes('create') && (g.resourceNames ?? []).length > 0;

describe('grant property', () => {
  test('unwaived: exact matrix, or an error naming a dangerous permission of the grant', () => {
    fc.assert(
      fc.property(fc.array(grantArb, { minLength: 1, maxLength: 5 }), (grants) => {
        const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
        const sa = new AuditedServiceAccount(chart, 'sa', { owner: 'team', purpose: 'property test' });
        const accepted: RbacGrant[] = [];
        for (const grant of grants) {
          const dangerous = oracle(grant);
          let error: Error | undefined;
          try {
            sa.allow(grant);
          } catch (e) {
            error = e as Error;
          }
          if (createWithNames(grant)) {
            expect(error?.message).toMatch(/cannot be limited by resourceNames/);
          } else if (dangerous.size > 0) {
            expect(error).toBeDefined();
            const named = /\(rule (rbac-[a-z-]+)/.exec(error!.message)?.[1];
            expect(dangerous.has(named!)).toBe(true);
            expect(error!.message).toContain('c/sa: grant');
          } else {
            expect(error).toBeUndefined();
            accepted.push(grant);
          }
        }
        expect(actualRows(chart, sa)).toEqual(expectedRows(accepted));
      }),
      { numRuns: 300 },
    );
  });

  test('fully waived: every grant is accepted and the matrix is exactly the grants, wildcards as written', () => {
    const waivers = RBAC_RULES.map((r) => ({ ruleId: r.id, reason: 'property test waives everything' }));
    fc.assert(
      fc.property(fc.array(grantArb.filter((g) => !createWithNames(g)), { minLength: 1, maxLength: 5 }), (grants) => {
        const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
        const sa = new AuditedServiceAccount(chart, 'sa', { owner: 'team', purpose: 'property test', waivers });
        grants.forEach((g) => sa.allow(g));
        expect(actualRows(chart, sa)).toEqual(expectedRows(grants));
        // Every non-wildcard requested verb is allowed by canI.
        const matrix = AccessMatrix.fromChart(chart);
        const me = { kind: SubjectKind.SERVICE_ACCOUNT, name: sa.name, namespace: 'shop' };
        for (const g of grants) {
          const [resource, subresource] = g.resources[0].split('/');
          const verb = g.verbs[0];
          const ns = g.clusterScope ? 'anywhere' : g.namespace ?? 'shop';
          const apiGroup = g.apiGroup === '*' ? 'example.com' : g.apiGroup;
          expect(matrix.canI(me, verb === '*' ? 'delete' : verb, resource === '*' ? 'widgets' : resource, ns, {
            apiGroup,
            subresource,
            resourceName: g.resourceNames?.[0],
          })).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
