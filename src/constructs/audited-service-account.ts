/**
 * AuditedServiceAccount: a workload identity whose permissions are declared, minimal, explained and auditable.
 * Token automount is off; grants and bindings are checked with the catalog's own RBAC data (the rules' probes,
 * src/rules/rbac/permissions.ts, and the binding classification), so a dangerous permission fails synth unless waived
 * with a reason.
 */
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ApiAccess, BindClusterRoleOptions, GrantOptions, ProjectedTokenVolume, RbacGrant } from './rbac-grant';
import { guardSynthYaml } from './synth-yaml';
import { recordWaivers, validateWaivers } from './waivers';
import { AuditLevel, AuditPolicyRule, IAuditRuleSource } from '../analysis/cluster/audit-rule';
import { BindingFinding, BUILTIN_ADMIN_ROLES, dangerousBindingFindings } from '../analysis/rbac/dangerous';
import { RBAC_API_GROUP, serviceAccountUserName } from '../analysis/rbac/model';
import type { Waiver } from '../core/types';
import { API_ACCESS_ANNOTATION as API_ACCESS_ANNOTATION_KEY } from '../core/waivers';
import { findRule } from '../rules';
import { BINDING_KINDS } from '../rules/rbac/permission-rule';
import { builtinRoleGrants, dangerousPermissions, PERMISSIONS } from '../rules/rbac/permissions';

/** Annotation naming the team that owns an identity. */
export const OWNER_ANNOTATION = 'hardened.cdk8s.io/owner';
/** Annotation saying what the identity is for. */
export const PURPOSE_ANNOTATION = 'hardened.cdk8s.io/purpose';
/** Annotation recording why a workload's token is mounted (on the account and on the pod templates that mount it). */
export const API_ACCESS_ANNOTATION = API_ACCESS_ANNOTATION_KEY;

const DEFAULT_TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 86400;
const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Props of AuditedServiceAccount. */
export interface AuditedServiceAccountProps extends kplus.ServiceAccountProps {
  /** Team or person accountable for this identity (annotation `hardened.cdk8s.io/owner`). */
  readonly owner: string;
  /** What the identity is for, in a sentence (annotation `hardened.cdk8s.io/purpose`). */
  readonly purpose: string;
  /**
   * Opt in to a token for a workload that really calls the API server. The token is never automounted:
   * pods mount a projected token with a bounded lifetime (see `projectedTokenVolume()`).
   * @default - no token
   */
  readonly apiAccess?: ApiAccess;
  /**
   * Waivers that apply to every grant of this account (per-grant waivers are usually clearer).
   * @default - none
   */
  readonly waivers?: Waiver[];
}

/** A Role/ClusterRole with its binding, created on the first grant for its scope. */
interface RoleSet {
  readonly role: ApiObject;
  readonly binding: ApiObject;
  readonly rules: Array<Record<string, unknown>>;
  readonly waivers: Map<string, Waiver>;
}

/**
 * A ServiceAccount with automount off, owner and purpose, and least-privilege grants checked at synth.
 * Usable wherever cdk8s-plus expects an IServiceAccount.
 */
export class AuditedServiceAccount extends kplus.ServiceAccount implements IAuditRuleSource {
  public readonly owner: string;
  public readonly purpose: string;
  /** Namespace of the account (from its metadata or its chart), if known. */
  public readonly namespace?: string;
  private readonly apiAccess?: ApiAccess;
  private readonly accountWaivers: Waiver[];
  private readonly roleSets = new Map<string, RoleSet>();
  private bindingCount = 0;

  constructor(scope: Construct, id: string, props: AuditedServiceAccountProps) {
    if (props.automountToken === true) {
      throw new Error(
        `${scope.node.path}/${id}: AuditedServiceAccount never automounts its token: an automounted token is a credential in every pod of the account whether it calls the API or not. ` +
          'Remove automountToken and set apiAccess: { reason } so pods mount a projected token with a bounded lifetime.',
      );
    }
    super(scope, id, { ...props, automountToken: false });
    // Owner, purpose and grants reach the YAML cdk8s writes: kubectl must read it as it was checked.
    guardSynthYaml(this);
    const path = this.node.path;
    this.owner = requireText(path, 'owner', props.owner);
    this.purpose = requireText(path, 'purpose', props.purpose);
    this.namespace = this.metadata.namespace;
    this.accountWaivers = validateWaivers(path, props.waivers ?? []);
    this.metadata.addAnnotation(OWNER_ANNOTATION, this.owner);
    this.metadata.addAnnotation(PURPOSE_ANNOTATION, this.purpose);
    if (props.apiAccess) {
      this.apiAccess = validateApiAccess(path, props.apiAccess);
      this.metadata.addAnnotation(API_ACCESS_ANNOTATION, this.apiAccess.reason.trim());
    }
  }

