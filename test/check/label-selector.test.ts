import { analyzeReachability } from '../../src/analysis/network/reachability';
import { compileSelector, mayShareNamespace, SelectorUse, selectorMatches } from '../../src/core/label-selector';

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
    expect(selectorMatches('podDisruptionBudget', selector, labels)).toBe(expected);
  });

  test.each([undefined, null, 'app=web', [], { matchLabels: 'app=web' }, { matchLabels: { app: 1 } }, { matchExpressions: {} }, { matchExpressions: [{ key: 'app' }] }, { matchExpressions: [{ operator: 'Exists' }] }])(
    'a missing or malformed selector %j selects nothing',
    (selector) => {
      expect(selectorMatches('podDisruptionBudget', selector, labels)).toBe(false);
    },
  );
});

test('objects without a namespace may share one with anything', () => {
  expect(mayShareNamespace(undefined, 'a')).toBe(true);
  expect(mayShareNamespace('a', undefined)).toBe(true);
  expect(mayShareNamespace('a', 'a')).toBe(true);
  expect(mayShareNamespace('a', 'b')).toBe(false);
});

describe('one selector, its meaning named per use', () => {
  const OBJECT_USES: readonly SelectorUse[] = [
    'networkPolicyPodSelector',
    'networkPolicyPeerPodSelector',
    'networkPolicyNamespaceSelector',
    'admissionNamespaceSelector',
    'podDisruptionBudget',
    'podAffinityTerm',
    'aggregationRule',
  ];
  /** What an absent (null or undefined) selector selects, per use. */
  const ABSENT_SELECTS: Record<SelectorUse, boolean> = {
    networkPolicyPodSelector: true, // read as {}: every pod of the policy's namespace
    networkPolicyPeerPodSelector: true, // every pod of the peer's namespaces
    networkPolicyNamespaceSelector: false, // the policy's own namespace: the caller's business
    admissionNamespaceSelector: true, // every namespace
    podDisruptionBudget: false, // policy/v1: a null selector selects no pods
    podAffinityTerm: false, // a null labelSelector matches no pods
    aggregationRule: false,
    serviceSelector: false, // no selector: endpoints are managed by hand
  };
  const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
  // The third value is what every use selects; the fourth, when given, what aggregationRule selects (requirements as written).
  const inputs: ReadonlyArray<readonly [string, unknown, boolean, boolean?]> = [
    ['{}', {}, true],
    ['matchLabels that match', { matchLabels: { app: 'web' } }, true],
    ['matchLabels that do not', { matchLabels: { app: 'api' } }, false],
    ['In', expr('app', 'In', ['api', 'web']), true],
    ['In without the value', expr('app', 'In', ['api']), false],
    ['NotIn', expr('app', 'NotIn', ['api']), true],
    ['NotIn with the value', expr('app', 'NotIn', ['web']), false],
    ['Exists', expr('tier', 'Exists'), true],
    ['Exists of a missing key', expr('zone', 'Exists'), false],
    ['DoesNotExist', expr('zone', 'DoesNotExist'), true],
    ['DoesNotExist of a present key', expr('app', 'DoesNotExist'), false],
    ['a bad operator', expr('app', 'Equals', ['web']), false],
    ['In without values (malformed)', expr('app', 'In', []), false],
    ['NotIn without values (malformed)', expr('zone', 'NotIn'), false, true],
    ['Exists with values (malformed)', expr('tier', 'Exists', ['front']), false, true],
    ['an expression without a key (malformed)', { matchExpressions: [{ operator: 'Exists' }] }, false],
    ['a non-string label value (malformed)', { matchLabels: { app: 1 } }, false],
    ['matchLabels as a string (malformed)', { matchLabels: 'app=web' }, false],
    ['matchExpressions as an object (malformed)', { matchExpressions: {} }, false],
    ['a string (malformed)', 'app=web', false],
    ['a list (malformed)', [], false],
  ];

  test.each(OBJECT_USES.flatMap((use) => inputs.map(([name, selector, expected, aggregation]) => [use, name, selector, use === 'aggregationRule' ? aggregation ?? expected : expected] as const)))(
    '%s: %s selects %s',
    (use, _name, selector, expected) => {
      expect(selectorMatches(use, selector, labels)).toBe(expected);
      const compiled = compileSelector(use, selector);
      expect(compiled.absent).toBe(false);
      expect(compiled.matches(labels)).toBe(expected);
    },
  );

  test.each(Object.keys(ABSENT_SELECTS).flatMap((use) => [[use, null], [use, undefined]] as const))('%s: absent (%s)', (use, selector) => {
    const compiled = compileSelector(use as SelectorUse, selector);
    expect(compiled.absent).toBe(true);
    expect(compiled.invalid).toBe(false);
    expect(compiled.matches(labels)).toBe(ABSENT_SELECTS[use as SelectorUse]);
    expect(compiled.matches({})).toBe(ABSENT_SELECTS[use as SelectorUse]);
    expect(selectorMatches(use as SelectorUse, selector, labels)).toBe(ABSENT_SELECTS[use as SelectorUse]);
  });

  test('absent and {} select alike where the use says so, and share a cache key', () => {
    expect(compileSelector('networkPolicyPodSelector', undefined).key).toBe(compileSelector('networkPolicyPodSelector', {}).key);
    expect(compileSelector('networkPolicyPodSelector', undefined).text).toBe('all');
    expect(compileSelector('networkPolicyNamespaceSelector', undefined).matchesAll).toBe(false);
    expect(compileSelector('networkPolicyNamespaceSelector', {}).matchesAll).toBe(true);
  });

  test.each([
    ['a matching map', { app: 'web' }, true],
    ['a map naming other labels', { app: 'web', tier: 'back' }, false],
    ['an empty map (no pods)', {}, false],
    ['a LabelSelector instead of a map (malformed)', { matchLabels: { app: 'web' } }, false],
    ['a non-string value (malformed)', { app: 1 }, false],
    ['a string (malformed)', 'app=web', false],
  ])('serviceSelector: %s selects %s', (_name, selector, expected) => {
    expect(selectorMatches('serviceSelector', selector, labels)).toBe(expected);
  });

  test('malformed parts are reported where they are and make the selector match nothing', () => {
    const problems: string[] = [];
    const read = (use: SelectorUse, selector: unknown) => compileSelector(use, selector, problems, use);
    expect(read('podDisruptionBudget', { matchLabels: 'app=web' }).invalid).toBe(true);
    expect(read('podAffinityTerm', { matchExpressions: {} }).invalid).toBe(true);
    expect(read('aggregationRule', expr('app', 'Equals', ['web'])).invalid).toBe(false);
    expect(read('aggregationRule', { matchLabels: { app: true } }).invalid).toBe(true);
    expect(read('networkPolicyPeerPodSelector', expr('app', 'Equals', ['web'])).invalid).toBe(true);
    expect(read('serviceSelector', { app: 1 }).invalid).toBe(true);
    expect(read('networkPolicyPodSelector', 7).matchesAll).toBe(false);
    expect(problems).toEqual([
      'podDisruptionBudget: matchLabels must be a map of strings',
      'podAffinityTerm: matchExpressions must be a list',
      'aggregationRule: matchLabels.app must be a string',
      'networkPolicyPeerPodSelector: matchExpressions[0] is not a valid requirement (key, operator In|NotIn|Exists|DoesNotExist, values)',
      'serviceSelector: selector.app must be a string',
      'networkPolicyPodSelector: a label selector must be an object',
    ]);
  });
});

describe('a null NetworkPolicy peer selector is absent, as the API server decodes it', () => {
  const workload = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: name }] } },
    },
  });
  const policy = (peer: object) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer] }] },
  });
  const flowsInto = (peer: object) => {
    const result = analyzeReachability([workload('api'), workload('web'), policy(peer)]);
    return { from: result.flows.filter((f) => f.to === 'Deployment/shop/api').map((f) => f.from), problems: result.problems };
  };

  test('podSelector: null with a namespaceSelector admits every pod of the selected namespaces', () => {
    expect(flowsInto({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: null })).toEqual({
      from: ['Deployment/shop/api', 'Deployment/shop/web'],
      problems: [],
    });
  });

  test('a peer whose selectors are both null is an empty peer: reported and ignored', () => {
    expect(flowsInto({ podSelector: null, namespaceSelector: null })).toEqual({
      from: [],
      problems: ['NetworkPolicy shop/api spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock (peer ignored)'],
    });
  });
});
