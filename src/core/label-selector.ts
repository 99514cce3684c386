/**
 * The one label-selector evaluator. A selector (metav1.LabelSelector: `matchLabels` and `matchExpressions`,
 * ANDed) is read defensively: anything malformed (a non-object, non-string label values, an unknown operator,
 * `In` without values, `Exists` with values) makes it match nothing and is reported through `problems`, so a
 * bad selector never makes a rule pass or widens access. What an absent selector (`undefined` or `null`, which
 * the API server decodes alike) and an empty `{}` mean depends on the field it sits in, so every caller names
 * its use; there is no default.
 */
import { asArray, asObject, asString, isObject } from './json';

/**
 * Where a selector comes from. The meaning of absent and `{}` per use:
 * - `networkPolicyPodSelector` (NetworkPolicy `spec.podSelector`): absent reads as `{}`; `{}` selects every pod
 *   of the policy's namespace.
 * - `networkPolicyPeerPodSelector` (a peer's `podSelector`): absent selects every pod of the peer's namespaces.
 * - `networkPolicyNamespaceSelector` (a peer's `namespaceSelector`): absent means the policy's own namespace,
 *   which the selector cannot express: it is marked `absent`, matches no labels, and the caller substitutes the
 *   namespace. `{}` selects every namespace.
 * - `admissionNamespaceSelector` (`matchConstraints.namespaceSelector` of an admission policy): absent selects
 *   every namespace.
 * - `podDisruptionBudget` (policy/v1 `spec.selector`): absent selects no pods, `{}` every pod of the namespace.
 * - `podAffinityTerm` (pod (anti-)affinity and topology spread `labelSelector`): absent selects no pods.
 * - `aggregationRule` (a ClusterRole's `aggregationRule.clusterRoleSelectors[]` entry): `{}` selects every
 *   ClusterRole, as the aggregation controller does; absent selects none. Its requirements are evaluated as
 *   written instead of being rejected (`In` without values selects nothing, `NotIn` without values everything,
 *   `Exists` ignores values, an unknown operator selects nothing), as the rbac-aggregate rules' admission CEL
 *   does: rejecting would make the selector collect nothing, a pass for those rules, where the literal reading
 *   is what a lenient evaluator would aggregate.
 * - `serviceSelector` (Service `spec.selector`): a plain label map, not a LabelSelector; absent or empty selects
 *   no pods (such a Service has manually managed endpoints).
 */
export type SelectorUse =
  | 'networkPolicyPodSelector'
  | 'networkPolicyPeerPodSelector'
  | 'networkPolicyNamespaceSelector'
  | 'admissionNamespaceSelector'
  | 'podDisruptionBudget'
  | 'podAffinityTerm'
  | 'aggregationRule'
  | 'serviceSelector';

/** What an absent selector selects, per use. */
const ABSENT: Readonly<Record<SelectorUse, 'all' | 'none' | 'caller'>> = {
  networkPolicyPodSelector: 'all',
  networkPolicyPeerPodSelector: 'all',
  networkPolicyNamespaceSelector: 'caller',
  admissionNamespaceSelector: 'all',
  podDisruptionBudget: 'none',
  podAffinityTerm: 'none',
  aggregationRule: 'none',
  serviceSelector: 'none',
};

/** A selector read for one use: a predicate over labels plus a readable form for diagrams and messages. */
export interface CompiledSelector {
  /** True when the selector was absent (for `networkPolicyNamespaceSelector`: the caller decides what it selects). */
  readonly absent: boolean;
  /** True when the selector could not be read: it matches nothing. */
  readonly invalid: boolean;
  /** True when it matches every object (`{}`, or absent where the use says so). */
  readonly matchesAll: boolean;
  /** Stable text of the selector (`app=api,tier in (a,b)`), `all` when it matches everything. */
  readonly text: string;
  /** Unambiguous cache key: equal keys select the same objects. */
  readonly key: string;
  /** The `matchLabels` part (used to recognise `kubernetes.io/metadata.name` selections). */
  readonly matchLabels: Readonly<Record<string, string>>;
  matches(labels: Readonly<Record<string, string>>): boolean;
}

interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const NOTHING: CompiledSelector = { absent: false, invalid: true, matchesAll: false, text: 'invalid selector', key: 'invalid', matchLabels: {}, matches: () => false };

function absentSelector(use: SelectorUse): CompiledSelector {
  switch (ABSENT[use]) {
    case 'all':
      // Selects what `{}` selects, with its key, so that absent and `{}` group together.
      return { ...compiled({}, []), absent: true };
    case 'none':
      return { absent: true, invalid: false, matchesAll: false, text: 'none', key: 'none', matchLabels: {}, matches: () => false };
    default:
      return { absent: true, invalid: false, matchesAll: false, text: 'own namespace', key: 'absent', matchLabels: {}, matches: () => false };
  }
}

/**
 * Reads a selector for a use. Malformed parts are reported as `<where>: ...` in `problems` (pass none to
 * ignore them) and make the selector match nothing.
 */
