import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { cli, tempDir, write } from './helpers';
import { EnforceOptions, Hardening, HardenedValidation } from '../../src';
import { K8sObject } from '../../src/core/types';
import { parseConfig } from '../../src/engine/config';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import { synthError } from '../util/synth';

/** `kubectl get deploy -A -o yaml` style input (a List of live Deployments), written for the suite. */
const KUBECTL_GET = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'adopt', 'fix-kubectl-get-deploy.yaml'), 'utf8');

const objects = (text: string) => (yaml.loadAll(text) as K8sObject[]).map((object) => ({ object }));
const listItems = (text: string) => ((yaml.load(text) as { items: K8sObject[] }).items).map((object) => ({ object }));
const dir = tempDir();

const APP = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewer, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: web, namespace: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: false
`;

describe('rule flags', () => {
  test('the set rules that judge absence and the namespace-level rules carry their flags', () => {
    const absence = ALL_RULES.filter((r) => r.judgesAbsence).map((r) => r.id).sort();
    expect(absence).toEqual([
      'net-ingress-backend-missing',
      'net-policy-selects-nothing',
      'net-workload-not-selected',
      'ns-default-deny-egress',
      'ns-default-deny-ingress',
      'ns-limit-range',
      'ns-resource-quota',
      'ns-signature-verification',
      'rbac-dangling-binding',
      'workload-pdb-missing',
    ]);
    // Only set rules can see that something is missing from the set.
    for (const rule of ALL_RULES.filter((r) => r.judgesAbsence)) expect([rule.id, rule.scope]).toEqual([rule.id, 'set']);
    expect(ALL_RULES.filter((r) => r.namespaceLevel).map((r) => r.id).sort()).toEqual([
      'net-workload-not-selected',
      'ns-default-deny-egress',
      'ns-default-deny-ingress',
      'ns-limit-range',
      'ns-pod-security-labels',
      'ns-resource-quota',
      'ns-signature-verification',
    ]);
  });
});

describe('--partial', () => {
  test('a binding to a role outside the input is a warning that says "in the scanned input", never a finding', () => {
    const full = checkObjects(objects(APP), { rules: ['rbac-dangling-binding'] });
    expect(full.findings.map((f) => f.message)).toEqual(['RoleBinding "reader" references Role "pod-reader", which is not in the scanned input']);
    expect(full.warnings).toBeUndefined();
    const partial = checkObjects(objects(APP), { rules: ['rbac-dangling-binding'], partial: true });
    expect(partial.findings).toEqual([]);
    expect(partial.warnings?.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`)).toEqual(['rbac-dangling-binding RoleBinding/reader roleRef']);
  });

  test('built-in ClusterRoles are known to exist: a binding to view is not dangling', () => {
    const result = checkObjects(objects(APP), { rules: ['rbac-dangling-binding'] });
    expect(result.findings.some((f) => f.name === 'viewer')).toBe(false);
  });

  test('rules that do not judge absence still report findings under --partial', () => {
    const privileged = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - {name: c, image: x, securityContext: {privileged: true}}\n';
    const result = checkObjects(objects(privileged), { rules: ['pod-privileged', 'ns-resource-quota'], partial: true });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['pod-privileged']);
    expect(result.warnings?.map((f) => f.ruleId)).toEqual(['ns-resource-quota']);
  });

  test('the CLI flag: exit 0, the warnings in text, JSON and on stderr', async () => {
    const file = write(dir, 'app.yaml', APP);
    const strict = await cli(['check', file, '--rule', 'rbac-dangling-binding']);
    expect(strict.code).toBe(1);
    const text = await cli(['check', file, '--rule', 'rbac-dangling-binding', '--partial']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Warnings (1): missing from the scanned input, which is partial (they may exist elsewhere)');
    expect(text.stdout).toContain(`  rbac-dangling-binding on RoleBinding shop/reader at ${file}:1: RoleBinding "reader" references Role "pod-reader", which is not in the scanned input`);
    const json = await cli(['check', file, '--rule', 'rbac-dangling-binding', '--partial', '--format', 'json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.findings).toEqual([]);
    expect(parsed.warnings.map((w: { ruleId: string; name: string }) => `${w.ruleId} ${w.name}`)).toEqual(['rbac-dangling-binding reader']);
    expect(json.stderr).toContain('warning: rbac-dangling-binding on RoleBinding shop/reader at roleRef: RoleBinding "reader" references Role "pod-reader", which is not in the scanned input');
    const sarif = JSON.parse((await cli(['check', file, '--rule', 'rbac-dangling-binding', '--partial', '--format', 'sarif'])).stdout);
    expect(sarif.runs[0].results).toEqual([]);
    const warnings = sarif.runs[0].invocations[0].toolExecutionNotifications.filter((n: { level: string }) => n.level === 'warning');
    expect(warnings).toHaveLength(1);
  });

  test('the config key does the same, and a wrong type is an error naming the key', async () => {
    const file = write(dir, 'app2.yaml', APP);
    const config = write(dir, 'hardened.yaml', 'partial: true\n');
    expect((await cli(['check', file, '--rule', 'rbac-dangling-binding', '--config', config])).code).toBe(0);
    expect(() => parseConfig({ partial: 'yes' }, 'h.yaml')).toThrow('h.yaml: partial: must be true or false');
  });
});

describe('--external-namespaces', () => {
  test('kubectl get deploy -A -o yaml through stdin: without the flag, namespace noise; with *, only what is true', async () => {
    const noisy = await cli(['check', '-'], { stdin: KUBECTL_GET });
    expect(noisy.code).toBe(1);
    expect(noisy.stdout).toContain('ns-default-deny-ingress');
    const quiet = await cli(['check', '-', '--external-namespaces', '*'], { stdin: KUBECTL_GET });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).not.toMatch(/^ {4}(CRITICAL|HIGH|MEDIUM|LOW) /m);
    expect(quiet.stdout).toContain(
      'Namespaces managed elsewhere (external namespaces) were not judged by the namespace-level rules: "payments", "shop" (net-workload-not-selected, ns-default-deny-egress, ns-default-deny-ingress, ns-limit-range, ns-resource-quota)',
    );
    // Both Deployments are hardened, so only the scan gate's note is left besides the external namespaces.
    expect(quiet.code).toBe(0);
  });

  test('named namespaces leave the others judged', () => {
    const result = checkObjects(listItems(KUBECTL_GET), { rules: ['ns-resource-quota'], externalNamespaces: ['shop'] });
    expect(result.findings.map((f) => f.namespace)).toEqual(['payments']);
    expect(result.notes).toEqual(['Namespaces managed elsewhere (external namespaces) were not judged by the namespace-level rules: "shop" (ns-resource-quota)']);
  });

  test('a declared Namespace that is external is not judged for its admission labels', () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: argocd}\n';
    expect(checkObjects(objects(ns), { rules: ['ns-pod-security-labels'] }).findings).not.toEqual([]);
    expect(checkObjects(objects(ns), { rules: ['ns-pod-security-labels'], externalNamespaces: ['argocd'] }).findings).toEqual([]);
  });

  test('bad names are usage errors (exit 2), in the flag and the config', async () => {
    const file = write(dir, 'app.yaml', APP);
    const bad = await cli(['check', file, '--external-namespaces', 'Shop']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--external-namespaces: "Shop" is not a namespace name');
    expect((await cli(['check', file, '--external-namespaces', '*,shop'])).stderr).toContain('* already means every namespace: give it alone');
    expect(() => parseConfig({ externalNamespaces: [] }, 'h.yaml')).toThrow('h.yaml: externalNamespaces: names no namespace');
    expect(() => parseConfig({ externalNamespaces: 'shop' }, 'h.yaml')).toThrow('h.yaml: externalNamespaces: must be a list');
    expect(parseConfig({ externalNamespaces: ['shop'] }, 'h.yaml').externalNamespaces).toEqual(['shop']);
  });
});

