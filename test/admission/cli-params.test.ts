/** The CLI reads the same waiver policy as the cluster (`waivable:` in --config): `check` honours it, `admission` writes it. */
import * as yaml from 'js-yaml';
import { evaluatePolicy } from './cel-harness';
import { HardenedValidation } from '../../src';
import type { K8sObject } from '../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { cli, tempDir, write } from '../cli/helpers';

const dir = tempDir();
const pod = (namespace: string) => `apiVersion: v1
kind: Pod
metadata:
  name: legacy
  namespace: ${namespace}
  annotations:
    ${WAIVERS_ANNOTATION}: '${JSON.stringify([{ ruleId: 'pod-read-only-root-filesystem', reason: 'legacy app writes its pid file' }])}'
spec:
  containers:
    - name: app
      image: registry.example.com/app:1
      securityContext:
        readOnlyRootFilesystem: false
`;
const config = write(dir, 'hardened.yaml', 'waivable:\n  namespaces:\n    shop: [pod-read-only-root-filesystem]\nimagePolicy:\n  allowedRegistries: [registry.example.com]\n');
const args = ['--rule', 'pod-read-only-root-filesystem', '--config', config];

describe('CLI waivable config', () => {
  test('check honours a waiver only where the policy permits it, like the cluster', async () => {
    const shop = await cli(['check', ...args, write(dir, 'shop.yaml', pod('shop'))]);
    expect([shop.code, shop.stdout]).toEqual([0, expect.stringContaining('Waived (1)')]);
    const other = await cli(['check', ...args, write(dir, 'other.yaml', pod('other'))]);
    expect(other.code).toBe(1);
    // And the policies it prints, with their params, give the same two verdicts.
    const docs = yaml.loadAll((await cli(['admission', ...args])).stdout) as K8sObject[];
    const [params, policy] = docs;
    expect(params.data).toEqual({ 'image.allowed-registries': 'registry.example.com', 'waivable.namespace.shop': 'pod-read-only-root-filesystem', 'waivers.synth-date': '2026-12-01' });
    expect(evaluatePolicy(policy, yaml.load(pod('shop')) as K8sObject, { params }).failures).toEqual([]);
    expect(evaluatePolicy(policy, yaml.load(pod('other')) as K8sObject, { params }).failures).toHaveLength(1);
  });

  test('a bad waiver policy is a usage error naming the key', async () => {
    const bad = write(dir, 'bad.yaml', 'waivable:\n  allNamespaces: [pod-privileged]\n');
    const run = await cli(['check', '--config', bad, write(dir, 'p.yaml', pod('shop'))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('waivable: waiver policy allNamespaces names host-access rule pod-privileged');
    const typo = await cli(['check', '--config', write(dir, 'typo.yaml', 'waivable:\n  everywhere: ["*"]\n'), write(dir, 'q.yaml', pod('shop'))]);
    expect(typo.stderr).toContain('waivable.everywhere: unknown key');
  });
});

describe('plugin waivable property', () => {
  test('the cdk8s plugin honours the same waiver policy as the cluster', async () => {
    const run = async (namespace: string) => {
      const file = write(dir, `plugin-${namespace}.k8s.yaml`, pod(namespace));
      let status: string | undefined;
      const submit = (s: string) => {
        status = s;
      };
      const context = { manifests: [file], report: { addViolation: () => undefined, submit }, logger: { log: () => undefined } };
      await new HardenedValidation({ rules: ['pod-read-only-root-filesystem'], waivable: { namespaces: { shop: ['pod-read-only-root-filesystem'] } } }).validate(context);
      return status;
    };
    expect(await run('shop')).toBe('success');
    expect(await run('other')).toBe('failure');
  });
});

describe('CLI admission --today', () => {
  test('writes the synth date the cluster judges expiry against; a bad date is a usage error', async () => {
    const [params] = yaml.loadAll((await cli(['admission', '--rule', 'pod-privileged', '--today', '2027-04-01'])).stdout) as K8sObject[];
    expect(params.data).toEqual({ 'waivers.synth-date': '2027-04-01' });
    const bad = await cli(['admission', '--rule', 'pod-privileged', '--today', '2027-04-31']);
    expect([bad.code, bad.stderr]).toEqual([2, 'error: --today: "2027-04-31" is not a date YYYY-MM-DD\n']);
  });
});
