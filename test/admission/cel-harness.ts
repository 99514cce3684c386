/**
 * Evaluates generated ValidatingAdmissionPolicies with a real CEL engine (@bufbuild/cel), the way the API
 * server does at runtime: `object`, `oldObject`, `request` and `variables` are dynamic values built from the
 * object's JSON (integers are CEL ints, as in unstructured Kubernetes objects); variables are computed in order.
 */
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { KIND_RESOURCES } from '../../src/core/api-resources';
import type { K8sObject } from '../../src/core/types';
import { CLUSTER_SCOPED_KINDS } from '../../src/core/waiver-policy';

// The API server offers the cel-go strings extension (join, split, ...); messages use join.
const env = celEnv({ funcs: strings });
const plans = new Map<string, ReturnType<typeof plan>>();

/** Parses and plans an expression once; a parse error throws with the expression. */
export function compile(expression: string): ReturnType<typeof plan> {
  let planned = plans.get(expression);
  if (!planned) {
    try {
      planned = plan(env, parse(expression));
    } catch (e) {
      throw new Error(`CEL does not parse: ${(e as Error).message}\n${expression}`);
    }
    plans.set(expression, planned);
  }
  return planned;
}

/** JSON as CEL input: objects become maps, integers become ints (bigint), null stays null. */
export function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

function evaluate(expression: string, bindings: Record<string, unknown>): unknown {
  const result = compile(expression)(bindings as never);
  if (isCelError(result)) throw new Error(`CEL evaluation error: ${result.message}\n${expression}`);
  return result;
}

export interface Request {
  readonly operation?: 'CREATE' | 'UPDATE';
  readonly username?: string;
  readonly oldObject?: K8sObject;
  /** The params ConfigMap the binding resolves; null when it does not exist. @default an empty ConfigMap */
  readonly params?: K8sObject | null;
  /** request.namespace. @default the object's namespace, 'default' for namespaced kinds without one, '' for cluster-scoped kinds */
  readonly namespace?: string;
}

/** What the API server answers when a binding's params are missing and parameterNotFoundAction is Deny. */
export const PARAMS_NOT_FOUND = 'params not found (parameterNotFoundAction: Deny)';

export interface PolicyVerdict {
  /** False when the policy does not apply to the object (kind, match conditions). */
  readonly matched: boolean;
  /** Messages of the failed validations (empty: admitted). */
  readonly failures: string[];
}

/** Whether the policy's matchConstraints select the object's kind (CREATE/UPDATE of its resource). */
export function policyMatchesKind(policy: K8sObject, kind: string): boolean {
  const resource = KIND_RESOURCES[kind];
  if (!resource) return false;
  const rules = ((policy.spec as any).matchConstraints.resourceRules as any[]);
  return rules.some(
    (r) => r.apiGroups.includes(resource.group) && r.apiVersions.includes(resource.version) && r.resources.includes(resource.resources[0]),
  );
}

/** Runs a policy on an object as the API server would for a request by `username` (default a normal user). */
export function evaluatePolicy(policy: K8sObject, object: K8sObject, request: Request = {}): PolicyVerdict {
  const kind = String(object.kind);
  if (!policyMatchesKind(policy, kind)) return { matched: false, failures: [] };
  const spec = policy.spec as any;
  const resource = KIND_RESOURCES[kind];
  const params = request.params === undefined ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'params' } } : request.params;
  const namespace = request.namespace ?? (CLUSTER_SCOPED_KINDS.has(kind) ? '' : (object.metadata as any)?.namespace ?? 'default');
  const bindings: Record<string, unknown> = {
    object: toCel(object),
    oldObject: toCel(request.oldObject ?? null),
    params: toCel(spec.paramKind ? params : null),
    request: toCel({
      operation: request.operation ?? 'CREATE',
      namespace,
      kind: { group: resource.group, version: resource.version, kind },
      userInfo: { username: request.username ?? 'alice', groups: ['system:authenticated'] },
    }),
  };
  for (const condition of spec.matchConditions ?? []) {
    const value = evaluate(condition.expression, bindings);
    if (typeof value !== 'boolean') throw new Error(`matchCondition ${condition.name} is not a bool`);
    if (!value) return { matched: false, failures: [] };
  }
  // The API server resolves params after the match: a missing params object then denies (or allows) outright.
  if (spec.paramKind && params === null) return { matched: true, failures: [PARAMS_NOT_FOUND] };
  const variables = new Map<string, unknown>();
  bindings.variables = variables;
  for (const variable of spec.variables ?? []) variables.set(variable.name, evaluate(variable.expression, bindings));
  const failures: string[] = [];
  for (const validation of spec.validations) {
    const value = evaluate(validation.expression, bindings);
    if (typeof value !== 'boolean') throw new Error(`validation is not a bool: ${validation.expression}`);
    if (value) continue;
    if (validation.messageExpression) {
      const message = evaluate(validation.messageExpression, bindings);
      if (typeof message !== 'string') throw new Error(`messageExpression is not a string: ${validation.messageExpression}`);
      failures.push(message);
    } else {
      failures.push(validation.message);
    }
  }
  return { matched: true, failures };
}

/**
 * How deeply comprehensions (all/exists/map/filter) nest in an expression: a comprehension inside the body of
 * another multiplies the work, one that only produces the list another iterates (`filter(...).map(...)`) adds
 * to it. A proxy for the expression's CEL cost.
 */
export function comprehensionDepth(expression: string): number {
  const walk = (node: any): number => {
    if (node === null || typeof node !== 'object') return 0;
    if (node.exprKind?.case === 'comprehensionExpr') {
      const c = node.exprKind.value;
      const body = Math.max(walk(c.loopCondition), walk(c.loopStep));
      return Math.max(walk(c.iterRange), walk(c.accuInit), walk(c.result), 1 + body);
    }
    let deepest = 0;
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const item of value) deepest = Math.max(deepest, walk(item));
      else if (value && typeof value === 'object') deepest = Math.max(deepest, walk(value));
    }
    return deepest;
  };
  return walk(parse(expression).expr);
}
