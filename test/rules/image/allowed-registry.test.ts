import { parseImagePolicy } from '../../../src/analysis/images/image-policy';
import { DIGEST, container, deployment, paths, run, waive } from '../../supply-chain/fixtures';

const ID = 'image-allowed-registry';
const images = (...list: string[]) => deployment({ containers: list.map((image, i) => container({ name: `c${i}`, image })) });
const imagePolicy = parseImagePolicy({ allowedRegistries: ['registry.example.com'], allowedRepositories: ['docker.io/library/*'] });

describe('image-allowed-registry', () => {
  test('without a source restriction every registry is allowed', () => {
    expect(paths(ID, [images(`evil.example.net/x@${DIGEST}`)])).toEqual([]);
    expect(paths(ID, [images(`evil.example.net/x@${DIGEST}`)], { settings: { imagePolicy: { requireDigest: true } } })).toEqual([]);
  });

  test('allowed registries and repositories pass; others fail with the image and the allow-list', () => {
    const result = run(ID, [images(`registry.example.com/team/app@${DIGEST}`, `nginx@${DIGEST}`, `bitnami/redis@${DIGEST}`, `ghcr.io/x/y@${DIGEST}`)], {
      settings: { imagePolicy },
    });
    expect(result.findings.map((f) => f.path)).toEqual(['spec.template.spec.containers[2].image', 'spec.template.spec.containers[3].image']);
    expect(result.findings[0].message).toBe(
      `image "bitnami/redis@${DIGEST}" of container "c2" comes from docker.io, which the image policy does not allow (docker.io/bitnami/redis@${DIGEST} matches none of: registry.example.com, docker.io/library/*)`,
    );
  });

  test('a waiver accepts one untrusted image', () => {
    const object = deployment({ containers: [container({ image: `ghcr.io/x/y@${DIGEST}` })], annotations: waive(ID, 'vendor image, mirrored next quarter') });
    const result = run(ID, [object], { settings: { imagePolicy } });
    expect(result.findings).toEqual([]);
    expect(result.waived).toHaveLength(1);
  });

  test('a locked rule cannot be waived', () => {
    const object = deployment({ containers: [container({ image: `ghcr.io/x/y@${DIGEST}` })], annotations: waive(ID) });
    expect(paths(ID, [object], { settings: { imagePolicy }, lockedRules: [ID] })).toHaveLength(1);
  });
});