  /** The user name the API server sees for this account (`system:serviceaccount:<ns>:<name>`). */
  public get userName(): string {
    return serviceAccountUserName(this.requireNamespace('its user name'), this.name);
  }

  /**
   * Grants one permission. Fails when it is dangerous (see docs/rbac.md) and not waived, naming the rule id,
   * the permission and the fix.
   */
  public allow(grant: RbacGrant): void {
    const path = this.node.path;
    const where = `${path}: grant ${describeGrant(grant)}`;
    if (typeof grant.apiGroup !== 'string') throw new Error(`${where}: apiGroup must be a string ('' for the core group)`);
    const resources = nonEmptyList(where, 'resources', grant.resources);
    const verbs = nonEmptyList(where, 'verbs', grant.verbs);
    const resourceNames = grant.resourceNames === undefined ? [] : nonEmptyList(where, 'resourceNames', grant.resourceNames);
    if (resourceNames.length > 0 && verbs.includes('create')) {
      throw new Error(
        `${where}: "create" cannot be limited by resourceNames (the API server authorizes a create before the object has a name), so this grant would never allow it. Make a separate grant for create without resourceNames.`,
      );
    }
    if (grant.clusterScope && grant.namespace !== undefined) {
      throw new Error(`${where}: a grant is either namespaced (namespace) or cluster-wide (clusterScope), not both`);
    }
    const waivers = [...this.accountWaivers, ...validateWaivers(path, grant.waivers ?? [])];
    const rule: Record<string, unknown> = {
      apiGroups: [grant.apiGroup],
      resources,
      verbs,
      ...(resourceNames.length > 0 ? { resourceNames } : {}),
    };
    const needed = dangerousPermissions({ apiGroups: [grant.apiGroup], resources, verbs, resourceNames, nonResourceURLs: [] }).map((d) => ({
      ruleId: d.ruleId,
      what: d.permission,
    }));
    // The account's own role is never a built-in one: the binding is judged by its kind and subject.
    needed.push(...this.bindingNeeds(grant.clusterScope ? 'ClusterRoleBinding' : 'RoleBinding', grant.clusterScope ? 'ClusterRole' : 'Role', ''));
    const used = requireWaivers(where, needed, waivers);
    const set = grant.clusterScope ? this.clusterRoleSet() : this.roleSet(grant.namespace ?? this.namespace);
    set.rules.push(rule);
    this.recordWaivers(set, used);
  }

  /** Read one named ConfigMap (get; list and watch on that name with `watch: true`). */
  public allowReadConfigMap(name: string, options: GrantOptions = {}): void {
    this.allow({ apiGroup: '', resources: ['configmaps'], resourceNames: [name], verbs: readVerbs(options), namespace: options.namespace });
  }

  /** Read one named Secret, typically the workload's own (get; list and watch on that name with `watch: true`). */
  public allowReadSecret(name: string, options: GrantOptions = {}): void {
    this.allow({ apiGroup: '', resources: ['secrets'], resourceNames: [name], verbs: readVerbs(options), namespace: options.namespace });
  }

  /** List and get the pods of a namespace (and watch them with `watch: true`). */
  public allowListPods(options: GrantOptions = {}): void {
    this.allow({ apiGroup: '', resources: ['pods'], verbs: options.watch ? ['get', 'list', 'watch'] : ['get', 'list'], namespace: options.namespace });
  }

