import { DIGEST, container, deployment, paths, run } from '../../supply-chain/fixtures';

const ID = 'image-pull-policy';
const c = (image: string, imagePullPolicy?: unknown) => container({ name: 'app', image, ...(imagePullPolicy !== undefined ? { imagePullPolicy } : {}) });
const one = (image: string, imagePullPolicy?: unknown) => [deployment({ containers: [c(image, imagePullPolicy)] })];
const PATH = 'spec.template.spec.containers[0].imagePullPolicy';

describe('image-pull-policy', () => {
  test.each([
    [`app@${DIGEST}`, undefined],
    [`app@${DIGEST}`, 'IfNotPresent'],
    [`app@${DIGEST}`, 'Always'],
    ['app:1.0', 'Always'],
    ['app', undefined], // Kubernetes pulls Always for an implied latest (image-latest-tag reports the tag)
    ['app:latest', undefined],
  ])('%s with %s passes', (image, policy) => {
    expect(paths(ID, one(image, policy))).toEqual([]);
  });

  test('a digest with Never fails', () => {
    const [finding] = run(ID, one(`app@${DIGEST}`, 'Never')).findings;
    expect(finding.path).toBe(PATH);
    expect(finding.message).toContain('imagePullPolicy Never');
  });

  test('a tag with IfNotPresent (explicit or defaulted) fails and says why', () => {
    const explicit = run(ID, one('app:1.0', 'IfNotPresent')).findings;
    expect(explicit.map((f) => [f.path, f.message])).toEqual([
      [PATH, 'container "app" pulls tagged image "app:1.0" with imagePullPolicy IfNotPresent: a node keeps running its cached copy after the tag moves'],
    ]);
    const defaulted = run(ID, one('app:1.0')).findings;
    expect(defaulted[0].message).toContain('imagePullPolicy unset (Kubernetes uses IfNotPresent)');
  });

  test('an invalid pull policy fails', () => {
    expect(run(ID, one(`app@${DIGEST}`, 'sometimes')).findings[0].message).toBe(
      'container "app" has imagePullPolicy "sometimes", which is not one of Always, IfNotPresent, Never',
    );
    expect(paths(ID, one(`app@${DIGEST}`, 7))).toEqual([PATH]);
  });

  test('allowedPullPolicies replaces the defaults', () => {
    const settings = { imagePolicy: { allowedPullPolicies: ['Always'] } };
    expect(paths(ID, one(`app@${DIGEST}`, 'IfNotPresent'), { settings })).toEqual([PATH]);
    expect(paths(ID, one(`app@${DIGEST}`), { settings })).toEqual([PATH]);
    expect(paths(ID, one(`app@${DIGEST}`, 'Always'), { settings })).toEqual([]);
    const neverAllowed = { imagePolicy: { allowedPullPolicies: ['Never', 'IfNotPresent'] } };
    expect(paths(ID, one(`app@${DIGEST}`, 'Never'), { settings: neverAllowed })).toEqual([]);
  });
});
