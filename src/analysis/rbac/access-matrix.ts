/**
 * "Who can do what": the access matrix over any set of Roles, ClusterRoles and bindings, and `canI` with the
 * RBAC authorizer's semantics. This file is the jsii-friendly facade exported from src/index.ts; the graph,
 * matching and classification live in internal modules beside it.
 */
import { Chart } from 'cdk8s';
import { describeSelector } from './dangerous';
import { RbacGraph, serviceAccountUser, UserInfo } from './graph';
import { BindingDef, subjectNamespace } from './model';
import { selectorMatches } from '../../core/label-selector';
import type { K8sObject } from '../../core/types';

/** Kinds of RBAC subject. */
export enum SubjectKind {
  USER = 'User',
  GROUP = 'Group',
  SERVICE_ACCOUNT = 'ServiceAccount',
}

/** Who is asking (canI) or who was granted (matrix entries). */
export interface RbacSubject {
  readonly kind: SubjectKind;
  readonly name: string;
  /** Namespace of a ServiceAccount (required for ServiceAccount subjects in `canI`). */
  readonly namespace?: string;
  /**
   * Further groups the user belongs to, for `canI`. The groups Kubernetes adds on its own are always
   * included: `system:authenticated` for users and service accounts, `system:serviceaccounts` and
   * `system:serviceaccounts:<namespace>` for service accounts, `system:unauthenticated` for `system:anonymous`.
   * @default - only the implied groups
   */
  readonly groups?: string[];
}

/** What else identifies the resource in a `canI` question. */
export interface CanIOptions {
  /** API group of the resource (`apps` for deployments). @default '' (the core group) */
  readonly apiGroup?: string;
  /** Name of the object (checked against resourceNames). @default - no name (list, watch, create) */
  readonly resourceName?: string;
  /** Subresource (`exec` for `pods/exec`). @default - none */
  readonly subresource?: string;
}

/** One row of the access matrix: a subject may use these verbs on one resource (or URL) in one scope. */
export interface AccessEntry {
  readonly subject: RbacSubject;
  /** Namespace the grant is limited to; undefined for a ClusterRoleBinding (every namespace and cluster scope). */
  readonly namespace?: string;
  /** API group (`''` is the core group, `*` every group); undefined for a non-resource URL. */
  readonly apiGroup?: string;
  /** Resource or `resource/subresource` (`*` wildcards as written); undefined for a non-resource URL. */
  readonly resource?: string;
  /** The one object name the grant is limited to; undefined when every name is allowed. */
  readonly resourceName?: string;
  /** Non-resource URL (`/healthz`, `/logs/*`). */
  readonly nonResourceUrl?: string;
  /** Verbs, sorted. */
  readonly verbs: string[];
  /** The bindings and roles that grant it (`RoleBinding ns/name -> Role name`), sorted. */
  readonly grantedBy: string[];
}

/**
 * One selector of an aggregated ClusterRole of the set and what it collects. A selector also collects every
 * ClusterRole created later, outside the set, that carries matching labels: the matrix shows today's union only.
 */
export interface AggregatedRole {
  /** Name of the aggregating ClusterRole. */
  readonly clusterRole: string;
  /** The selector as text (`{app=x, tier In (a, b)}`; `{}` matches every ClusterRole). */
  readonly selector: string;
  /** ClusterRoles of the set it collects, sorted. */
  readonly fromSet: string[];
  /** Built-in (bootstrap policy) ClusterRoles it collects on every cluster, sorted. */
  readonly builtin: string[];
}

/** A binding whose role is not in the set: its grants cannot be judged from these objects. */
export interface UnresolvedBinding {
  /** `RoleBinding ns/name` or `ClusterRoleBinding name`. */
  readonly binding: string;
  /** `ClusterRole name` or `Role name`. */
  readonly roleRef: string;
}

function describeBinding(binding: BindingDef): string {
  return binding.kind === 'RoleBinding' ? `RoleBinding ${binding.namespace ?? ''}/${binding.name}` : `ClusterRoleBinding ${binding.name}`;
}

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The access matrix of a set of RBAC objects. */
export class AccessMatrix {
  /** Builds the matrix from plain Kubernetes objects (other kinds are ignored). */
  public static fromObjects(objects: any[]): AccessMatrix {
    return new AccessMatrix(objects.filter((o) => typeof o === 'object' && o !== null && !Array.isArray(o)) as K8sObject[]);
  }

  /** Builds the matrix from everything a chart synthesizes. */
  public static fromChart(chart: Chart): AccessMatrix {
    return AccessMatrix.fromObjects(chart.toJson());
  }

