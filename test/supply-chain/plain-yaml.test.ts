import * as yaml from 'js-yaml';
import { parseImagePolicy } from '../../src/analysis/images/image-policy';
import type { K8sObject } from '../../src/core/types';
import { checkObjects } from '../../src/engine/engine';

// What the CLI does: read the config file's `imagePolicy:` key, validate it, check multi-document YAML.
const CONFIG = `
imagePolicy:
  allowedRegistries: [registry.example.com]
  allowedRepositories: ["docker.io/library/*"]
  allowedPullPolicies: [Always, IfNotPresent]
`;

const MANIFESTS = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: registry.example.com/shop/api@sha256:${'c'.repeat(64)}
        - name: sidecar
          image: ghcr.io/vendor/agent:2.1
          imagePullPolicy: Never
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: backup, namespace: shop }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: backup
              image: postgres:16
`;

test('a config file policy applied to multi-document YAML', () => {
  const config = yaml.load(CONFIG) as { imagePolicy: unknown };
  const imagePolicy = parseImagePolicy(config.imagePolicy, 'hardened.yaml: imagePolicy');
  const objects = yaml.loadAll(MANIFESTS) as K8sObject[];
  const result = checkObjects(objects.map((object) => ({ object })), { rules: ['image-digest', 'image-latest-tag', 'image-allowed-registry', 'image-pull-policy'], settings: { imagePolicy } });
  expect(result.problems).toEqual([]);
  expect(result.findings.map((f) => `${f.kind}/${f.name} ${f.ruleId} ${f.path}`)).toEqual([
    'CronJob/backup image-digest spec.jobTemplate.spec.template.spec.containers[0].image',
    'Deployment/api image-allowed-registry spec.template.spec.containers[1].image',
    'Deployment/api image-digest spec.template.spec.containers[1].image',
    'Deployment/api image-pull-policy spec.template.spec.containers[1].imagePullPolicy',
  ]);
  // postgres:16 is on the allow-list (docker.io/library/*) and pulls IfNotPresent, which the policy allows.
  expect(result.findings.find((f) => f.ruleId === 'image-pull-policy')?.message).toBe(
    'container "sidecar" has imagePullPolicy Never; the image policy allows Always, IfNotPresent',
  );
});

test('a bad config file key names the file and the key', () => {
  const config = yaml.load('imagePolicy:\n  allowedRegistries: registry.example.com\n') as { imagePolicy: unknown };
  expect(() => parseImagePolicy(config.imagePolicy, 'hardened.yaml: imagePolicy')).toThrow(
    'hardened.yaml: imagePolicy.allowedRegistries: must be a list of strings',
  );
});
