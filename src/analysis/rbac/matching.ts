/**
 * Rule matching with the semantics of the Kubernetes RBAC authorizer (pkg/apis/rbac/v1/evaluation_helpers.go
 * and plugin/pkg/auth/authorizer/rbac/rbac.go): `*` in verbs, apiGroups and resources; `*\/sub` matching one
 * subresource of every resource; empty resourceNames meaning every name; nonResourceURLs with a trailing `*`
 * as a prefix match. The access matrix, canI and the dangerous-permission classification all use these.
 */
import type { PolicyRule } from './model';

/** What a request asks for: a resource request or a non-resource URL. */
export type AccessRequest = ResourceRequest | NonResourceRequest;

export interface ResourceRequest {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
  /** Namespace of the request; undefined for cluster-scoped resources and all-namespace lists. */
  readonly namespace?: string;
}

export interface NonResourceRequest {
  readonly verb: string;
  readonly path: string;
}

export function isResourceRequest(request: AccessRequest): request is ResourceRequest {
  return (request as ResourceRequest).resource !== undefined;
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group);
}

/** `combined` is `resource` or `resource/subresource`. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string | undefined): boolean {
  return rule.resources.some(
    (r) => r === '*' || r === combined || (subresource !== undefined && subresource !== '' && r === `*/${subresource}`),
  );
}

export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  if (rule.resourceNames.length === 0) return true;
  return name !== undefined && rule.resourceNames.includes(name);
}

export function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}

/** Whether one rule allows the request (namespace scoping is the binding's business, not the rule's). */
export function ruleAllows(rule: PolicyRule, request: AccessRequest): boolean {
  if (!verbMatches(rule, request.verb)) return false;
  if (!isResourceRequest(request)) return nonResourceUrlMatches(rule, request.path);
  const combined = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  return (
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, combined, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}
