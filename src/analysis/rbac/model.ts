/**
 * RBAC objects read from plain JSON (synth output or any YAML), defensively: a malformed field is read as
 * empty, never thrown on. Internal module: the public facade is `AccessMatrix` (access-matrix.ts).
 */
import { asArray, asObject, asString, asStringMap, isObject } from '../../core/json';
import type { K8sObject } from '../../core/types';

export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

/** One rule of a Role or ClusterRole (rbac.authorization.k8s.io/v1 PolicyRule). */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** A label selector as used by aggregationRule.clusterRoleSelectors. */
export interface LabelSelector {
  readonly matchLabels: Record<string, string>;
  readonly matchExpressions: ReadonlyArray<{ key: string; operator: string; values: readonly string[] }>;
}

export interface RoleDef {
  readonly kind: 'Role' | 'ClusterRole';
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly rules: readonly PolicyRule[];
  /** Present when the ClusterRole aggregates others (its rules are then the union of theirs). */
  readonly aggregationSelectors?: readonly LabelSelector[];
  readonly object: K8sObject;
  /** True for a bootstrap ClusterRole the set does not contain, taken from src/analysis/rbac/bootstrap-policy.ts. */
  readonly builtin?: boolean;
}

export interface SubjectRef {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface RoleRef {
  readonly kind: string;
  readonly name: string;
}

export interface BindingDef {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly name: string;
  readonly namespace?: string;
  readonly roleRef: RoleRef;
  readonly subjects: readonly SubjectRef[];
  readonly object: K8sObject;
}

function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** Reads one PolicyRule; missing or mistyped lists are empty (an empty list grants nothing). */
export function readPolicyRule(value: unknown): PolicyRule {
  const rule = asObject(value);
  return {
    verbs: strings(rule.verbs),
    apiGroups: strings(rule.apiGroups),
    resources: strings(rule.resources),
    resourceNames: strings(rule.resourceNames),
    nonResourceURLs: strings(rule.nonResourceURLs),
  };
}

function readSelector(value: unknown): LabelSelector {
  const selector = asObject(value);
  return {
    matchLabels: asStringMap(selector.matchLabels),
    matchExpressions: asArray(selector.matchExpressions)
      .filter(isObject)
      .map((e) => ({ key: asString(e.key) ?? '', operator: asString(e.operator) ?? '', values: strings(e.values) })),
  };
}

function metadataOf(object: K8sObject) {
  const metadata = asObject(object.metadata);
  return {
    name: asString(metadata.name) ?? '',
    namespace: asString(metadata.namespace),
    labels: asStringMap(metadata.labels),
  };
}

/** A Role or ClusterRole, or undefined for any other object. */
export function readRole(object: K8sObject): RoleDef | undefined {
  if (object.kind !== 'Role' && object.kind !== 'ClusterRole') return undefined;
  const { name, namespace, labels } = metadataOf(object);
  const aggregation = asObject(object.aggregationRule);
  const hasAggregation = object.kind === 'ClusterRole' && isObject(object.aggregationRule);
  return {
    kind: object.kind,
    name,
    namespace: object.kind === 'Role' ? namespace : undefined,
    labels,
    rules: asArray(object.rules).map(readPolicyRule),
    aggregationSelectors: hasAggregation ? asArray(aggregation.clusterRoleSelectors).map(readSelector) : undefined,
    object,
  };
}

/** A RoleBinding or ClusterRoleBinding, or undefined for any other object. */
export function readBinding(object: K8sObject): BindingDef | undefined {
  if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') return undefined;
  const { name, namespace } = metadataOf(object);
  const roleRef = asObject(object.roleRef);
  return {
    kind: object.kind,
    name,
    namespace: object.kind === 'RoleBinding' ? namespace : undefined,
    roleRef: { kind: asString(roleRef.kind) ?? '', name: asString(roleRef.name) ?? '' },
    subjects: asArray(object.subjects)
      .filter(isObject)
      .map((s) => ({ kind: asString(s.kind) ?? '', name: asString(s.name) ?? '', namespace: asString(s.namespace) })),
    object,
  };
}

/** The user name Kubernetes gives a ServiceAccount's tokens. */
export function serviceAccountUserName(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * The namespace a binding's ServiceAccount subject lives in: its own, or (RoleBinding only, as the API
 * server does) the binding's namespace when the subject omits it.
 */
export function subjectNamespace(subject: SubjectRef, binding: BindingDef): string | undefined {
  return subject.namespace ?? binding.namespace;
}
