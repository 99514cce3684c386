import { DIGEST, deployment, container, paths, pod, run, waive, PINNED } from '../../supply-chain/fixtures';

const ID = 'image-digest';

describe('image-digest', () => {
  test('digest-pinned images pass (with or without a tag)', () => {
    expect(paths(ID, [deployment({ containers: [container(), container({ name: 'b', image: `nginx:1.27@${DIGEST}` })] })])).toEqual([]);
  });

  test('a tagged image fails, and the fix explains how to pin', () => {
    const result = run(ID, [deployment({ containers: [container({ image: 'nginx:1.27' })] })]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        path: 'spec.template.spec.containers[0].image',
        message: 'image "nginx:1.27" of container "app" is referenced by tag, not pinned by digest',
      }),
    ]);
    const fix = result.findings[0].remediation;
    expect(fix).toContain('crane digest docker.io/library/nginx:1.27');
    expect(fix).toContain('docker buildx imagetools inspect docker.io/library/nginx:1.27');
    expect(fix).toContain('docker.io/library/nginx@sha256:<digest>');
  });

  test('init and ephemeral containers are judged too', () => {
    const spec = { containers: [container()], initContainers: [container({ name: 'init', image: 'busybox:1.36' })], ephemeralContainers: [{ name: 'dbg', image: 'busybox:1.36' }] };
    expect(paths(ID, [pod(spec)])).toEqual(['spec.ephemeralContainers[0].image', 'spec.initContainers[0].image']);
  });

  test('missing and invalid images are reported here, with the parser error', () => {
    const result = run(ID, [pod({ containers: [{ name: 'a' }, { name: 'b', image: 'NGINX' }, { name: 'c', image: 42 }] })]);
    expect(result.findings.map((f) => [f.path, f.message])).toEqual([
      ['spec.containers[0].image', 'container "a" has no image'],
      ['spec.containers[1].image', expect.stringContaining('must be lower-case')],
      ['spec.containers[2].image', 'invalid image reference: expected a string, got number'],
    ]);
  });

  test('requireDigest: false accepts tags', () => {
    expect(paths(ID, [deployment({ containers: [container({ image: 'nginx:1.27' })] })], { settings: { imagePolicy: { requireDigest: false } } })).toEqual([]);
  });

  test('a waiver accepts a tag on that workload only', () => {
    const result = run(ID, [
      deployment({ containers: [container({ image: 'nginx:1.27' })], annotations: waive(ID) }),
      deployment({ name: 'other', containers: [container({ image: 'nginx:1.27' })] }),
    ]);
    expect(result.waived.map((f) => f.name)).toEqual(['web']);
    expect(result.findings.map((f) => f.name)).toEqual(['other']);
  });

  test('the constructs\' image form passes', () => {
    expect(paths(ID, [pod({ containers: [{ name: 'a', image: PINNED }] })])).toEqual([]);
  });
});
