/**
 * The RBAC graph of a set of objects: roles (with aggregated ClusterRoles resolved against the set and the
 * bootstrap ClusterRoles every cluster has), bindings, the authorizer decision for a user (`allows`) and the
 * flattened grants behind the access matrix.
 */
import { BOOTSTRAP_CLUSTER_ROLES, PRIVILEGED_GROUP } from './bootstrap-policy';
import { AccessRequest, isResourceRequest, ruleAllows } from './matching';
import {
  BindingDef,
  PolicyRule,
  readBinding,
  readRole,
  RoleDef,
  serviceAccountUserName,
  SubjectRef,
  subjectNamespace,
} from './model';
import { selectorMatches } from '../../core/label-selector';
import type { K8sObject } from '../../core/types';

/** An authenticated identity as the authorizer sees it. */
export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
}

/** The user a ServiceAccount's token authenticates as, with the groups Kubernetes adds. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    name: serviceAccountUserName(namespace, name),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

/** Whether a binding subject covers the user (rbac.go appliesToUser). */
export function subjectAppliesTo(subject: SubjectRef, binding: BindingDef, user: UserInfo): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subjectNamespace(subject, binding);
      return namespace !== undefined && serviceAccountUserName(namespace, subject.name) === user.name;
    }
    default:
      return false;
  }
}

/** The rules a binding grants, and whether its roleRef could be resolved in the set. */
export interface BoundRules {
  readonly rules: readonly PolicyRule[];
  readonly resolved: boolean;
  readonly role?: RoleDef;
}

export class RbacGraph {
  public readonly roles: readonly RoleDef[];
  public readonly bindings: readonly BindingDef[];
  private readonly clusterRoles = new Map<string, RoleDef>();
  private readonly namespacedRoles = new Map<string, RoleDef>();
  private readonly aggregatedRules = new Map<string, readonly PolicyRule[]>();
  private aggregationDone = false;

  constructor(objects: readonly K8sObject[]) {
    const roles: RoleDef[] = [];
    const bindings: BindingDef[] = [];
    for (const object of objects) {
      const role = readRole(object);
      if (role) {
        roles.push(role);
        if (role.kind === 'ClusterRole') this.clusterRoles.set(role.name, role);
        else this.namespacedRoles.set(`${role.namespace ?? ''}/${role.name}`, role);
      }
      const binding = readBinding(object);
      if (binding) bindings.push(binding);
    }
    this.roles = roles;
    this.bindings = bindings;
    // Every cluster has the bootstrap ClusterRoles; one the set lacks is resolved (and aggregated) from the table.
    for (const builtin of BOOTSTRAP_CLUSTER_ROLES) {
      if (this.clusterRoles.has(builtin.name)) continue;
      const object: K8sObject = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: builtin.name, labels: { ...builtin.labels } },
      };
      this.clusterRoles.set(builtin.name, {
        kind: 'ClusterRole',
        name: builtin.name,
        labels: builtin.labels,
        rules: builtin.rules,
        aggregationSelectors: builtin.aggregationSelectors,
        object,
        builtin: true,
      });
    }
  }

  /** The ClusterRoles of the set that aggregate (their selectors collect from the set and from the bootstrap roles). */
  public aggregatingRoles(): RoleDef[] {
    return this.roles.filter((r) => r.kind === 'ClusterRole' && r.aggregationSelectors !== undefined);
  }

  /** Every ClusterRole known to the graph (the set's and the bootstrap roles it lacks). */
  public allClusterRoles(): RoleDef[] {
    return [...this.clusterRoles.values()];
  }

  public clusterRole(name: string): RoleDef | undefined {
    return this.clusterRoles.get(name);
  }

  public role(namespace: string | undefined, name: string): RoleDef | undefined {
    return this.namespacedRoles.get(`${namespace ?? ''}/${name}`);
  }

  /**
   * The effective rules of a role. An aggregated ClusterRole has the union of the rules of every other ClusterRole
   * (of the set, or built in) whose labels match one of its selectors; the aggregation controller overwrites its
   * own rules. Aggregates that collect aggregates take what those hold once the controller has settled, cycles
   * included, so the union is computed to a fixpoint.
   */
  public rulesOfRole(role: RoleDef): readonly PolicyRule[] {
    if (role.kind === 'Role' || !role.aggregationSelectors) return role.rules;
    return this.aggregated().get(role.name) ?? [];
  }

  private aggregated(): Map<string, readonly PolicyRule[]> {
    if (this.aggregationDone) return this.aggregatedRules;
    const aggregates = [...this.clusterRoles.values()].filter((r) => r.aggregationSelectors);
    const members = new Map(
      aggregates.map((role) => [
        role.name,
        [...this.clusterRoles.values()].filter((c) => c.name !== role.name && role.aggregationSelectors!.some((s) => selectorMatches('aggregationRule', s, c.labels))),
      ]),
    );
    const current = new Map<string, Map<string, PolicyRule>>(aggregates.map((r) => [r.name, new Map()]));
    const rulesOf = (role: RoleDef): Iterable<PolicyRule> => (role.aggregationSelectors ? current.get(role.name)!.values() : role.rules);
    // Each round copies every member's current rules into each aggregate (as the controller does); rules only grow.
    for (let changed = true; changed; ) {
      changed = false;
      for (const role of aggregates) {
        const rules = current.get(role.name)!;
        for (const member of members.get(role.name)!) {
          for (const rule of [...rulesOf(member)]) {
            const key = JSON.stringify(rule);
            if (!rules.has(key)) {
              rules.set(key, rule);
              changed = true;
            }
          }
        }
      }
    }
    for (const [name, rules] of current) this.aggregatedRules.set(name, [...rules.values()]);
    this.aggregationDone = true;
    return this.aggregatedRules;
  }

  /** The rules a binding grants (a RoleBinding's Role is looked up in the binding's namespace). */
  public rulesOfBinding(binding: BindingDef): BoundRules {
    const role =
      binding.roleRef.kind === 'ClusterRole'
        ? this.clusterRole(binding.roleRef.name)
        : binding.kind === 'RoleBinding' && binding.roleRef.kind === 'Role'
          ? this.role(binding.namespace, binding.roleRef.name)
          : undefined;
    if (!role) return { rules: [], resolved: false };
    return { rules: this.rulesOfRole(role), resolved: true, role };
  }

  /**
   * The authorizer decision: some binding that applies to the user grants a rule that allows the request.
   * ClusterRoleBindings apply everywhere; a RoleBinding only to resource requests in its own namespace
   * (so never to non-resource URLs or cluster-scoped resources).
   */
  public allows(user: UserInfo, request: AccessRequest): boolean {
    // kube-apiserver authorizes system:masters before RBAC (and the bootstrap policy binds it to cluster-admin).
    if (user.groups.includes(PRIVILEGED_GROUP)) return true;
    for (const binding of this.bindings) {
      if (binding.kind === 'RoleBinding') {
        if (!isResourceRequest(request) || request.namespace === undefined || request.namespace !== binding.namespace) continue;
      }
      if (!binding.subjects.some((s) => subjectAppliesTo(s, binding, user))) continue;
      if (this.rulesOfBinding(binding).rules.some((rule) => ruleAllows(rule, request))) return true;
    }
    return false;
  }
}
