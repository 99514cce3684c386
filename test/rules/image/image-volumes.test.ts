/** Image volumes (Kubernetes >= 1.31) are images: every image rule judges them like container images (issue 12). */
import { parseImagePolicy } from '../../../src/analysis/images/image-policy';
import { checkObjects } from '../../../src/engine/engine';
import { fromYaml } from '../../network/yaml';
import { DIGEST, PINNED } from '../../supply-chain/fixtures';

const manifest = (volumes: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: app, image: "${PINNED}" }]
      volumes: ${volumes}
`;
const findings = (text: string, rules: string[], settings = {}) => {
  const result = checkObjects(fromYaml(text), { rules, settings });
  expect(result.problems).toEqual([]);
  return result.findings.map((f) => `${f.ruleId} ${f.path}: ${f.message}`);
};
const IMAGE_RULES = ['image-digest', 'image-latest-tag', 'image-allowed-registry', 'image-pull-policy', 'image-pull-secrets'];

describe('image volumes', () => {
  test('a tagged image volume fails image-digest and image-pull-policy, an untagged one image-latest-tag', () => {
    const text = manifest('[{ name: tools, image: { reference: "quay.io/tools/debug:1.2" } }, { name: data, image: { reference: "ghcr.io/x/model", pullPolicy: IfNotPresent } }]');
    expect(findings(text, IMAGE_RULES)).toEqual([
      'image-digest spec.template.spec.volumes[0].image.reference: image "quay.io/tools/debug:1.2" of image volume "tools" is referenced by tag, not pinned by digest',
      'image-digest spec.template.spec.volumes[1].image.reference: image "ghcr.io/x/model" of image volume "data" is referenced by tag, not pinned by digest',
      'image-latest-tag spec.template.spec.volumes[1].image.reference: image "ghcr.io/x/model" of image volume "data" has neither tag nor digest, so it pulls "latest"',
      'image-pull-policy spec.template.spec.volumes[0].image.pullPolicy: image volume "tools" pulls tagged image "quay.io/tools/debug:1.2" with pullPolicy unset (Kubernetes uses IfNotPresent): a node keeps running its cached copy after the tag moves',
      'image-pull-policy spec.template.spec.volumes[1].image.pullPolicy: image volume "data" pulls tagged image "ghcr.io/x/model" with pullPolicy IfNotPresent: a node keeps running its cached copy after the tag moves',
    ]);
  });

  test('the image policy covers image volumes: registries, pull policies and pull secrets', () => {
    const imagePolicy = parseImagePolicy({
      allowedRegistries: ['registry.example.com'],
      allowedPullPolicies: ['Always'],
      requiredPullSecrets: [{ registry: 'registry.example.com', secretNames: ['corp-pull'] }],
    });
    const text = manifest(`[{ name: tools, image: { reference: "docker.io/library/busybox@${DIGEST}", pullPolicy: Always } }, { name: ok, image: { reference: "${PINNED}", pullPolicy: IfNotPresent } }]`);
    const result = findings(text, ['image-allowed-registry', 'image-pull-policy', 'image-pull-secrets'], { imagePolicy });
    expect(result.filter((f) => f.includes('image volume'))).toEqual([
      expect.stringMatching(/^image-allowed-registry spec\.template\.spec\.volumes\[0\]\.image\.reference: image "docker\.io\/library\/busybox@sha256:[a-f0-9]+" of image volume "tools" comes from docker\.io/),
      'image-pull-policy spec.template.spec.volumes[1].image.pullPolicy: image volume "ok" has pullPolicy IfNotPresent; the image policy allows Always',
      'image-pull-secrets spec.template.spec.imagePullSecrets: image volume "ok" pulls from registry.example.com, which requires one of the pull secrets corp-pull; the pod and its ServiceAccount "default" reference none',
    ]);
  });

  test('a digest-pinned image volume passes every image rule; a volume without a reference is reported', () => {
    expect(findings(manifest(`[{ name: tools, image: { reference: "${PINNED}", pullPolicy: IfNotPresent } }, { name: tmp, emptyDir: {} }]`), IMAGE_RULES)).toEqual([]);
    expect(findings(manifest('[{ name: tools, image: { pullPolicy: Always } }]'), ['image-digest'])).toEqual([
      'image-digest spec.template.spec.volumes[0].image.reference: image volume "tools" has no image reference',
    ]);
  });
});