describe('the same keys in the plugin and Hardening.enforce', () => {
  test('plugin properties externalNamespaces and partial', async () => {
    const file = write(dir, 'plugin.k8s.yaml', APP);
    const logs: string[] = [];
    let status: string | undefined;
    const violations: unknown[] = [];
    const context = {
      manifests: [file],
      report: { addViolation: (v: unknown) => violations.push(v), submit: (s: string) => (status = s) },
      logger: { log: (m: string) => logs.push(m) },
    };
    await new HardenedValidation({ rules: ['rbac-dangling-binding'], partial: true }).validate(context);
    expect([status, violations]).toEqual(['success', []]);
    expect(logs).toContain('warning: rbac-dangling-binding on RoleBinding shop/reader at roleRef: RoleBinding "reader" references Role "pod-reader", which is not in the scanned input');
    await new HardenedValidation({ rules: ['rbac-dangling-binding'] }).validate(context);
    expect(status).toBe('failure');
    expect(() => new HardenedValidation({ externalNamespaces: ['Bad'] })).toThrow('externalNamespaces: "Bad" is not a namespace name');
  });

  test('Hardening.enforce: partial keeps a binding to a role managed elsewhere from failing synth', () => {
    const build = (options: EnforceOptions) => {
      const app = new App({ outdir: '/tmp/cdk8s-hardened-test' });
      const chart = new Chart(app, 'c');
      Hardening.enforce(chart, { skip: ALL_RULES.map((r) => r.id).filter((id) => id !== 'rbac-dangling-binding' && id !== 'ns-pod-security-labels'), ...options });
      for (const [i, object] of (yaml.loadAll(`${APP}---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n`) as K8sObject[]).entries()) new ApiObject(chart, `o${i}`, object as any);
      return app;
    };
    expect(synthError(() => build({}).synthYaml())).toContain('rbac-dangling-binding');
    const partial = synthError(() => build({ partial: true }).synthYaml());
    expect(partial).toMatch(/ns-pod-security-labels\s+high/);
    expect(partial).not.toMatch(/rbac-dangling-binding\s+medium/);
    expect(partial).toContain('warning (partial, not failing): rbac-dangling-binding on RoleBinding/shop/reader');
    expect(() => build({ partial: true, externalNamespaces: ['shop'] }).synthYaml()).not.toThrow();
    const message = synthError(() => build({ externalNamespaces: ['shop'] }).synthYaml());
    expect(message).toContain('rbac-dangling-binding');
    expect(message).not.toMatch(/ns-pod-security-labels\s+high/);
    expect(message).toContain('note: Namespaces managed elsewhere (external namespaces) were not judged by the namespace-level rules: "shop" (ns-pod-security-labels)');
    expect(() => build({ externalNamespaces: ['*', 'shop'] }).synthYaml()).toThrow('Hardening.enforce: externalNamespaces: * already means every namespace');
  });
});