  private static userOf(subject: RbacSubject): UserInfo {
    const extra = subject.groups ?? [];
    switch (subject.kind) {
      case SubjectKind.SERVICE_ACCOUNT: {
        if (!subject.namespace) throw new Error(`canI: ServiceAccount subject "${subject.name}" needs a namespace`);
        const user = serviceAccountUser(subject.namespace, subject.name);
        return { name: user.name, groups: [...user.groups, ...extra] };
      }
      case SubjectKind.GROUP:
        // "What can members of this group do": no user name, just the group.
        return { name: '', groups: [subject.name, ...extra] };
      default:
        return {
          name: subject.name,
          groups: [subject.name === 'system:anonymous' ? 'system:unauthenticated' : 'system:authenticated', ...extra],
        };
    }
  }

  private readonly graph: RbacGraph;
  private cachedEntries?: AccessEntry[];

  private constructor(objects: readonly K8sObject[]) {
    this.graph = new RbacGraph(objects);
  }

  /**
   * Whether the subject may use the verb on the resource, as `kubectl auth can-i` would answer against these
   * objects. `inNamespace` undefined asks about a cluster-scoped resource (or every namespace at once). Roles the set
   * lacks are resolved from the Kubernetes bootstrap policy (`view`, `cluster-admin`, `system:node`, ...), aggregated
   * ClusterRoles collect from the set and those built-in roles, and members of `system:masters` may do anything.
   * (The parameter is not called `namespace`: that is a reserved word in C#.)
   */
  public canI(subject: RbacSubject, verb: string, resource: string, inNamespace?: string, options: CanIOptions = {}): boolean {
    return this.graph.allows(AccessMatrix.userOf(subject), {
      verb,
      resource,
      namespace: inNamespace,
      apiGroup: options.apiGroup ?? '',
      name: options.resourceName,
      subresource: options.subresource,
    });
  }

  /** Whether the subject may use the verb (`get`, `post`, ...) on a non-resource URL (`/healthz`). */
  public canIAccessUrl(subject: RbacSubject, verb: string, path: string): boolean {
    return this.graph.allows(AccessMatrix.userOf(subject), { verb, path });
  }

  /** Every grant, one row per subject, scope, API group, resource and name, in a stable order. */
  public entries(): AccessEntry[] {
    if (!this.cachedEntries) this.cachedEntries = this.computeEntries();
    return this.cachedEntries.map((e) => ({ ...e, verbs: [...e.verbs], grantedBy: [...e.grantedBy] }));
  }

  /** The rows granted directly to one subject (not through its groups). */
  public entriesFor(subject: RbacSubject): AccessEntry[] {
    return this.entries().filter(
      (e) => e.subject.kind === subject.kind && e.subject.name === subject.name && e.subject.namespace === subject.namespace,
    );
  }

  /**
   * The selectors of every aggregated ClusterRole in the set, with the ClusterRoles (of the set and built in) they
   * collect; `canI` and `entries()` use that union. Each selector can also match ClusterRoles outside the set.
   */
  public aggregations(): AggregatedRole[] {
    const all = this.graph.allClusterRoles();
    const result: AggregatedRole[] = [];
    for (const role of this.graph.aggregatingRoles()) {
      for (const selector of role.aggregationSelectors ?? []) {
        const matched = all.filter((c) => c.name !== role.name && selectorMatches('aggregationRule', selector, c.labels));
        result.push({
          clusterRole: role.name,
          selector: describeSelector(selector),
          fromSet: matched.filter((c) => !c.builtin).map((c) => c.name).sort(),
          builtin: matched.filter((c) => c.builtin).map((c) => c.name).sort(),
        });
      }
    }
    return result.sort((a, b) => compare(a.clusterRole, b.clusterRole) || compare(a.selector, b.selector));
  }

  /**
   * Bindings whose role is missing from the set. A ClusterRole of the bootstrap policy (`view`, `system:node`, ...)
   * is resolved from the built-in table and is not listed.
   */
  public unresolvedBindings(): UnresolvedBinding[] {
    return this.graph.bindings
      .filter((b) => !this.graph.rulesOfBinding(b).resolved)
      .map((b) => ({ binding: describeBinding(b), roleRef: `${b.roleRef.kind} ${b.roleRef.name}` }));
  }

