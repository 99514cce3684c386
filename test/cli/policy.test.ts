import * as fs from 'fs';
import * as path from 'path';
import { cli, PINNED, PRIVILEGED_DEPLOYMENT, tempDir, write } from './helpers';
import { Severity } from '../../src/core/types';
import { engineOptions, findPolicyFile, grantExemptions, parseConfig, POLICY_FILE_NAME, POLICY_SCHEMA_PATH, schemaErrors } from '../../src/engine/config';
import { checkObjects } from '../../src/engine/engine';
import { relaxationsOf } from '../../src/engine/relaxations';

const dir = tempDir();

describe('the policy schema', () => {
  test('ships as the single definition of the format, with every top-level key documented', () => {
    const schema = JSON.parse(fs.readFileSync(POLICY_SCHEMA_PATH, 'utf8'));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['level', 'overrides', 'lockedRules', 'imagePolicy', 'exemptions', 'grants', 'externalNamespaces', 'partial', 'waivers']));
    // The package ships it: .npmignore must not leave schema/ out.
    expect(fs.readFileSync(path.join(__dirname, '..', '..', '.npmignore'), 'utf8')).not.toMatch(/^\/?schema/m);
  });

  test.each([
    ['unknown top-level key', { levle: 'baseline' }, /^levle: unknown key \(allowed: level, minSeverity, rules, skip, overrides, /],
    ['unknown nested key', { grants: [{ name: 'a', namespace: 'a', reason: 'long enough reason', levle: 'baseline' }] }, /^grants\[0\]\.levle: unknown key \(allowed: name, namespace, path, level, disable, reason\)$/],
    ['wrong type', { lockedRules: 'pod-privileged' }, /^lockedRules: must be a list$/],
    ['wrong scalar type', { partial: 'yes' }, /^partial: must be true or false$/],
    ['bad enum', { waivers: { unused: 'ignore' } }, /^waivers\.unused: must be one of "warn", "error"$/],
    ['missing key', { overrides: [{ ruleId: 'pod-privileged', severity: 'low' }] }, /^overrides\[0\]\.reason: required$/],
    ['bad integer', { waivers: { maxLifetimeDays: 1.5 } }, /^waivers\.maxLifetimeDays: must be a whole number$/],
    ['bad date', { exemptions: [{ ruleId: 'pod-privileged', reason: 'long enough reason', name: 'x', expires: 'next week' }] }, /^exemptions\[0\]\.expires: "next week" does not match/],
  ])('rejects a policy with a %s, naming the key and what is allowed', (_name, policy, message) => {
    const errors = schemaErrors(policy);
    expect(errors.some((e) => message.test(e))).toBe(true);
    expect(() => parseConfig(policy, 'org.yaml')).toThrow(/^org\.yaml: /);
  });

  test('accepts every section and carries externalNamespaces, partial and waivers through', () => {
    const policy = parseConfig({
      level: 'restricted',
      overrides: [{ ruleId: 'pod-privileged', severity: 'medium', reason: 'scored lower by the risk board' }],
      externalNamespaces: ['monitoring'],
      partial: true,
      waivers: { requireExpiry: true, maxLifetimeDays: 90, strictRules: ['pod-privileged'], unused: 'error' },
    });
    expect(policy.externalNamespaces).toEqual(['monitoring']);
    expect(policy.partial).toBe(true);
    expect(policy.waiverGovernance).toEqual({ requireExpiry: true, maxLifetimeDays: 90, strictRules: ['pod-privileged'], unused: 'error' });
  });

  test.each([
    ['an override that changes nothing', { overrides: [{ ruleId: 'pod-privileged', reason: 'long enough reason' }] }, /overrides\[0\]: changes nothing/],
    ['a short override reason', { overrides: [{ ruleId: 'pod-privileged', disable: true, reason: 'meh' }] }, /overrides\[0\]\.reason: needs at least 10 characters/],
    ['disabling a locked rule', { lockedRules: ['pod-privileged'], overrides: [{ ruleId: 'pod-privileged', disable: true, reason: 'long enough reason' }] }, /a locked rule cannot be disabled/],
    ['granting a locked rule away', { lockedRules: ['pod-privileged'], grants: [{ name: 'a', namespace: 'a', disable: ['pod-privileged'], reason: 'long enough reason' }] }, /grants\[0\]\.disable: pod-privileged is in lockedRules/],
    ['a grant that grants nothing', { grants: [{ name: 'a', namespace: 'a', reason: 'long enough reason' }] }, /grants\[0\]: grants nothing/],
    ['an unknown rule in a grant', { grants: [{ name: 'a', namespace: 'a', disable: ['pod-privilegd'], reason: 'long enough reason' }] }, /grants\[0\]\.disable: unknown rule id "pod-privilegd"/],
    ['two grants of one name', { grants: [{ name: 'a', namespace: 'a', level: 'baseline', reason: 'long enough reason' }, { name: 'a', namespace: 'b', level: 'baseline', reason: 'long enough reason' }] }, /two grants are named a/],
  ])('refuses %s', (_name, policy, message) => {
    expect(() => parseConfig(policy, 'org.yaml')).toThrow(message);
  });
});