  /** Leader election with one named Lease: get and update it by name, create it (create cannot be limited by name). */
  public allowLeaderElection(leaseName: string, options: GrantOptions = {}): void {
    this.allow({ apiGroup: 'coordination.k8s.io', resources: ['leases'], resourceNames: [leaseName], verbs: ['get', 'update'], namespace: options.namespace });
    this.allow({ apiGroup: 'coordination.k8s.io', resources: ['leases'], verbs: ['create'], namespace: options.namespace });
  }

  /** Record Events (core and events.k8s.io). */
  public allowCreateEvents(options: GrantOptions = {}): void {
    this.allow({ apiGroup: '', resources: ['events'], verbs: ['create', 'patch'], namespace: options.namespace });
    this.allow({ apiGroup: 'events.k8s.io', resources: ['events'], verbs: ['create', 'patch'], namespace: options.namespace });
  }

  /**
   * Binds an existing ClusterRole (a built-in such as `view`, or one managed elsewhere) to this account, in a
   * namespace by default. cluster-admin, admin and edit need waivers, and so does any other built-in ClusterRole
   * whose bootstrap-policy grants are dangerous (`rbac-builtin-role-binding`: system:aggregate-to-edit, system:node,
   * system:controller:*, ...).
   */
  public bindClusterRole(clusterRoleName: string, options: BindClusterRoleOptions = {}): void {
    const path = this.node.path;
    const where = `${path}: binding ClusterRole ${clusterRoleName}`;
    if (!clusterRoleName) throw new Error(`${where}: the ClusterRole name is empty`);
    if (options.clusterScope && options.namespace !== undefined) {
      throw new Error(`${where}: a binding is either namespaced (namespace) or cluster-wide (clusterScope), not both`);
    }
    const waivers = [...this.accountWaivers, ...validateWaivers(path, options.waivers ?? [])];
    const bindingKind = options.clusterScope ? 'ClusterRoleBinding' : 'RoleBinding';
    const needed = this.bindingNeeds(bindingKind, 'ClusterRole', clusterRoleName);
    const used = requireWaivers(where, needed, waivers);
    // Whole-set rules on the binding (a ClusterRole managed outside this app is "dangling" to a whole-output check)
    // cannot be judged here: the caller's waivers for them are recorded on the binding.
    for (const waiver of waivers) {
      const rule = findRule(waiver.ruleId);
      if (rule?.scope === 'set' && rule.kinds.includes(bindingKind) && !used.includes(waiver)) used.push(waiver);
    }
    const namespace = options.clusterScope ? undefined : options.namespace ?? this.namespace;
    const binding = this.newBinding(`Bind${++this.bindingCount}`, options.clusterScope ? 'ClusterRoleBinding' : 'RoleBinding', namespace, 'ClusterRole', () => clusterRoleName);
    recordWaivers(ApiObject.of(binding).metadata, used);
  }

  /**
   * The projected token volume a pod of this account mounts, or undefined when the account has no `apiAccess`.
   * Pods keep `automountServiceAccountToken: false` and add `volume` and `volumeMount` instead.
   */
  public projectedTokenVolume(): ProjectedTokenVolume | undefined {
    if (!this.apiAccess) return undefined;
    const expirationSeconds = this.apiAccess.expirationSeconds ?? 3600;
    const audience = this.apiAccess.audience;
    const mountPath = this.apiAccess.mountPath ?? DEFAULT_TOKEN_MOUNT;
    const volumeName = 'api-token';
    return {
      volumeName,
      mountPath,
      expirationSeconds,
      audience,
      reason: this.apiAccess.reason.trim(),
      volume: {
        name: volumeName,
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds, ...(audience ? { audience } : {}) } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            // The namespace file client libraries read, as in the volume the kubelet would have mounted.
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
      volumeMount: { name: volumeName, mountPath, readOnly: true },
    };
  }

  /**
   * Audit rules for this account's activity, for the cluster's audit Policy: every access to Secrets and
   * ConfigMaps at Metadata (never their contents), every write at RequestResponse.
   */
  public auditPolicyRules(): AuditPolicyRule[] {
    const user = serviceAccountUserName(this.requireNamespace('its audit rules'), this.name);
    return [
      {
        level: AuditLevel.METADATA,
        users: [user],
        resources: [{ group: '', resources: ['secrets', 'configmaps'] }],
        omitStages: ['RequestReceived'],
      },
      { level: AuditLevel.REQUEST_RESPONSE, users: [user], verbs: [...WRITE_VERBS], omitStages: ['RequestReceived'] },
    ];
  }

