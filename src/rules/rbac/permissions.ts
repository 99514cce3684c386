/**
 * The catalog's classification of dangerous RBAC permissions: the `rbac` data of every permission rule file, in the
 * order findings list them. The matcher in src/analysis/rbac/dangerous.ts takes this table; the binding and
 * aggregation rules, AuditedServiceAccount and docs/rbac.md read it from here. A new permission rule is its file,
 * a line in ./index.ts and a line below (test/rbac/rules.test.ts checks that the two lists agree).
 */
import crdWrite from './crd-write';
import createPersistentVolumes from './create-persistentvolumes';
import createWorkloads from './create-workloads';
import csrApproval from './csr-approval';
import escalateBindImpersonate from './escalate-bind-impersonate';
import modifyNamespaces from './modify-namespaces';
import modifyNodes from './modify-nodes';
import modifyRbac from './modify-rbac';
import noWildcard from './no-wildcard';
import nodesProxy from './nodes-proxy';
import podExecAttach from './pod-exec-attach';
import saTokenCreate from './sa-token-create';
import secretsAccess from './secrets-access';
import webhookConfig from './webhook-config';
import {
  builtinRoleGrants as builtinRoleGrantsIn,
  dangerousBuiltinRoles as dangerousBuiltinRolesIn,
  DangerousPermission,
  dangerousPermissions as dangerousPermissionsIn,
  PermissionTable,
} from '../../analysis/rbac/dangerous';
import type { PolicyRule } from '../../analysis/rbac/model';
import type { Rule } from '../rule';

/** The permission rules, in classification order. */
export const PERMISSION_RULES: readonly Rule[] = [
  noWildcard,
  escalateBindImpersonate,
  secretsAccess,
  podExecAttach,
  createWorkloads,
  modifyNamespaces,
  modifyNodes,
  createPersistentVolumes,
  crdWrite,
  nodesProxy,
  saTokenCreate,
  csrApproval,
  webhookConfig,
  modifyRbac,
];

/** What each permission rule matches, read from the rule files. */
export const PERMISSIONS: PermissionTable = PERMISSION_RULES.map((rule) => {
  if (!rule.rbac) throw new Error(`${rule.id} is listed as a permission rule but has no rbac data`);
  return { ruleId: rule.id, ...rule.rbac };
});

/** The dangerous permissions one PolicyRule grants, by catalog rule id. */
export function dangerousPermissions(rule: PolicyRule): DangerousPermission[] {
  return dangerousPermissionsIn(rule, PERMISSIONS);
}

/** What binding a bootstrap ClusterRole hands out under the catalog's classification. */
export function builtinRoleGrants(name: string): DangerousPermission[] {
  return builtinRoleGrantsIn(name, PERMISSIONS);
}

/** Bootstrap ClusterRoles (besides cluster-admin, admin and edit) whose binding grants a dangerous permission, sorted. */
export function dangerousBuiltinRoles(): string[] {
  return dangerousBuiltinRolesIn(PERMISSIONS);
}
