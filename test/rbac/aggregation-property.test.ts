/**
 * Property: for random sets of ClusterRoles (labelled, some aggregating with random selectors) and bindings to
 * them, to built-in roles and to missing ones, `canI` answers exactly what an independent model of the cluster
 * answers: the aggregation controller run to a fixpoint over the set plus the bootstrap ClusterRoles, then the
 * RBAC authorizer. The rule universe includes the grants issue 12 added (writes on secrets, pods, nodes,
 * nodes/status, persistentvolumes). Only the bootstrap table's data is shared with the code under test.
 */
import * as fc from 'fast-check';
import { AccessMatrix, SubjectKind } from '../../src';
import { BOOTSTRAP_CLUSTER_ROLES } from '../../src/analysis/rbac/bootstrap-policy';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
type Role = { name: string; labels: Record<string, string>; rules: Rule[]; selectors?: Selector[] };

const LABELS: Array<[string, string]> = [
  ['rbac.authorization.k8s.io/aggregate-to-edit', 'true'],
  ['rbac.authorization.k8s.io/aggregate-to-view', 'true'],
  ['example.com/agg', 'a'],
  ['example.com/agg', 'b'],
  ['tier', 'x'],
];
const ruleArb: fc.Arbitrary<Rule> = fc.record({
  apiGroups: fc.uniqueArray(fc.constantFrom('', 'apps', 'example.com', '*'), { minLength: 1, maxLength: 2 }),
  resources: fc.uniqueArray(fc.constantFrom('pods', 'secrets', 'nodes', 'nodes/status', 'persistentvolumes', 'deployments', 'widgets', 'pods/exec', '*'), { minLength: 1, maxLength: 2 }),
  verbs: fc.uniqueArray(fc.constantFrom('get', 'list', 'create', 'update', 'patch', 'delete', '*'), { minLength: 1, maxLength: 3 }),
});
const selectorArb: fc.Arbitrary<Selector> = fc.oneof(
  fc.constant({}),
  fc.constantFrom(...LABELS).map(([k, v]) => ({ matchLabels: { [k]: v } })),
  fc
    .record({
      key: fc.constantFrom('example.com/agg', 'tier', 'rbac.authorization.k8s.io/aggregate-to-edit', 'kubernetes.io/bootstrapping'),
      operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
      values: fc.uniqueArray(fc.constantFrom('a', 'b', 'x', 'true', 'rbac-defaults'), { minLength: 1, maxLength: 2 }),
    })
    .map((e) => ({ matchExpressions: [e.operator === 'Exists' || e.operator === 'DoesNotExist' ? { key: e.key, operator: e.operator } : e] })),
);
const roleArb = (name: string): fc.Arbitrary<Role> =>
  fc.record({
    labels: fc.subarray(LABELS, { maxLength: 2 }).map((pairs) => Object.fromEntries(pairs)),
    rules: fc.array(ruleArb, { maxLength: 2 }),
    selectors: fc.option(fc.array(selectorArb, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 }),
  }).map((r) => ({ name, ...r }));
const ROLE_NAMES = ['c0', 'c1', 'c2', 'c3'];
const bindingArb = fc.record({
  kind: fc.constantFrom('RoleBinding', 'ClusterRoleBinding'),
  role: fc.constantFrom(...ROLE_NAMES, 'view', 'edit', 'system:aggregate-to-edit', 'system:node', 'cluster-admin', 'missing'),
});

// ---- the independent model ----
function selects(selector: Selector, labels: Record<string, string>): boolean {
  const ok = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return ok && (selector.matchExpressions ?? []).every((e) => {
    const present = e.key in labels;
    if (e.operator === 'In') return present && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'NotIn') return !present || !(e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'Exists') return present;
    return !present;
  });
}

/** Every ClusterRole of the cluster (set roles shadow built-ins of the same name), aggregation run until nothing changes. */
function effectiveRules(setRoles: Role[]): Map<string, Rule[]> {
  const all: Role[] = [
    ...setRoles,
    ...BOOTSTRAP_CLUSTER_ROLES.filter((b) => !setRoles.some((r) => r.name === b.name)).map((b) => ({
      name: b.name,
      labels: b.labels,
      rules: b.rules.map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
        resourceNames: [...r.resourceNames],
      })),
      selectors: b.aggregationSelectors?.map((s) => ({ matchLabels: s.matchLabels })),
    })),
  ];
  const rules = new Map(all.map((r) => [r.name, r.selectors ? [] : r.rules]));
  const aggregates = all.filter((r) => r.selectors);
  // Unions only grow and are bounded by the rules of the non-aggregated roles, so this settles.
  for (let changed = true; changed; ) {
    changed = false;
    for (const role of aggregates) {
      const union = new Map<string, Rule>();
      for (const c of all.filter((m) => m.name !== role.name && role.selectors!.some((s) => selects(s, m.labels)))) {
        for (const rule of rules.get(c.name)!) union.set(JSON.stringify(rule), rule);
      }
      if (union.size !== rules.get(role.name)!.length) {
        rules.set(role.name, [...union.values()]);
        changed = true;
      }
    }
  }
  return rules;
}