  /**
   * The waivers a binding of this account needs: what the catalog's binding rules find on a binding of `kind` to
   * `roleName` with this account as subject (a built-in role, cluster scope, the default account), each with what it grants.
   */
  private bindingNeeds(kind: string, roleKind: string, roleName: string): Array<{ ruleId: string; what: string }> {
    const binding = {
      apiVersion: `${RBAC_API_GROUP}/v1`,
      kind,
      metadata: { name: this.name, ...(kind === 'RoleBinding' && this.namespace ? { namespace: this.namespace } : {}) },
      roleRef: { apiGroup: RBAC_API_GROUP, kind: roleKind, name: roleName },
      subjects: [{ kind: 'ServiceAccount', name: this.name, ...(this.namespace ? { namespace: this.namespace } : {}) }],
    };
    return dangerousBindingFindings(binding, PERMISSIONS).map((f) => ({ ruleId: f.ruleId, what: bindingNeed(f, roleName) }));
  }

  private requireNamespace(what: string): string {
    if (!this.namespace) {
      throw new Error(`${this.node.path}: AuditedServiceAccount needs a namespace for ${what}: set metadata.namespace or the chart's namespace`);
    }
    return this.namespace;
  }

  private roleSet(namespace: string | undefined): RoleSet {
    const key = `ns:${namespace ?? ''}`;
    let set = this.roleSets.get(key);
    if (!set) {
      const id = namespace && namespace !== this.namespace ? `Role-${namespace}` : 'Role';
      set = this.newRoleSet(id, 'Role', 'RoleBinding', namespace);
      this.roleSets.set(key, set);
    }
    return set;
  }

  private clusterRoleSet(): RoleSet {
    let set = this.roleSets.get('cluster');
    if (!set) {
      this.requireNamespace('a ClusterRoleBinding subject');
      set = this.newRoleSet('ClusterRole', 'ClusterRole', 'ClusterRoleBinding', undefined);
      this.roleSets.set('cluster', set);
    }
    return set;
  }

  private newRoleSet(id: string, roleKind: string, bindingKind: string, namespace: string | undefined): RoleSet {
    const rules: Array<Record<string, unknown>> = [];
    const role = this.rbacObject(id, {
      apiVersion: `${RBAC_API_GROUP}/v1`,
      kind: roleKind,
      metadata: { namespace, annotations: this.identityAnnotations() },
      rules: Lazy.any({ produce: () => rules.map((r) => ({ ...r })) }),
    } as any);
    const binding = this.newBinding(`${id}Binding`, bindingKind, namespace, roleKind, () => role.name);
    return { role, binding, rules, waivers: new Map() };
  }

  private newBinding(id: string, kind: string, namespace: string | undefined, roleKind: string, roleName: () => string): ApiObject {
    const subject: Record<string, unknown> = { kind: 'ServiceAccount', name: this.name };
    if (this.namespace) subject.namespace = this.namespace;
    return this.rbacObject(id, {
      apiVersion: `${RBAC_API_GROUP}/v1`,
      kind,
      metadata: { namespace: kind === 'RoleBinding' ? namespace : undefined, annotations: this.identityAnnotations() },
      roleRef: Lazy.any({ produce: () => ({ apiGroup: RBAC_API_GROUP, kind: roleKind, name: roleName() }) }),
      subjects: [subject],
    } as any);
  }

