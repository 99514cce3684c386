/**
 * Kubernetes label selectors (metav1.LabelSelector) evaluated over plain JSON, the way the API server does:
 * matchLabels and matchExpressions are ANDed; an empty selector matches everything.
 */
import { asArray, asObject, asString, isObject } from './json';

/** A compiled selector: a predicate over labels plus a readable form for diagrams and messages. */
export interface CompiledSelector {
  /** True when the selector has no requirement (`{}`): it matches every object. */
  readonly matchesAll: boolean;
  /** Stable text of the selector (`app=api,tier in (a,b)`), `all` when empty. */
  readonly text: string;
  /** Unambiguous cache key: equal keys select the same objects. */
  readonly key: string;
  /** The `matchLabels` part (used to recognise `kubernetes.io/metadata.name` selections). */
  readonly matchLabels: Record<string, string>;
  matches(labels: Record<string, string>): boolean;
}

interface Requirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/**
 * Compiles a label selector. Malformed parts (unknown operator, `In` without values, non-string values)
 * make the selector match nothing and are reported through `problems`: an invalid selector never widens access.
 */
export function compileSelector(selector: unknown, problems: string[], where: string): CompiledSelector {
  const source = asObject(selector);
  const matchLabels: Record<string, string> = {};
  const requirements: Requirement[] = [];
  let invalid = false;
  if (selector !== undefined && !isObject(selector)) {
    problems.push(`${where}: a label selector must be an object`);
    invalid = true;
  }
  for (const [key, value] of Object.entries(asObject(source.matchLabels))) {
    if (typeof value !== 'string') {
      problems.push(`${where}: matchLabels.${key} must be a string`);
      invalid = true;
    } else {
      matchLabels[key] = value;
    }
  }
  asArray(source.matchExpressions).forEach((raw, index) => {
    const expression = asObject(raw);
    const key = asString(expression.key);
    const operator = asString(expression.operator);
    const values = asArray(expression.values);
    const stringValues = values.filter((v): v is string => typeof v === 'string');
    const needsValues = operator === 'In' || operator === 'NotIn';
    if (
      !key ||
      !operator ||
      !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator) ||
      stringValues.length !== values.length ||
      (needsValues && values.length === 0) ||
      (!needsValues && values.length > 0)
    ) {
      problems.push(`${where}: matchExpressions[${index}] is not a valid requirement (key, operator In|NotIn|Exists|DoesNotExist, values)`);
      invalid = true;
      return;
    }
    requirements.push({ key, operator, values: [...stringValues].sort() });
  });

  const labelPairs = Object.keys(matchLabels)
    .sort()
    .map((k) => `${k}=${matchLabels[k]}`);
  const expressionTexts = requirements
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .sort();
  const parts = [...labelPairs, ...expressionTexts];
  if (invalid) {
    return { matchesAll: false, text: 'invalid selector', key: 'invalid', matchLabels, matches: () => false };
  }
  const labelEntries = Object.entries(matchLabels);
  return {
    matchesAll: parts.length === 0,
    text: parts.length === 0 ? 'all' : parts.join(','),
    key: JSON.stringify([
      Object.keys(matchLabels).sort().map((k) => [k, matchLabels[k]]),
      requirements.map((r) => JSON.stringify([r.key, r.operator, r.values])).sort(),
    ]),
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
          default:
            if (has) return false;
        }
      }
      return true;
    },
  };
}
