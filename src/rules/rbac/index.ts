/** RBAC rules: dangerous permissions in Roles/ClusterRoles and dangerous bindings (one classification: src/analysis/rbac/dangerous.ts). */
import adminEditBinding from './admin-edit-binding';
import aggregateAll from './aggregate-all';
import aggregateBuiltin from './aggregate-builtin';
import aggregateSelector from './aggregate-selector';
import anonymousBinding from './anonymous-binding';
import builtinRoleBinding from './builtin-role-binding';
import clusterAdminBinding from './cluster-admin-binding';
import clusterWideBinding from './cluster-wide-binding';
import crdWrite from './crd-write';
import createPersistentVolumes from './create-persistentvolumes';
import createWorkloads from './create-workloads';
import csrApproval from './csr-approval';
import danglingBinding from './dangling-binding';
import defaultSaBinding from './default-sa-binding';
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
import type { Rule } from '../rule';

export const RBAC_RULES: readonly Rule[] = [
  noWildcard,
  escalateBindImpersonate,
  secretsAccess,
  podExecAttach,
  createWorkloads,
  modifyNamespaces,
  modifyNodes,
  createPersistentVolumes,
  nodesProxy,
  saTokenCreate,
  csrApproval,
  webhookConfig,
  crdWrite,
  modifyRbac,
  clusterAdminBinding,
  adminEditBinding,
  builtinRoleBinding,
  anonymousBinding,
  defaultSaBinding,
  clusterWideBinding,
  danglingBinding,
  aggregateAll,
  aggregateBuiltin,
  aggregateSelector,
];
