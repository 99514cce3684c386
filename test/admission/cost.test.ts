/**
 * CEL cost: a static walker bounds every policy's work at the worst case (100 containers with 100 env
 * vars each, 100 items in any list) and the table in docs/admission.md is this computation, so it cannot go stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ADMISSION_DOC_BLOCKS, ADMISSION_DOC_COMMAND, allPolicies } from '../../scripts/admission-doc';
import { estimateCost, ITEM_BOUND, PER_CALL_LIMIT, POLICY_BUDGET, policyCost } from '../../scripts/lib/cel-cost';

describe('CEL cost bound', () => {
  test('the walker: literal lists count their length, other lists ITEM_BOUND, nesting multiplies', () => {
    expect(estimateCost('1 + 2').steps).toBe(3);
    const flat = estimateCost('object.items.all(x, x > 0)');
    const nested = estimateCost('object.items.all(x, x.list.all(y, y > 0))');
    expect(flat.unboundedNesting).toBe(1);
    expect(nested.unboundedNesting).toBe(2);
    expect(nested.steps).toBeGreaterThan(ITEM_BOUND * flat.steps);
    expect(estimateCost('[1, 2].all(x, object.items.all(y, y > x))').unboundedNesting).toBe(1);
  });

  test('no policy nests more than two unbounded loops, and each whole policy stays within the API server budget', () => {
    const costs = allPolicies().map(policyCost);
    expect(costs.length).toBeGreaterThan(50);
    expect(costs.filter((c) => c.unboundedNesting > 2)).toEqual([]);
    expect(costs.filter((c) => c.total > POLICY_BUDGET)).toEqual([]);
    // Honest about the worst case: three RBAC policies (100 rules x 100 resources or verbs) could exceed
    // the per-expression limit; the API server then aborts the evaluation and, with failurePolicy Fail, denies.
    expect(costs.filter((c) => c.maxExpression > PER_CALL_LIMIT).map((c) => c.policy).sort()).toEqual([
      'rbac-aggregate-builtin.hardened.cdk8s.io',
      'rbac-create-workloads.hardened.cdk8s.io',
      'rbac-escalate-bind-impersonate.hardened.cdk8s.io',
    ]);
  });

  test.each(ADMISSION_DOC_BLOCKS)('docs/admission.md shows exactly the computed %s', (marker, compute) => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/admission.md'), 'utf8');
    const match = new RegExp(`<!-- ${marker}:start -->\\n([\\s\\S]*?)\\n<!-- ${marker}:end -->`).exec(doc);
    const expected = compute();
    if (!match || match[1] !== expected) {
      throw new Error(`docs/admission.md is stale (regenerate it with ${ADMISSION_DOC_COMMAND}); between the ${marker} markers it must read:\n\n${expected}\n`);
    }
  });
});
