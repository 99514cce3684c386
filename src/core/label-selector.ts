/**
 * Kubernetes label selectors (`matchLabels` + `matchExpressions`), evaluated defensively: a selector that
 * cannot be read matches nothing, so a malformed selector never makes a cross-object rule pass.
 */
import { asArray, asObject, asString, isObject } from './json';

/**
 * True when the selector selects the labels. `{}` selects everything; a missing (`undefined`/`null`) or
 * malformed selector selects nothing (policy/v1 PodDisruptionBudget, affinity terms and spread constraints
 * all treat a null selector as matching no pods).
 */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return false;
  if (selector.matchLabels !== undefined && !isObject(selector.matchLabels)) return false;
  if (selector.matchExpressions !== undefined && !Array.isArray(selector.matchExpressions)) return false;
  for (const [key, value] of Object.entries(asObject(selector.matchLabels))) {
    if (typeof value !== 'string' || labels[key] !== value) return false;
  }
  for (const expression of asArray(selector.matchExpressions)) {
    if (!expressionMatches(expression, labels)) return false;
  }
  return true;
}

function expressionMatches(expression: unknown, labels: Record<string, string>): boolean {
  const e = asObject(expression);
  const key = asString(e.key);
  const operator = asString(e.operator);
  if (key === undefined || operator === undefined) return false;
  const values = asArray(e.values).filter((v): v is string => typeof v === 'string');
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  switch (operator) {
    case 'In':
      return has && values.includes(labels[key]);
    case 'NotIn':
      return !has || !values.includes(labels[key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/**
 * Whether two objects can be in the same namespace. An object without `metadata.namespace` lands in the
 * namespace it is applied to, so it may share a namespace with any other object.
 */
export function mayShareNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