export function compileSelector(use: SelectorUse, selector: unknown, problems: string[] = [], where = ''): CompiledSelector {
  if (selector === undefined || selector === null) return absentSelector(use);
  if (use === 'serviceSelector') return compileServiceSelector(selector, problems, where);
  if (!isObject(selector)) {
    problems.push(`${where}: a label selector must be an object`);
    return NOTHING;
  }
  let invalid = false;
  const matchLabels: Record<string, string> = {};
  if (selector.matchLabels !== undefined && selector.matchLabels !== null && !isObject(selector.matchLabels)) {
    problems.push(`${where}: matchLabels must be a map of strings`);
    invalid = true;
  }
  for (const [key, value] of Object.entries(asObject(selector.matchLabels))) {
    if (typeof value !== 'string') {
      problems.push(`${where}: matchLabels.${key} must be a string`);
      invalid = true;
    } else {
      matchLabels[key] = value;
    }
  }
  if (selector.matchExpressions !== undefined && selector.matchExpressions !== null && !Array.isArray(selector.matchExpressions)) {
    problems.push(`${where}: matchExpressions must be a list`);
    invalid = true;
  }
  const requirements: Requirement[] = [];
  asArray(selector.matchExpressions).forEach((raw, index) => {
    const requirement = use === 'aggregationRule' ? literalRequirement(raw) : readRequirement(raw);
    if (!requirement) {
      problems.push(`${where}: matchExpressions[${index}] is not a valid requirement (key, operator In|NotIn|Exists|DoesNotExist, values)`);
      invalid = true;
      return;
    }
    requirements.push(requirement);
  });
  if (invalid) return NOTHING;
  return compiled(matchLabels, requirements);
}

/** Compiled selectors by object and use: cross-object rules ask the same selector about many objects (inputs are not changed during a scan). */
const compiledCache = new WeakMap<object, Map<SelectorUse, CompiledSelector>>();

/** True when the selector, read for the use, selects the labels (a malformed selector selects nothing). */
export function selectorMatches(use: SelectorUse, selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return compileSelector(use, selector).matches(labels);
  let byUse = compiledCache.get(selector);
  if (!byUse) compiledCache.set(selector, (byUse = new Map()));
  let found = byUse.get(use);
  if (!found) byUse.set(use, (found = compileSelector(use, selector)));
  return found.matches(labels);
}

function readRequirement(raw: unknown): Requirement | undefined {
  const expression = asObject(raw);
  const key = asString(expression.key);
  const operator = asString(expression.operator);
  if (!key || !operator || !OPERATORS.includes(operator)) return undefined;
  if (expression.values !== undefined && expression.values !== null && !Array.isArray(expression.values)) return undefined;
  const values = asArray(expression.values);
  if (!values.every((v) => typeof v === 'string')) return undefined;
  const needsValues = operator === 'In' || operator === 'NotIn';
  if (needsValues !== values.length > 0) return undefined;
  return { key, operator, values: [...(values as string[])].sort() };
}

/** A requirement as written (aggregationRule): only a missing key or operator makes it unreadable. */
function literalRequirement(raw: unknown): Requirement | undefined {
  const expression = asObject(raw);
  const key = asString(expression.key);
  const operator = asString(expression.operator);
  if (key === undefined || operator === undefined) return undefined;
  return { key, operator, values: asArray(expression.values).filter((v): v is string => typeof v === 'string').sort() };
}

/** A Service selector: a plain map, equality only; empty selects no pods. */
function compileServiceSelector(selector: unknown, problems: string[], where: string): CompiledSelector {
  if (!isObject(selector)) {
    problems.push(`${where}: a Service selector must be a map of strings`);
    return NOTHING;
  }
  const matchLabels: Record<string, string> = {};
  for (const [key, value] of Object.entries(selector)) {
    if (typeof value !== 'string') {
      problems.push(`${where}: selector.${key} must be a string`);
      return NOTHING;
    }
    matchLabels[key] = value;
  }
  if (Object.keys(matchLabels).length === 0) return absentSelector('serviceSelector');
  return compiled(matchLabels, []);
}

function requirementText(r: Requirement): string {
  switch (r.operator) {
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    default:
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
  }
}

function compiled(matchLabels: Record<string, string>, requirements: readonly Requirement[]): CompiledSelector {
  const labelKeys = Object.keys(matchLabels).sort();
  const parts = [...labelKeys.map((k) => `${k}=${matchLabels[k]}`), ...requirements.map(requirementText).sort()];
  const labelEntries = Object.entries(matchLabels);
  return {
    absent: false,
    invalid: false,
    matchesAll: parts.length === 0,
    text: parts.length === 0 ? 'all' : parts.join(','),
    key: JSON.stringify([labelKeys.map((k) => [k, matchLabels[k]]), requirements.map((r) => JSON.stringify([r.key, r.operator, r.values])).sort()]),
    matchLabels,
    matches(labels) {
      for (const [k, v] of labelEntries) if (labels[k] !== v) return false;
      for (const r of requirements) {
        const has = Object.prototype.hasOwnProperty.call(labels, r.key);
        switch (r.operator) {
          case 'In':
            if (!has || !r.values.includes(labels[r.key])) return false;
            break;
          case 'NotIn':
            // NotIn matches objects without the key, as in the API server.
            if (has && r.values.includes(labels[r.key])) return false;
            break;
          case 'Exists':
            if (!has) return false;
            break;
          case 'DoesNotExist':
            if (has) return false;
            break;
          default:
            // Only an aggregationRule requirement gets here with another operator: it selects nothing.
            return false;
        }
      }
      return true;
    },
  };
}

/**
 * Whether two objects can be in the same namespace. An object without `metadata.namespace` lands in the
 * namespace it is applied to, so it may share a namespace with any other object.
 */
export function mayShareNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
