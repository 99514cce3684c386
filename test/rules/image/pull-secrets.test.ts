import { DIGEST, container, deployment, paths, run } from '../../supply-chain/fixtures';

const ID = 'image-pull-secrets';
const settings = { imagePolicy: { requiredPullSecrets: [{ registry: 'registry.example.com', secretNames: ['regcred', 'regcred-ro'] }] } };
const serviceAccount = (name: string, secrets: string[]) => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'shop' },
  imagePullSecrets: secrets.map((s) => ({ name: s })),
});

describe('image-pull-secrets', () => {
  test('no requirement, no finding', () => {
    expect(paths(ID, [deployment()])).toEqual([]);
  });

  test('a pod pulling from the registry without the secret fails at imagePullSecrets', () => {
    const result = run(ID, [deployment()], { settings });
    expect(result.findings.map((f) => [f.path, f.message])).toEqual([
      [
        'spec.template.spec.imagePullSecrets',
        'container "app" pulls from registry.example.com, which requires one of the pull secrets regcred, regcred-ro; the pod and its ServiceAccount "default" reference none',
      ],
    ]);
  });

  test('the secret on the pod or on its ServiceAccount satisfies it', () => {
    expect(paths(ID, [deployment({ pod: { imagePullSecrets: [{ name: 'regcred-ro' }] } })], { settings })).toEqual([]);
    const viaAccount = [deployment({ pod: { serviceAccountName: 'web' } }), serviceAccount('web', ['regcred'])];
    expect(paths(ID, viaAccount, { settings })).toEqual([]);
    const wrongAccount = [deployment({ pod: { serviceAccountName: 'web' } }), serviceAccount('other', ['regcred'])];
    expect(paths(ID, wrongAccount, { settings })).toHaveLength(1);
  });

  test('other registries need nothing; malformed imagePullSecrets count as none', () => {
    expect(paths(ID, [deployment({ containers: [container({ image: `quay.io/x/y@${DIGEST}` })] })], { settings })).toEqual([]);
    expect(paths(ID, [deployment({ pod: { imagePullSecrets: 'regcred' } })], { settings })).toHaveLength(1);
    expect(paths(ID, [deployment({ pod: { imagePullSecrets: [null, { name: 5 }] } })], { settings })).toHaveLength(1);
  });
});
