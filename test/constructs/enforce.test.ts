import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NAMESPACE, newChart, webContainer } from './helpers';
import { AuditedServiceAccount, Hardening, HardenedDaemonSet, HardenedDeployment, LockedNamespace, PodSecurityLevel, Severity } from '../../src';
import { ALL_RULES } from '../../src/rules';
import { synthError } from '../util/synth';

const privilegedPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'raw' },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/team/app@sha256:' + 'c'.repeat(64), securityContext: { privileged: true, allowPrivilegeEscalation: true } }] },
};

/**
 * Cross-object rules of the namespace and network areas judge the namespace's own objects (Namespace,
 * NetworkPolicies, quotas: LockedNamespace's job, not this area's); the "clean" scopes below skip them.
 */
const SET_RULES = ALL_RULES.filter((r) => r.scope === 'set').map((r) => r.id);

describe('Hardening.enforce', () => {
  test('judges plain cdk8s-plus, raw ApiObjects and Included YAML, failing with a table naming rule, object, path and fix', () => {
    const { app, chart } = newChart();
    Hardening.enforce(chart);
    new kplus.Deployment(chart, 'plain', { containers: [{ image: 'registry.example.com/team/app@sha256:' + 'd'.repeat(64), securityContext: { privileged: true, allowPrivilegeEscalation: true } }] });
    new ApiObject(chart, 'raw', privilegedPod);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enforce-'));
    const file = path.join(dir, 'included.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: included\nspec:\n  containers:\n    - name: app\n      image: x\n      securityContext:\n        privileged: true\n');
    new Include(chart, 'inc', { url: file });

    const message = synthError(() => app.synthYaml());
    // At least the three privileged containers (the full catalog finds more in these unhardened objects).
    expect(message).toMatch(/\[test\] cdk8s-hardened: \d+ findings/);
    expect(message).toMatch(/RULE\s+SEVERITY\s+OBJECT\s+PATH/);
    expect(message).toMatch(/pod-privileged\s+critical\s+Deployment\/shop\/test-plain-\w+ \(test\/plain\/Resource\)\s+spec\.template\.spec\.containers\[0\]\.securityContext\.privileged/);
    expect(message).toMatch(/pod-privileged\s+critical\s+Pod\/shop\/raw \(test\/raw\)\s+spec\.containers\[0\]\.securityContext\.privileged/);
    expect(message).toMatch(/Pod\/shop\/included \(test\/inc\/.*\)/);
    expect(message).toContain('Fix: Remove securityContext.privileged');
  });

  test('passes a clean scope and lists waived findings when it fails for another reason', () => {
    const { app, chart } = newChart();
    Hardening.enforce(chart, { skip: SET_RULES });
    new HardenedDeployment(chart, 'web', { containers: [webContainer()] });
    expect(() => app.synthYaml()).not.toThrow();

    new ApiObject(chart, 'waived', {
      ...privilegedPod,
      metadata: { name: 'waived', annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: 'pod-privileged', reason: 'legacy agent, removal tracked' }]) } },
    });
    new ApiObject(chart, 'raw', privilegedPod);
    const message = synthError(() => app.synthYaml());
    expect(message).toMatch(/\d+ findings?, 1 waived/);
    expect(message).toMatch(/pod-privileged\s+critical\s+Pod\/shop\/raw \(test\/raw\)/);
    expect(message).toContain('Waived (reported, not failing):');
    expect(message).toContain('waived: legacy agent, removal tracked');
  });

  test('minSeverity, skip and lockedRules apply to the scope and to the hardened workloads below it', () => {
    const build = (options: Parameters<typeof Hardening.enforce>[1]) => {
      const { app, chart } = newChart();
      Hardening.enforce(chart, options);
      new HardenedDeployment(chart, 'web', { containers: [{ ...webContainer(), securityContext: { privileged: true, allowPrivilegeEscalation: true } }] });
      return app;
    };
    // The workload's own check follows the org's options: a skipped rule does not fail it either.
    expect(() => build({ skip: [...SET_RULES, 'pod-privileged', 'pod-allow-privilege-escalation'] }).synthYaml()).not.toThrow();
    expect(() => build({ minSeverity: Severity.CRITICAL, skip: SET_RULES }).synthYaml()).toThrow(/pod-privileged/);
    expect(() => build({ skip: ['no-such-rule'] })).toThrow(/unknown rule id "no-such-rule"/);
  });

  test('a locked rule ignores waivers, in the scope and in the hardened DaemonSet', () => {
    const { app, chart } = newChart();
    Hardening.enforce(chart, { lockedRules: ['pod-privileged'] });
    new HardenedDaemonSet(chart, 'agent', {
      containers: [{ ...webContainer('agent', 9100), securityContext: { privileged: true, allowPrivilegeEscalation: true } }],
      waivers: [{ ruleId: 'pod-privileged', reason: 'node agent reads raw block devices' }],
    });
    const message = synthError(() => app.synthYaml());
    // The DaemonSet refuses to serialize; enforce reports its message (and has nothing else to report).
    expect(message).toContain('[test/agent] HardenedDaemonSet violates pod-privileged');
    expect(message).not.toContain('cdk8s-hardened:');
  });

  test('enforced on the App, it judges every chart and the workloads of every chart use its options', () => {
    const app = new App({ outdir: '/tmp/cdk8s-hardened-test' });
    const options = { skip: [...SET_RULES, 'pod-privileged', 'pod-allow-privilege-escalation'] };
    Hardening.enforce(app, options);
    const web = new Chart(app, 'web', { namespace: NAMESPACE, labels: { 'hardened.cdk8s.io/owner': 'team-shop' } });
    const jobs = new Chart(app, 'jobs', { namespace: NAMESPACE, labels: { 'hardened.cdk8s.io/owner': 'team-shop' } });
    new HardenedDeployment(web, 'api', { containers: [{ ...webContainer(), securityContext: { privileged: true, allowPrivilegeEscalation: true } }] });
    new HardenedDeployment(jobs, 'worker', { containers: [{ ...webContainer('worker'), securityContext: { privileged: true, allowPrivilegeEscalation: true } }] });
    const objects = app.synthYaml();
    expect(objects.match(/privileged: true/g)).toHaveLength(2);
    expect(Hardening.optionsFor(web)).toBe(options);
  });

  test('enforce twice on one scope is an error; Testing.synth validates like app.synth', () => {
    const { chart } = newChart();
    Hardening.enforce(chart);
    expect(() => Hardening.enforce(chart)).toThrow(/already called/);
    new ApiObject(chart, 'raw', privilegedPod);
    expect(() => Testing.synth(chart)).toThrow(/pod-privileged/);
  });
});