function allows(rule: Rule, verb: string, group: string, resource: string): boolean {
  if ((rule.resourceNames ?? []).length > 0) return false; // the requests below name no object
  const sub = resource.includes('/') ? resource.split('/')[1] : undefined;
  return (
    (rule.verbs.includes('*') || rule.verbs.includes(verb)) &&
    (rule.apiGroups.includes('*') || rule.apiGroups.includes(group)) &&
    rule.resources.some((r) => r === '*' || r === resource || (sub !== undefined && r === `*/${sub}`))
  );
}

const REQUESTS: Array<[string, string]> = [
  ['', 'pods'], ['', 'secrets'], ['', 'nodes'], ['', 'nodes/status'], ['', 'persistentvolumes'], ['apps', 'deployments'], ['example.com', 'widgets'], ['', 'pods/exec'],
];
const VERBS = ['get', 'list', 'create', 'update', 'patch', 'delete', 'escalate'];
const NAMESPACES = ['shop', 'other', undefined];

describe('aggregation and built-in roles: canI agrees with an independent model of the cluster', () => {
  test('random ClusterRoles, aggregation selectors and bindings', () => {
    fc.assert(
      fc.property(fc.tuple(...ROLE_NAMES.map(roleArb)), fc.array(bindingArb, { minLength: 1, maxLength: 3 }), (roles, bindings) => {
        const objects = [
          ...roles.map((r) => ({
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRole',
            metadata: { name: r.name, labels: r.labels },
            rules: r.rules,
            ...(r.selectors ? { aggregationRule: { clusterRoleSelectors: r.selectors } } : {}),
          })),
          ...bindings.map((b, i) => ({
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: b.kind,
            metadata: b.kind === 'RoleBinding' ? { name: `b${i}`, namespace: 'shop' } : { name: `b${i}` },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.role },
            subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'u' }],
          })),
        ];
        const matrix = AccessMatrix.fromObjects(objects);
        const effective = effectiveRules(roles);
        const u = { kind: SubjectKind.USER, name: 'u' };
        for (const [group, combined] of REQUESTS) {
          const [resource, subresource] = combined.split('/');
          for (const verb of VERBS) {
            for (const namespace of NAMESPACES) {
              const expected = bindings.some(
                (b) =>
                  (b.kind === 'ClusterRoleBinding' || namespace === 'shop') &&
                  (effective.get(b.role) ?? []).some((rule) => allows(rule, verb, group, combined)),
              );
              const actual = matrix.canI(u, verb, resource, namespace, { apiGroup: group, subresource });
              if (actual !== expected) {
                throw new Error(`canI(u, ${verb}, ${combined}, ${namespace}, group '${group}') = ${actual}, the model says ${expected}`);
              }
            }
          }
        }
      }),
      { numRuns: 150, seed: 20261201 },
    );
  });

  test('the universe reaches both answers through aggregation (the property is not vacuous)', () => {
    const m = AccessMatrix.fromObjects([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'a' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { tier: 'x' } }] } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'b', labels: { tier: 'x' } }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/agg': 'a' } }] } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'c', labels: { 'example.com/agg': 'a' } }, rules: [{ apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' }, roleRef: { kind: 'ClusterRole', name: 'a' }, subjects: [{ kind: 'User', name: 'u' }] },
    ]);
    const u = { kind: SubjectKind.USER, name: 'u' };
    expect(m.canI(u, 'patch', 'nodes', undefined, { subresource: 'status' })).toBe(true); // a <- b <- c
    expect(m.canI(u, 'patch', 'nodes', undefined)).toBe(false);
  });

  test('two aggregates that select each other both settle to the union (as the controller converges)', () => {
    const clusterRole = (name: string, labels: Record<string, string>, select: Record<string, string>) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: select }] },
    });
    const leaf = (name: string, labels: Record<string, string>, resource: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules: [{ apiGroups: [''], resources: [resource], verbs: ['get'] }],
    });
    const m = AccessMatrix.fromObjects([
      clusterRole('a', { side: 'a' }, { side: 'b' }),
      clusterRole('b', { side: 'b' }, { side: 'a' }),
      leaf('ca', { side: 'b' }, 'configmaps'),
      leaf('cb', { side: 'a' }, 'services'),
      ...['a', 'b'].map((name) => ({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { kind: 'ClusterRole', name }, subjects: [{ kind: 'User', name }],
      })),
    ]);
    for (const name of ['a', 'b']) {
      const who = { kind: SubjectKind.USER, name };
      expect([name, m.canI(who, 'get', 'configmaps', 'x'), m.canI(who, 'get', 'services', 'x')]).toEqual([name, true, true]);
    }
  });
});
