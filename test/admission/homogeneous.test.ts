/**
 * The API server compiles CEL with homogeneous aggregate literals: a list or map literal whose elements have
 * two different static types (a string and a bool) does not compile, and a policy that does not compile denies
 * every request it matches (failurePolicy Fail). @bufbuild/cel does not check this, so this test does, for
 * the types an element's expression makes evident: constants, boolean operators and functions, and dyn().
 * Anything else is dynamic (a field of the object) and cannot conflict.
 */
import { parse } from '@bufbuild/cel';
import { buildAdmissionPolicies } from '../../src/admission/policies';

const BOOL_FUNCTIONS = new Set([
  '_&&_', '_||_', '!_', '_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_', '@in', 'matches', 'startsWith', 'endsWith', 'contains', 'exists', 'all',
]);

/** The evident static type of an expression, or undefined when it is dynamic. */
function staticType(node: any): string | undefined {
  const kind = node?.exprKind?.case;
  if (kind === 'constExpr') return node.exprKind.value.constantKind.case;
  if (kind === 'listExpr') return 'list';
  if (kind === 'structExpr') return 'map';
  if (kind === 'selectExpr' && node.exprKind.value.testOnly) return 'boolValue';
  if (kind === 'callExpr') {
    const fn = node.exprKind.value.function;
    if (fn === 'dyn') return undefined;
    if (BOOL_FUNCTIONS.has(fn)) return 'boolValue';
    if (fn === 'size') return 'int64Value';
  }
  // all()/exists() expand to comprehensions whose result is a bool; map()/filter() to lists.
  if (kind === 'comprehensionExpr') {
    const result = node.exprKind.value.result;
    return result?.exprKind?.case === 'identExpr' && node.exprKind.value.accuInit?.exprKind?.case === 'listExpr' ? 'list' : undefined;
  }
  return undefined;
}

/** Literals mixing evident types, as readable lines. */
function mixedLiterals(expression: string): string[] {
  const problems: string[] = [];
  const walk = (node: any) => {
    if (node === null || typeof node !== 'object') return;
    const kind = node.exprKind?.case;
    const elements: any[] = kind === 'listExpr' ? node.exprKind.value.elements : kind === 'structExpr' ? node.exprKind.value.entries.map((e: any) => e.value) : [];
    const types = new Set(elements.map(staticType).filter((t) => t !== undefined));
    if (types.size > 1) problems.push(`a ${kind === 'listExpr' ? 'list' : 'map'} literal mixes ${[...types].sort().join(' and ')}`);
    for (const value of Object.values(node)) for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child === 'object') walk(child);
  };
  walk(parse(expression).expr);
  return problems;
}

describe('homogeneous aggregate literals', () => {
  test('the check sees a mixed literal, and dyn() or dynamic fields make it uniform', () => {
    expect(mixedLiterals("{'a': 'x', 'b': has(o.f)}")).toEqual(['a map literal mixes boolValue and stringValue']);
    expect(mixedLiterals("[1, 'x']")).toEqual(['a list literal mixes int64Value and stringValue']);
    expect(mixedLiterals("{'a': dyn('x'), 'b': dyn(has(o.f))}")).toEqual([]);
    expect(mixedLiterals("{'a': o.name, 'b': o.items.exists(i, i > 0)}")).toEqual([]);
  });

  test('no policy has a literal that the API server would refuse to compile', () => {
    const problems: string[] = [];
    for (const level of ['restricted', 'baseline'] as const) {
      for (const policy of buildAdmissionPolicies({ level }).policies) {
        const spec = policy.spec as any;
        const expressions: string[] = [
          ...[...(spec.matchConditions ?? []), ...(spec.variables ?? []), ...spec.validations].map((e: any) => e.expression),
          ...spec.validations.flatMap((v: any) => (v.messageExpression ? [v.messageExpression] : [])),
        ];
        for (const e of expressions) for (const p of mixedLiterals(e)) problems.push(`${(policy.metadata as any).name}: ${p}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
