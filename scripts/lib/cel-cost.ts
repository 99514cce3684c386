/**
 * A static bound on the work of a policy's CEL, over its parsed AST (@bufbuild/cel): every AST node evaluated
 * costs one step, and the body of a comprehension (all, exists, map, filter) is counted once per element of
 * the list it iterates. A literal list has its own length; every other list is taken at the worst case of the
 * issue's limits, ITEM_BOUND items (100 containers in all, 100 env vars, ports, volumes, RBAC rules, verbs,
 * ... each). What it estimates: the number of evaluation steps, an upper bound for the expressions as written,
 * which is the unit cel-go's runtime cost counts for most operations. What it does not: cel-go charges string
 * operations (matches, split, contains) in proportion to the string's length, so an RE2 match on an image
 * reference (at most a few hundred bytes) or on the waiver annotation (once per policy, at most 256 KiB, the
 * limit on all annotations of an object) costs more than one step; the docs state both.
 */
import { parse } from '@bufbuild/cel';

/** Worst-case size of any list the object or the params supply. */
export const ITEM_BOUND = 100;

/** Kubernetes' runtime limits (k8s.io/apiserver/pkg/apis/cel): one expression, and one whole policy evaluation. */
export const PER_CALL_LIMIT = 1_000_000;
export const POLICY_BUDGET = 10_000_000;

export interface CostEstimate {
  /** Evaluation steps, worst case. */
  readonly steps: number;
  /** Deepest nesting of comprehensions whose range is not a literal (a multiplication of unbounded lists). */
  readonly unboundedNesting: number;
}

function rangeSize(node: any): { size: number; literal: boolean } {
  if (node?.exprKind?.case === 'listExpr') return { size: node.exprKind.value.elements.length, literal: true };
  return { size: ITEM_BOUND, literal: false };
}

function walk(node: any): CostEstimate {
  if (node === null || typeof node !== 'object') return { steps: 0, unboundedNesting: 0 };
  if (node.exprKind?.case === 'comprehensionExpr') {
    const c = node.exprKind.value;
    const range = rangeSize(c.iterRange);
    const parts = [walk(c.iterRange), walk(c.accuInit), walk(c.result)];
    const body = [walk(c.loopCondition), walk(c.loopStep)];
    const bodySteps = body.reduce((n, b) => n + b.steps, 0);
    const bodyNesting = Math.max(...body.map((b) => b.unboundedNesting));
    return {
      steps: 1 + parts.reduce((n, p) => n + p.steps, 0) + range.size * bodySteps,
      unboundedNesting: Math.max(...parts.map((p) => p.unboundedNesting), bodyNesting + (range.literal ? 0 : 1)),
    };
  }
  let steps = node.exprKind ? 1 : 0;
  let nesting = 0;
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object') {
        const estimate = walk(child);
        steps += estimate.steps;
        nesting = Math.max(nesting, estimate.unboundedNesting);
      }
    }
  }
  return { steps, unboundedNesting: nesting };
}

/** The estimate of one expression. */
export function estimateCost(expression: string): CostEstimate {
  return walk(parse(expression).expr);
}

export interface PolicyCost {
  readonly policy: string;
  /** The most expensive single expression (variable, validation or message). */
  readonly maxExpression: number;
  /** Every expression once: variables, validations and messages (the policy's share of the budget). */
  readonly total: number;
  readonly unboundedNesting: number;
}

/** The estimate of a ValidatingAdmissionPolicy: each match condition, variable, validation and message once. */
export function policyCost(policy: any): PolicyCost {
  const spec = policy.spec;
  const expressions: string[] = [
    ...[...(spec.matchConditions ?? []), ...(spec.variables ?? []), ...spec.validations].map((e: any) => e.expression),
    ...spec.validations.flatMap((v: any) => (v.messageExpression ? [v.messageExpression] : [])),
  ];
  const estimates = expressions.map(estimateCost);
  return {
    policy: policy.metadata.name,
    maxExpression: Math.max(...estimates.map((e) => e.steps)),
    total: estimates.reduce((n, e) => n + e.steps, 0),
    unboundedNesting: Math.max(...estimates.map((e) => e.unboundedNesting)),
  };
}

/** The cost table of docs/admission.md (between its cost-table markers), one row per policy, most expensive first. */
export function costTable(policies: readonly any[]): string {
  const rows = policies.map(policyCost).sort((a, b) => b.total - a.total || (a.policy < b.policy ? -1 : 1));
  const fmt = (n: number) => n.toLocaleString('en-US');
  return [
    '| policy | most expensive expression (steps) | whole policy (steps) | nested unbounded loops |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| \`${r.policy}\` | ${fmt(r.maxExpression)} | ${fmt(r.total)} | ${r.unboundedNesting} |`),
  ].join('\n');
}