describe('severity overrides and disables', () => {
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'a', image: 'nginx', securityContext: { privileged: true } }] } };

  test('an override changes the severity every finding of the rule carries', () => {
    const policy = parseConfig({ overrides: [{ ruleId: 'pod-privileged', severity: 'medium', reason: 'scored lower by the risk board' }] });
    const result = checkObjects([{ object }], engineOptions(policy, { rules: ['pod-privileged'] }));
    expect(result.findings.map((f) => f.severity)).toEqual([Severity.MEDIUM]);
    // Below a high threshold now: the threshold reads the organisation's severity.
    expect(checkObjects([{ object }], engineOptions(policy, { rules: ['pod-privileged'], minSeverity: Severity.HIGH })).findings).toEqual([]);
  });

  test('a disable skips the rule and is recorded with its reason', () => {
    const policy = parseConfig({ overrides: [{ ruleId: 'pod-privileged', disable: true, reason: 'node agents only in this repo' }] });
    const options = engineOptions(policy, {});
    expect(checkObjects([{ object }], options).rulesRun).not.toContain('pod-privileged');
    const recorded = relaxationsOf(options, 'org.yaml', new Map([['pod-privileged', 'node agents only in this repo']]));
    expect(recorded).toEqual([{ source: 'overrides disable (org.yaml)', rules: ['pod-privileged'], reason: 'node agents only in this repo' }]);
  });

  test('level baseline and a higher minSeverity record what they leave out', () => {
    const recorded = relaxationsOf({ level: 'baseline', minSeverity: Severity.CRITICAL, rules: ['pod-privileged', 'pod-run-as-user', 'pod-seccomp-restricted'] }, 'flags');
    expect(recorded).toEqual([
      { source: 'level baseline (flags)', rules: ['pod-run-as-user', 'pod-seccomp-restricted'], reason: 'the restricted Pod Security Standards controls are not judged at baseline' },
    ]);
    const severity = relaxationsOf({ minSeverity: Severity.HIGH, rules: ['pod-privileged', 'pod-run-as-user', 'pod-seccomp-restricted'] }, 'flags');
    expect(severity).toEqual([{ source: 'minSeverity high (flags)', rules: ['pod-seccomp-restricted'], reason: 'findings below high are not reported' }]);
  });
});

describe('grants', () => {
  test('a baseline grant exempts the restricted controls in its namespace, never a locked rule', () => {
    const policy = parseConfig({
      lockedRules: ['pod-run-as-user'],
      grants: [{ name: 'team-b', namespace: 'team-b', level: 'baseline', disable: ['pod-privileged'], reason: 'legacy images until Q3' }],
    });
    const exemptions = grantExemptions(policy);
    const ids = exemptions.map((e) => e.ruleId);
    expect(ids).toContain('pod-privileged');
    expect(ids).toContain('pod-seccomp-restricted');
    expect(ids).not.toContain('pod-run-as-user');
    expect(exemptions.every((e) => e.namespace === 'team-b' && e.grant === 'team-b' && e.reason === 'policy grant team-b: legacy images until Q3')).toBe(true);
  });
});

describe('finding the policy file', () => {
  const root = path.join(dir, 'repo');
  const nested = path.join(root, 'deploy', 'dist');
  fs.mkdirSync(nested, { recursive: true });
  const policyFile = write(root, POLICY_FILE_NAME, 'overrides: [{ruleId: pod-privileged, severity: low, reason: "scored lower by the risk board"}]\nminSeverity: medium\n');
  const manifest = write(nested, 'app.yaml', PRIVILEGED_DEPLOYMENT);

  test('walks up from the scanned paths, else from the working directory', () => {
    expect(findPolicyFile([manifest], '/')).toBe(policyFile);
    expect(findPolicyFile([nested], '/')).toBe(policyFile);
    expect(findPolicyFile(['-'], nested)).toBe(policyFile);
    expect(findPolicyFile([], nested)).toBe(policyFile);
  });

  test('two policies for one scan are a usage error', () => {
    const other = path.join(dir, 'other');
    fs.mkdirSync(other, { recursive: true });
    write(other, POLICY_FILE_NAME, 'level: restricted\n');
    const elsewhere = write(other, 'x.yaml', PRIVILEGED_DEPLOYMENT);
    expect(() => findPolicyFile([manifest, elsewhere], '/')).toThrow(/lie under different policy files/);
  });

  test('the CLI uses the found policy; --policy and its alias --config name another', async () => {
    // The found policy scores pod-privileged low and reports medium and above: the privileged pod passes.
    const found = await cli(['check', ...PINNED, manifest]);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain(`not judged: pod-privileged (minSeverity medium (policy ${policyFile} and flags): findings below medium are not reported)`);
    const strict = write(dir, 'strict.yaml', 'level: restricted\n');
    expect((await cli(['check', ...PINNED, manifest, '--policy', strict])).code).toBe(1);
    expect((await cli(['check', ...PINNED, manifest, '--config', strict])).code).toBe(1);
    const both = await cli(['check', ...PINNED, manifest, '--config', strict, '--policy', policyFile]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--config is its alias');
  });

  test('flags override the file', async () => {
    expect((await cli(['check', ...PINNED, manifest, '--min-severity', 'low'])).code).toBe(1);
  });
});

describe('admission records what it leaves out', () => {
  test('a skip and a higher minSeverity are written to the header and the params ConfigMap', async () => {
    const run = await cli(['admission', '--rule', 'pod-privileged,pod-seccomp-restricted,pod-run-as-user', '--skip', 'pod-run-as-user', '--min-severity', 'high']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# not judged: pod-run-as-user (skip (admission options): skipped without a recorded reason)');
    expect(run.stdout).toContain('# not judged: pod-seccomp-restricted (minSeverity high (admission options): findings below high are not reported)');
    const params = run.stdout.split('\n---\n').find((d) => d.includes('kind: ConfigMap'))!;
    expect(params).toContain('hardened.cdk8s.io/not-judged');
    const full = await cli(['admission', '--rule', 'pod-privileged']);
    expect(full.stdout).not.toContain('not-judged');
  });
});
