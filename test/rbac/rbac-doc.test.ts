import { readFileSync } from 'fs';
import * as path from 'path';
import { RBAC_RULES } from '../../src/rules/rbac';
import { PERMISSION_TABLE_BEGIN, renderPermissionTable, updatePermissionTable } from '../../src/rules/rbac/permission-table';
import { dangerousPermissions } from '../../src/rules/rbac/permissions';

const doc = readFileSync(path.join(__dirname, '../../docs/rbac.md'), 'utf8');

test('docs/rbac.md holds the dangerous-permission table generated from the classification', () => {
  if (updatePermissionTable(doc) !== doc) {
    throw new Error('docs/rbac.md is stale (the RBAC classification changed). Regenerate its table with:\n\n  npx tsx scripts/rbac-doc.ts\n');
  }
});

test('the table has one row per RBAC rule and names every probed resource', () => {
  const table = renderPermissionTable();
  expect(doc).toContain(PERMISSION_TABLE_BEGIN);
  for (const rule of RBAC_RULES) expect(table).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
  for (const resource of ['persistentvolumes', 'nodes/status', 'mutatingadmissionpolicybindings', 'customresourcedefinitions', 'pods/ephemeralcontainers', 'system:aggregate-to-edit', 'system:serviceaccounts']) {
    expect(table).toContain(resource);
  }
  // A table row per rule id the classification can return.
  const ids = dangerousPermissions({ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: ['*'] }).map((d) => d.ruleId);
  for (const id of ids) expect(table).toContain(`| \`${id}\` |`);
});
