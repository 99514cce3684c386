import { mayShareNamespace, selectorMatches } from '../../src/core/label-selector';

const labels = { app: 'web', tier: 'front' };

describe('selectorMatches', () => {
  test.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'web', tier: 'back' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
  ])('%j → %s', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });

  test.each([undefined, null, 'app=web', [], { matchLabels: 'app=web' }, { matchLabels: { app: 1 } }, { matchExpressions: {} }, { matchExpressions: [{ key: 'app' }] }, { matchExpressions: [{ operator: 'Exists' }] }])(
    'a missing or malformed selector %j selects nothing',
    (selector) => {
      expect(selectorMatches(selector, labels)).toBe(false);
    },
  );
});

test('objects without a namespace may share one with anything', () => {
  expect(mayShareNamespace(undefined, 'a')).toBe(true);
  expect(mayShareNamespace('a', undefined)).toBe(true);
  expect(mayShareNamespace('a', 'a')).toBe(true);
  expect(mayShareNamespace('a', 'b')).toBe(false);
});