  /** An RBAC ApiObject; cluster-scoped kinds drop the namespace cdk8s copies from the chart. */
  private rbacObject(id: string, props: any): ApiObject {
    const object = new ApiObject(this, id, props);
    if (props.kind.startsWith('Cluster') && object.metadata.namespace !== undefined) {
      object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    return object;
  }

  private identityAnnotations(): Record<string, string> {
    return { [OWNER_ANNOTATION]: this.owner, [PURPOSE_ANNOTATION]: this.purpose };
  }

  /** Waivers go on the object that carries the weakened control: the Role (permissions) or the binding (cluster scope). */
  private recordWaivers(set: RoleSet, used: Waiver[]): void {
    const onBinding = used.filter((w) => judgesBindings(w.ruleId));
    const onRole = used.filter((w) => !judgesBindings(w.ruleId));
    for (const w of onRole) set.waivers.set(w.ruleId, w);
    recordWaivers(set.role.metadata, [...set.waivers.values()]);
    recordWaivers(set.binding.metadata, onBinding);
  }
}

/** Whether the catalog rule judges bindings (so its waiver belongs on the binding, not on the role). */
function judgesBindings(ruleId: string): boolean {
  return findRule(ruleId)?.kinds.some((kind) => BINDING_KINDS.includes(kind)) ?? false;
}

/** What a binding finding grants, in the words of a synth error (`the built-in ClusterRole edit`). */
function bindingNeed(finding: BindingFinding, roleName: string): string {
  if (finding.path === 'roleRef') return 'a ClusterRoleBinding (every namespace and cluster scope)';
  if (finding.path !== 'roleRef.name') return finding.message;
  // Built-in roles other than cluster-admin, admin and edit are judged by what the bootstrap policy grants them.
  const grants = BUILTIN_ADMIN_ROLES[roleName] ? [] : builtinRoleGrants(roleName);
  return `the built-in ClusterRole ${roleName}${grants.length > 0 ? `, which grants ${grants.map((g) => `${g.permission} (${g.ruleId})`).join('; ')}` : ''}`;
}

function readVerbs(options: GrantOptions): string[] {
  return options.watch ? ['get', 'list', 'watch'] : ['get'];
}

function describeGrant(grant: RbacGrant): string {
  const group = grant.apiGroup === '' ? 'core' : grant.apiGroup;
  const names = grant.resourceNames && grant.resourceNames.length > 0 ? ` names=[${grant.resourceNames.join(',')}]` : '';
  return `{${(grant.verbs ?? []).join(',')} on ${group}/${(grant.resources ?? []).join(',')}${names}}`;
}

function requireText(path: string, prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`${path}: AuditedServiceAccount needs a non-empty "${prop}" (who is accountable and what the identity is for)`);
  }
  return value.trim();
}

function nonEmptyList(where: string, field: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v === '')) {
    throw new Error(`${where}: ${field} must be a non-empty list of non-empty strings`);
  }
  return [...new Set(value as string[])];
}

/** The waivers covering every needed rule id; throws naming the first uncovered rule id, the permission and the fix. */
function requireWaivers(where: string, needed: ReadonlyArray<{ ruleId: string; what: string }>, waivers: readonly Waiver[]): Waiver[] {
  const used: Waiver[] = [];
  for (const need of needed) {
    const waiver = waivers.find((w) => w.ruleId === need.ruleId);
    if (!waiver) {
      const rule = findRule(need.ruleId);
      throw new Error(
        `${where} is dangerous: ${need.what} (rule ${need.ruleId}${rule ? `: ${rule.title}` : ''}). ` +
          `Fix: ${rule?.remediation ?? 'narrow the grant'} To keep it, add waivers: [{ ruleId: '${need.ruleId}', reason: '<why>' }].`,
      );
    }
    if (!used.includes(waiver)) used.push(waiver);
  }
  return used;
}

function validateApiAccess(path: string, access: ApiAccess): ApiAccess {
  if (typeof access.reason !== 'string' || access.reason.trim().length < 10) {
    throw new Error(`${path}: apiAccess needs a reason of at least 10 characters saying why the workload calls the API server`);
  }
  const seconds = access.expirationSeconds ?? 3600;
  if (!Number.isInteger(seconds) || seconds < MIN_TOKEN_SECONDS || seconds > MAX_TOKEN_SECONDS) {
    throw new Error(
      `${path}: apiAccess.expirationSeconds must be an integer between ${MIN_TOKEN_SECONDS} and ${MAX_TOKEN_SECONDS} (got ${seconds}); short-lived tokens limit what a stolen token is worth`,
    );
  }
  if (access.audience !== undefined && access.audience.trim() === '') throw new Error(`${path}: apiAccess.audience is empty; omit it for the API server's own audience`);
  if (access.mountPath !== undefined && !access.mountPath.startsWith('/')) throw new Error(`${path}: apiAccess.mountPath must be an absolute path`);
  return access;
}
