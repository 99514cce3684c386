/**
 * One policy, four judges: the same policy file and the same manifests through `Hardening.enforce({ policy })`,
 * the CLI (`check --policy`), the cdk8s validation plugin (`policyFile`) and `AdmissionPolicies({ policy })`
 * (verdicts from the CEL harness) give the same findings, object by object and rule by rule.
 */
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as yaml from 'js-yaml';
import { AdmissionPolicies, Hardening, HardeningPolicy } from '../../src';
import type { K8sObject } from '../../src/core/types';
import { HardenedValidation } from '../../src/plugin/validation';
import { admissionVerdicts } from '../admission/admit';
import { cli, tempDir, write } from '../cli/helpers';

const dir = tempDir();

const POLICY = `# yaml-language-server: $schema=../../schema/cdk8s-hardened-policy.schema.json
rules: [pod-privileged, pod-allow-privilege-escalation, pod-run-as-user]
lockedRules: [pod-privileged]
exemptions:
  - ruleId: pod-run-as-user
    reason: legacy images run as root until the rebuild
    namespace: shop
    name: legacy-*
  - ruleId: pod-privileged
    reason: locked, so this exemption holds nowhere
    namespace: shop
    name: legacy-*
grants:
  - name: team-b
    namespace: team-b
    level: baseline
    reason: team B migrates to restricted by 2027-03-01
`;

const pod = (namespace: string, name: string, securityContext: Record<string, unknown>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/app@sha256:' + 'a'.repeat(64), securityContext }] },
});
const ROOT = { runAsUser: 0, allowPrivilegeEscalation: true };
// The API server refuses allowPrivilegeEscalation: false beside privileged: true, so a privileged container says true.
const PRIVILEGED = { privileged: true, runAsUser: 1000, runAsNonRoot: true, allowPrivilegeEscalation: true };
const MANIFESTS: K8sObject[] = [
  pod('team-a', 'web', ROOT),
  pod('team-b', 'web', ROOT),
  pod('team-b', 'agent', PRIVILEGED),
  pod('shop', 'legacy-1', { runAsUser: 0, allowPrivilegeEscalation: false }),
  pod('shop', 'legacy-2', PRIVILEGED),
  pod('shop', 'other', { runAsUser: 0, allowPrivilegeEscalation: false }),
];

/** What every judge must report: `<rule> <namespace>/<name>`, sorted. */
const EXPECTED = [
  'pod-allow-privilege-escalation shop/legacy-2',
  'pod-allow-privilege-escalation team-a/web',
  'pod-privileged shop/legacy-2',
  'pod-privileged team-b/agent',
  'pod-run-as-user shop/other',
  'pod-run-as-user team-a/web',
];

const policyFile = write(dir, '.cdk8s-hardened.yaml', POLICY);
const manifestFile = write(dir, 'app.yaml', MANIFESTS.map((m) => yaml.dump(m)).join('---\n'));

describe('one policy, four judges', () => {
  test('the CLI', async () => {
    // Found up the tree from the manifest: no --policy needed.
    const run = await cli(['check', manifestFile, '--format', 'json']);
    const found = JSON.parse(run.stdout).findings.map((f: any) => `${f.ruleId} ${f.namespace}/${f.name}`).sort();
    expect(found).toEqual(EXPECTED);
    // The grant is a relaxation: the CLI says so.
    expect(run.stderr).toContain('note: policy grant team-b: namespace team-b is judged at baseline (team B migrates to restricted by 2027-03-01)');
  });

  test('the validation plugin', async () => {
    const violations: any[] = [];
    const context = {
      manifests: [manifestFile],
      report: { addViolation: (v: any) => violations.push(v), submit: () => undefined },
      logger: { log: () => undefined },
    };
    // The plugin names resources without their namespace.
    const expected = EXPECTED.map((e) => e.replace(/ [a-z-]+\//, ' ')).sort();
    await new HardenedValidation({ policyFile }).validate(context);
    const found = violations.flatMap((v) => v.violatingResources.map((r: any) => `${v.ruleName.split(' ')[0]} ${r.resourceName}`));
    expect(found.sort()).toEqual(expected);
    // Without policyFile, the policy above the synthesized manifests is found.
    violations.length = 0;
    await new HardenedValidation().validate(context);
    expect(violations.flatMap((v) => v.violatingResources.map((r: any) => `${v.ruleName.split(' ')[0]} ${r.resourceName}`)).sort()).toEqual(expected);
  });

  test('Hardening.enforce', () => {
    const app = new App({ outdir: path.join(dir, 'dist') });
    const chart = new Chart(app, 'Org');
    MANIFESTS.forEach((m, i) => new ApiObject(chart, `M${i}`, m as any));
    Hardening.enforce(chart, { policy: HardeningPolicy.fromFile(policyFile) });
    const errors = chart.node.validate().join('\n');
    const waivedAt = errors.indexOf('Waived (reported, not failing):');
    expect(waivedAt).toBeGreaterThan(0);
    const rows = (text: string) => [...text.matchAll(/^ {2}(pod-[a-z-]+) +\w+ +Pod\/([a-z-]+\/[a-z0-9-]+) /gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(rows(errors.slice(0, waivedAt))).toEqual(EXPECTED);
    // The exemption and the grant waive, with their reasons; the locked rule is waived nowhere.
    expect(rows(errors.slice(waivedAt))).toEqual(['pod-allow-privilege-escalation team-b/agent', 'pod-allow-privilege-escalation team-b/web', 'pod-run-as-user shop/legacy-1', 'pod-run-as-user team-b/web']);
    expect(errors).toContain('waived: policy grant team-b: team B migrates to restricted by 2027-03-01');
    // The grant is written on the objects it covers (synth would fail on the findings: read the objects).
    const objects = chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)).map((o) => o.toJson());
    const granted = objects.filter((o: any) => o.metadata.annotations?.['hardened.cdk8s.io/policy-grant']);
    expect(granted.map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['team-b/web', 'team-b/agent']);
    expect(JSON.parse(granted[0].metadata.annotations['hardened.cdk8s.io/policy-grant'])).toEqual([
      { name: 'team-b', level: 'baseline', reason: 'team B migrates to restricted by 2027-03-01' },
    ]);
  });

  test('AdmissionPolicies (the CEL harness)', () => {
    const app = new App({ outdir: path.join(dir, 'dist') });
    const chart = new Chart(app, 'Admission');
    new AdmissionPolicies(chart, 'Policies', { policy: HardeningPolicy.fromFile(policyFile) });
    const run = admissionVerdicts([...(chart.toJson() as K8sObject[]), ...MANIFESTS]);
    const denied = [...new Set(run.denials.map((d) => {
      const m = /^([a-z-]+)\.hardened\.cdk8s\.io on Pod ([a-z-]+\/[a-z0-9-]+):/.exec(d)!;
      return `${m[1]} ${m[2]}`;
    }))].sort();
    expect(denied).toEqual(EXPECTED);
  });
});