  /** The matrix as a Markdown table (for reports), with unresolved bindings listed below it. */
  public toMarkdown(): string {
    const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const code = (text: string) => (text === '' ? '' : `\`${cell(text)}\``);
    const lines = ['| Subject | Scope | API group | Resource | Name | Verbs | Granted by |', '| --- | --- | --- | --- | --- | --- | --- |'];
    for (const e of this.entries()) {
      const subject = `${e.subject.kind} ${e.subject.namespace ? `${e.subject.namespace}/` : ''}${e.subject.name}`;
      const scope = e.namespace === undefined ? 'cluster-wide' : `namespace ${e.namespace}`;
      const group = e.nonResourceUrl !== undefined ? '' : e.apiGroup === '' ? 'core' : e.apiGroup ?? '';
      const resource = e.nonResourceUrl !== undefined ? `URL ${e.nonResourceUrl}` : e.resource ?? '';
      lines.push(
        `| ${cell(subject)} | ${cell(scope)} | ${code(group)} | ${code(resource)} | ${e.resourceName === undefined ? 'any' : code(e.resourceName)} | ${code(
          e.verbs.join(', '),
        )} | ${cell(e.grantedBy.join('; '))} |`,
      );
    }
    if (this.entries().length === 0) lines.push('| (no grants) | | | | | | |');
    const aggregations = this.aggregations();
    if (aggregations.length > 0) {
      lines.push('', 'Aggregated ClusterRoles (each selector also collects any ClusterRole created later, outside this set, with matching labels):', '');
      for (const a of aggregations) {
        const collected = [...a.fromSet, ...a.builtin.map((name) => `${name} (built-in)`)];
        lines.push(`- ClusterRole ${cell(a.clusterRole)} ${cell(a.selector)}: ${collected.length > 0 ? cell(collected.join(', ')) : 'nothing in this set'}`);
      }
    }
    const unresolved = this.unresolvedBindings();
    if (unresolved.length > 0) {
      lines.push('', 'Bindings whose role is not in the set (not shown above):', '');
      for (const u of unresolved) lines.push(`- ${cell(u.binding)} -> ${cell(u.roleRef)}`);
    }
    return lines.join('\n') + '\n';
  }

  private computeEntries(): AccessEntry[] {
    const rows = new Map<string, { entry: Omit<AccessEntry, 'verbs' | 'grantedBy'>; verbs: Set<string>; grantedBy: Set<string> }>();
    const add = (entry: Omit<AccessEntry, 'verbs' | 'grantedBy'>, verbs: readonly string[], via: string) => {
      const key = JSON.stringify([
        entry.subject.kind,
        entry.subject.namespace,
        entry.subject.name,
        entry.namespace,
        entry.apiGroup,
        entry.resource,
        entry.resourceName,
        entry.nonResourceUrl,
      ]);
      let row = rows.get(key);
      if (!row) {
        row = { entry, verbs: new Set(), grantedBy: new Set() };
        rows.set(key, row);
      }
      verbs.forEach((v) => row!.verbs.add(v));
      row.grantedBy.add(via);
    };
    for (const binding of this.graph.bindings) {
      const bound = this.graph.rulesOfBinding(binding);
      if (!bound.resolved) continue;
      const via = `${describeBinding(binding)} -> ${binding.roleRef.kind} ${binding.roleRef.name}${bound.role?.builtin ? ' (built-in)' : ''}`;
      for (const ref of binding.subjects) {
        const kind = Object.values(SubjectKind).find((k) => k === ref.kind);
        if (!kind) continue;
        const subject: RbacSubject =
          kind === SubjectKind.SERVICE_ACCOUNT
            ? { kind, name: ref.name, namespace: subjectNamespace(ref, binding) }
            : { kind, name: ref.name };
        for (const rule of bound.rules) {
          if (rule.verbs.length === 0) continue;
          // Non-resource URLs are cluster-scoped: a RoleBinding never grants them.
          if (binding.kind === 'ClusterRoleBinding') {
            for (const url of rule.nonResourceURLs) add({ subject, nonResourceUrl: url }, rule.verbs, via);
          }
          const names: Array<string | undefined> = rule.resourceNames.length > 0 ? [...rule.resourceNames] : [undefined];
          for (const apiGroup of rule.apiGroups) {
            for (const resource of rule.resources) {
              for (const resourceName of names) {
                add({ subject, namespace: binding.namespace, apiGroup, resource, resourceName }, rule.verbs, via);
              }
            }
          }
        }
      }
    }
    const entries = [...rows.values()].map((r) => ({
      ...r.entry,
      verbs: [...r.verbs].sort(),
      grantedBy: [...r.grantedBy].sort(),
    }));
    return entries.sort(
      (a, b) =>
        compare(a.subject.kind, b.subject.kind) ||
        compare(a.subject.namespace, b.subject.namespace) ||
        compare(a.subject.name, b.subject.name) ||
        (a.namespace === undefined ? 0 : 1) - (b.namespace === undefined ? 0 : 1) ||
        compare(a.namespace, b.namespace) ||
        compare(a.nonResourceUrl, b.nonResourceUrl) ||
        compare(a.apiGroup, b.apiGroup) ||
        compare(a.resource, b.resource) ||
        compare(a.resourceName, b.resourceName),
    );
  }
}
