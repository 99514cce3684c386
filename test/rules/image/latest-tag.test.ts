import { DIGEST, container, deployment, paths, run } from '../../supply-chain/fixtures';

const ID = 'image-latest-tag';
const images = (...list: string[]) => deployment({ containers: list.map((image, i) => container({ name: `c${i}`, image })) });

describe('image-latest-tag', () => {
  test('versioned tags and digests pass', () => {
    expect(paths(ID, [images('nginx:1.27', `nginx@${DIGEST}`, `nginx:1.27@${DIGEST}`)])).toEqual([]);
  });

  test('latest, latest next to a digest, and a missing tag fail', () => {
    const result = run(ID, [images('nginx:latest', `nginx:latest@${DIGEST}`, 'registry.example.com/team/app')]);
    expect(result.findings.map((f) => [f.path, f.message])).toEqual([
      ['spec.template.spec.containers[0].image', 'image "nginx:latest" of container "c0" uses the tag "latest"'],
      ['spec.template.spec.containers[1].image', `image "nginx:latest@${DIGEST}" of container "c1" uses the tag "latest"`],
      ['spec.template.spec.containers[2].image', 'image "registry.example.com/team/app" of container "c2" has neither tag nor digest, so it pulls "latest"'],
    ]);
    expect(result.findings[2].remediation).toContain('crane digest registry.example.com/team/app:<version>');
  });

  test('the tag "Latest" is a different tag and is not flagged; invalid images are left to image-digest', () => {
    expect(paths(ID, [images('nginx:Latest', 'NOT VALID')])).toEqual([]);
  });

  test('requireDigest: false does not allow latest', () => {
    expect(paths(ID, [images('nginx:latest')], { settings: { imagePolicy: { requireDigest: false } } })).toHaveLength(1);
  });
});
