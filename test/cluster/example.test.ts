import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, ServiceAccount } from 'kubernetes-models/v1';
import { configSchemaErrors } from './validate-config';
import { checkObjects } from '../../src/engine/engine';
import { prometheusRuleValidator } from '../monitoring/prometheus-rule-schema';

/** Runs examples/cluster-config/main.ts the way scripts/run-examples.ts does, into a temporary directory. */
function runExample(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-config-'));
  const root = path.join(__dirname, '..', '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'examples', 'cluster-config', 'main.ts')], {
    env: { ...process.env, CDK8S_OUTDIR: outdir },
    stdio: 'pipe',
  });
  return outdir;
}

test('the cluster-config example synthesizes every file, deterministically, and the catalog finds nothing', () => {
  const first = runExample();
  const second = runExample();
  const files = fs.readdirSync(first).sort();
  expect(files).toEqual([
    'audit-policy.k8s.yaml',
    'audit-webhook.k8s.yaml',
    'audited-identities.k8s.yaml',
    'authentication-config.k8s.yaml',
    'encryption-config.k8s.yaml',
    'falco-rules.k8s.yaml',
    'kubeadm-config.k8s.yaml',
    'security-alerts.k8s.yaml',
  ]);
  const objects: any[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(first, f), 'utf8');
    expect(fs.readFileSync(path.join(second, f), 'utf8')).toBe(text);
    objects.push(...yaml.loadAll(text));
  }
  expect(objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
    'audit.k8s.io/v1 Policy',
    'v1 Config',
    'v1 ServiceAccount',
    'rbac.authorization.k8s.io/v1 Role',
    'rbac.authorization.k8s.io/v1 RoleBinding',
    'apiserver.config.k8s.io/v1beta1 AuthenticationConfiguration',
    'apiserver.config.k8s.io/v1 EncryptionConfiguration',
    'v1 ConfigMap',
    'kubeadm.k8s.io/v1beta4 ClusterConfiguration',
    'kubelet.config.k8s.io/v1beta1 KubeletConfiguration',
    'monitoring.coreos.com/v1 PrometheusRule',
  ]);
  // every object validates against the schema of its kind
  const validatePrometheusRule = prometheusRuleValidator();
  for (const o of objects) {
    const models: Record<string, any> = { ConfigMap, ServiceAccount, Role, RoleBinding };
    if (models[o.kind]) expect(() => new models[o.kind](o).validate()).not.toThrow();
    else if (o.kind === 'PrometheusRule') expect(validatePrometheusRule(o) ? [] : validatePrometheusRule.errors).toEqual([]);
    else expect(configSchemaErrors(o)).toEqual([]);
  }
  // no key material: the only secret in the output is the install-time placeholder
  const encryption = fs.readFileSync(path.join(first, 'encryption-config.k8s.yaml'), 'utf8');
  expect(encryption).toContain('secret: ${ENCRYPTION_KEY_2025}');
  const result = checkObjects(objects.map((object) => ({ object })));
  expect(result.problems).toEqual([]);
  expect(result.findings).toEqual([]);
}, 60_000);
