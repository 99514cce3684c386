/** The built-in role table states the grants upstream generates (checked on an excerpt, test/fixtures/bootstrap-policy). */
import { readFileSync } from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { bootstrapClusterRole } from '../../src/analysis/rbac/bootstrap-policy';
import { readPolicyRule, readRole } from '../../src/analysis/rbac/model';

const excerpt = yaml.load(readFileSync(path.join(__dirname, '../fixtures/bootstrap-policy/cluster-roles-excerpt.yaml'), 'utf8')) as { items: any[] };
const sorted = (list: readonly string[]) => [...list].sort();
const normal = (rule: unknown) => {
  const r = readPolicyRule(rule);
  return JSON.stringify([sorted(r.apiGroups), sorted(r.resources), sorted(r.verbs), sorted(r.resourceNames), sorted(r.nonResourceURLs)]);
};

test.each(excerpt.items.map((item) => [item.metadata.name, item]))('%s: same labels, aggregation and rules, in order', (name, item) => {
  const upstream = readRole(item)!;
  const ours = bootstrapClusterRole(name as string);
  expect(ours).toBeDefined();
  expect(ours!.labels).toEqual(upstream.labels);
  expect(ours!.aggregationSelectors ?? null).toEqual(upstream.aggregationSelectors ?? null);
  expect(ours!.rules.map(normal)).toEqual((item.rules ?? []).map(normal));
});

test('the excerpt covers the roles the binding classification leans on', () => {
  expect(excerpt.items.map((i) => i.metadata.name)).toEqual([
    'cluster-admin',
    'edit',
    'system:aggregate-to-edit',
    'system:kube-controller-manager',
    'system:node',
    'system:controller:generic-garbage-collector',
    'system:controller:deployment-controller',
  ]);
});
