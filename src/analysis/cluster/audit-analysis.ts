/**
 * First-match analysis of audit Policy rules, shared by the AuditPolicy construct (which refuses to synthesize
 * a policy that could log secret values) and the catalog rule `cluster-audit-secrets-metadata-only` (which
 * judges hand-written policies the same way). Works on plain JSON, so malformed input never throws.
 */
import { asArray, asObject, asString } from '../../core/json';

/** A resource whose request or response bodies hold credentials or config values. */
export interface SensitiveResource {
  readonly group: string;
  /** `resource` or `resource/subresource`. */
  readonly resource: string;
}

/**
 * Resources the audit log records at Metadata at most: Secrets and ConfigMaps (values), TokenReviews (the
 * bearer token in the request) and ServiceAccount token requests (the token in the response).
 */
export const SENSITIVE_AUDIT_RESOURCES: readonly SensitiveResource[] = [
  { group: '', resource: 'secrets' },
  { group: '', resource: 'configmaps' },
  { group: '', resource: 'serviceaccounts/token' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews' },
];

const LEVEL_RANK: Record<string, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

/** Rank of an audit level (None 0 .. RequestResponse 3), undefined for an unknown level. */
export function auditLevelRank(level: unknown): number | undefined {
  return typeof level === 'string' ? LEVEL_RANK[level] : undefined;
}

/** Whether a policy rule matches no, some or all requests for a resource. */
export type MatchExtent = 'none' | 'some' | 'all';

function nonEmpty(value: unknown): boolean {
  return asArray(value).length > 0;
}

/** Whether a `resources` entry (`pods`, `pods/log`, `*`, `*\/scale`, `pods/*`) names the resource. */
export function resourcePatternMatches(pattern: string, resource: string): boolean {
  const [patternResource, patternSub] = pattern.split('/', 2);
  const [targetResource, targetSub] = resource.split('/', 2);
  if (patternResource !== '*' && patternResource !== targetResource) return false;
  if (patternSub === undefined) return targetSub === undefined;
  return patternSub === '*' ? targetSub !== undefined : patternSub === targetSub;
}

/**
 * How much of the traffic to `target` a rule matches. `explicit` is true when the rule names the resource
 * (rather than matching it through an empty or wildcard resource list).
 */
export function ruleMatchExtent(rule: unknown, target: SensitiveResource): { extent: MatchExtent; explicit: boolean } {
  const r = asObject(rule);
  if (nonEmpty(r.nonResourceURLs)) return { extent: 'none', explicit: false };
  const restricted = nonEmpty(r.users) || nonEmpty(r.userGroups) || nonEmpty(r.verbs) || nonEmpty(r.namespaces);
  const groups = asArray(r.resources);
  if (groups.length === 0) return { extent: restricted ? 'some' : 'all', explicit: false };
  let best: MatchExtent = 'none';
  let explicit = false;
  for (const entry of groups) {
    const g = asObject(entry);
    if ((asString(g.group) ?? '') !== target.group) continue;
    const resources = asArray(g.resources).filter((x): x is string => typeof x === 'string');
    const named = resources.some((p) => p === target.resource);
    const matches = resources.length === 0 || resources.some((p) => resourcePatternMatches(p, target.resource));
    if (!matches) continue;
    explicit = explicit || named;
    const extent: MatchExtent = restricted || nonEmpty(g.resourceNames) ? 'some' : 'all';
    if (extent === 'all' || best === 'none') best = extent;
  }
  return { extent: best, explicit };
}

/** A rule that would record a sensitive resource above Metadata. */
export interface SensitiveLoggingViolation {
  /** Index of the offending rule in the policy's rules. */
  readonly ruleIndex: number;
  readonly level: string;
  readonly resource: SensitiveResource;
}

/**
 * Walks the rules in order, as the API server does (first match wins), and reports every rule that could be
 * the first match for a request to a sensitive resource while recording it above Metadata. The walk for a
 * resource stops at the first rule that matches all of its requests: later rules can never see them.
 */
export function findSensitiveLogging(
  rules: unknown,
  resources: readonly SensitiveResource[] = SENSITIVE_AUDIT_RESOURCES,
): SensitiveLoggingViolation[] {
  const list = asArray(rules);
  const violations: SensitiveLoggingViolation[] = [];
  for (const resource of resources) {
    for (let i = 0; i < list.length; i++) {
      const { extent } = ruleMatchExtent(list[i], resource);
      if (extent === 'none') continue;
      const level = asObject(list[i]).level;
      const rank = auditLevelRank(level);
      if (rank === undefined || rank > LEVEL_RANK.Metadata) {
        violations.push({ ruleIndex: i, level: String(level), resource });
      }
      if (extent === 'all') break;
    }
  }
  return violations;
}

/** `secrets`, `authentication.k8s.io/tokenreviews`. */
export function formatResource(resource: SensitiveResource): string {
  return resource.group === '' ? resource.resource : `${resource.group}/${resource.resource}`;
}