describe('Hardening.enforce with an image policy', () => {
  test('an untrusted registry fails the hardened workload at synth, naming the rule; a trusted one passes', () => {
    const { app, chart } = newChart();
    Hardening.enforce(app, { skip: SET_RULES, imagePolicy: { allowedRegistries: ['registry.internal'] } });
    new HardenedDeployment(chart, 'web', { containers: [webContainer()] }); // registry.example.com
    expect(synthError(() => app.synthYaml())).toMatch(/violates image-allowed-registry .*registry\.example\.com/);

    const trusted = newChart('trusted');
    Hardening.enforce(trusted.app, { skip: SET_RULES, imagePolicy: { allowedRegistries: ['registry.example.com'] } });
    new HardenedDeployment(trusted.chart, 'web', { containers: [webContainer()] });
    expect(() => trusted.app.synthYaml()).not.toThrow();
  });

  test('a malformed image policy fails at enforce(), naming the scope and the key', () => {
    const { app } = newChart();
    expect(() => Hardening.enforce(app, { imagePolicy: { allowedPullPolicies: ['always'] } }))
      .toThrow(/^the app: Hardening\.enforce: .*imagePolicy\.allowedPullPolicies\[0\]/);
  });
});

describe('one PodSecurityLevel for namespaces, enforcement and admission', () => {
  test('PRIVILEGED is a namespace label level, never a level to judge at', () => {
    const { app } = newChart();
    expect(() => Hardening.enforce(app, { level: PodSecurityLevel.PRIVILEGED }))
      .toThrow(/^the app: Hardening\.enforce: EnforceOptions\.level: level privileged cannot be judged; use PodSecurityLevel\.BASELINE or RESTRICTED/);
    const { chart } = newChart('agents');
    const agents = new LockedNamespace(chart, 'agents', {
      name: 'node-agents',
      owner: 'team-platform',
      podSecurityLevel: PodSecurityLevel.PRIVILEGED,
      waivers: [{ ruleId: 'ns-pod-security-labels', reason: 'node agents need host access' }],
    });
    const namespace = agents.toJson().find((o: any) => o.kind === 'Namespace');
    expect(namespace.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });
});

describe('review findings: weakening stays loud', () => {
  test("an enforce scope's minSeverity never lets a workload weaken a control without a waiver", () => {
    const { app, chart } = newChart();
    Hardening.enforce(app, { minSeverity: Severity.HIGH, skip: SET_RULES });
    new HardenedDeployment(chart, 'web', { containers: [{ ...webContainer(), securityContext: { readOnlyRootFilesystem: false } }] });
    expect(synthError(() => app.synthYaml())).toMatch(/violates pod-read-only-root-filesystem \(medium\)/);
  });

  test('injected volumes and mounts never collide silently; explicit drop lists and nodeSelectors are kept or refused', () => {
    const { chart } = newChart();
    new HardenedDeployment(chart, 'web', { containers: [{ ...webContainer(), securityContext: { capabilities: { drop: [kplus.Capability.NET_RAW] } } }] });
    const objects = Testing.synth(chart);
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL', 'NET_RAW'] });

    const { chart: c2 } = newChart('c2');
    const sa = new AuditedServiceAccount(c2, 'sa', { owner: 'team-shop', purpose: 'reads settings', apiAccess: { reason: 'watches its ConfigMap' } });
    const api = new HardenedDeployment(c2, 'api', { containers: [webContainer('api')], serviceAccount: sa });
    api.addVolume(kplus.Volume.fromEmptyDir(c2, 'v', 'api-token'));
    expect(() => Testing.synth(c2)).toThrow(/a volume is already named "api-token", the name of the projected API token/);
  });
});
