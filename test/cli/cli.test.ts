import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CLEAN_POD, cli, PINNED, PRIVILEGED_DEPLOYMENT, tempDir, write } from './helpers';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';

const dir = tempDir();
const bad = write(dir, 'bad.yaml', PRIVILEGED_DEPLOYMENT);
const clean = write(dir, 'clean.yaml', CLEAN_POD);
const broken = write(dir, 'broken.yaml', `${CLEAN_POD}---\nkind: Pod\nmetadata: [\n`);

describe('cdk8s-hardened check: exit codes', () => {
  test('0 when every object passes', async () => {
    const run = await cli(['check', ...PINNED, clean]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK: 1 object checked against 1 rule, 0 findings, 0 waived, 0 input problems\n$/);
  });

  test('1 on findings, each with file and line', async () => {
    const run = await cli(['check', ...PINNED, bad, clean]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${bad}\n  Deployment shop/web (line 1)\n    CRITICAL pod-privileged: container "app" runs privileged`);
  });

  test('2 on a YAML error, naming file and line, even when findings exist too', async () => {
    const run = await cli(['check', ...PINNED, broken, bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(new RegExp(`${broken.replace(/[.]/g, '\\.')}:1[34]:\\d+: invalid YAML`));
    expect(run.stdout).toContain('pod-privileged');
  });

  test('2 on usage errors: no path, unknown option, bad choice, unknown rule id', async () => {
    for (const argv of [['check'], ['check', clean, '--bogus'], ['check', clean, '--format', 'xml'], ['check', clean, '--rule', 'no-such-rule'], ['nope']]) {
      const run = await cli(argv);
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      expect(run.stderr).toMatch(/error/);
    }
  });

  test('2 on objects that cannot be judged (missing kind, not an object)', async () => {
    const file = write(dir, 'notobj.yaml', '- just\n- a list\n---\napiVersion: v1\nmetadata: {name: x}\n');
    const run = await cli(['check', ...PINNED, file, '--format', 'json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
    expect(run.stderr).toBe(`error: ${file}:1: expected a Kubernetes object, got an array\nerror: ${file}:4: object has no kind\n`);
  });

  test('stdin with -', async () => {
    const run = await cli(['check', ...PINNED, '-', '--format', 'json'], { stdin: PRIVILEGED_DEPLOYMENT });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings[0]).toMatchObject({ file: '-', line: 1, ruleId: 'pod-privileged' });
  });
});

describe('cdk8s-hardened check: formats and options', () => {
  test('json is a stable array of findings with every key present', async () => {
    const run = await cli(['check', ...PINNED, bad, '--format', 'json']);
    const findings = JSON.parse(run.stdout).findings;
    expect(findings).toEqual([
      {
        ruleId: 'pod-privileged',
        severity: 'critical',
        file: bad,
        line: 1,
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        path: 'spec.template.spec.containers[0].securityContext.privileged',
        message: 'container "app" runs privileged',
        remediation: expect.stringContaining('securityContext.privileged'),
      },
    ]);
  });

  test('colours only on a TTY, never with NO_COLOR or --no-color', async () => {
    const ESC = '\u001b[';
    expect((await cli(['check', ...PINNED, bad])).stdout).not.toContain(ESC);
    expect((await cli(['check', ...PINNED, bad], { tty: true })).stdout).toContain(`${ESC}1;31mCRITICAL`);
    expect((await cli(['check', ...PINNED, bad], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await cli(['check', ...PINNED, bad, '--no-color'], { tty: true })).stdout).not.toContain(ESC);
    expect((await cli(['check', ...PINNED, bad, '--color'])).stdout).toContain(ESC);
  });

  test('--min-severity hides findings below it; --skip and --rule select rules', async () => {
    // pod-privileged is critical: it stays at "critical" and at every lower threshold.
    expect((await cli(['check', ...PINNED, bad, '--min-severity', 'critical'])).code).toBe(1);
    const skipped = await cli(['check', ...PINNED, bad, '--skip', 'pod-privileged']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('0 rules');
    expect((await cli(['check', ...PINNED, bad, '--rule', 'pod-privileged'])).code).toBe(1);
  });

  test('--level baseline still runs baseline rules', async () => {
    expect((await cli(['check', ...PINNED, bad, '--level', 'baseline'])).code).toBe(1);
  });

  test('--output writes the file and keeps stdout empty', async () => {
    const out = path.join(dir, 'out.sarif');
    const run = await cli(['check', ...PINNED, bad, '--format', 'sarif', '--output', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`wrote ${out}: 1 object checked against 1 rule, 1 finding (1 critical), 0 waived, 0 input problems\n`);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
    const failed = await cli(['check', ...PINNED, bad, '--output', path.join(dir, 'no/such/dir/out.txt')]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^error: cannot write .*out\.txt/);
  });

  test('waived findings do not fail the check and are listed with their reason', async () => {
    // Pod-rule waivers are read from the pod template, where admission reads them too.
    const waived = PRIVILEGED_DEPLOYMENT.replace(
      '  template:\n',
      `  template:\n    metadata:\n      annotations:\n        ${WAIVERS_ANNOTATION}: '${JSON.stringify([{ ruleId: 'pod-privileged', reason: 'node agent needs raw devices' }])}'\n`,
    );
    const run = await cli(['check', ...PINNED, write(dir, 'waived.yaml', waived)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Waived (1)\n  pod-privileged on Deployment shop/web at');
    expect(run.stdout).toContain('node agent needs raw devices');
  });
});

describe('cdk8s-hardened check --config', () => {
  test('exemptions waive matching findings with the reason, and stale ones are warned about', async () => {
    const config = write(dir, 'config.yaml', [
      'exemptions:',
      '  - ruleId: pod-privileged',
      '    reason: the storage driver needs device access',
      '    kind: Deployment',
      '    namespace: sh*',
      '  - ruleId: pod-privileged',
      '    reason: nothing matches this one at all',
      '    name: gone',
      '',
    ].join('\n'));
    const run = await cli(['check', ...PINNED, bad, '--config', config, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
    expect(run.stderr).toBe('warning: config exemption for pod-privileged (name=gone) matched no finding; delete it if it is stale\n');
  });

  test('lockedRules make exemptions and waivers ineffective', async () => {
    const config = write(dir, 'locked.json', JSON.stringify({
      lockedRules: ['pod-privileged'],
      exemptions: [{ ruleId: 'pod-privileged', reason: 'the storage driver needs device access', name: 'web' }],
    }));
    expect((await cli(['check', ...PINNED, bad, '--config', config])).code).toBe(1);
  });

  test('config level/minSeverity/skip apply, and flags override level and severity', async () => {
    const skip = write(dir, 'skip.yaml', 'skip: [pod-privileged]\nlevel: baseline\nminSeverity: low\n');
    expect((await cli(['check', ...PINNED, bad, '--config', skip])).code).toBe(0);
  });

  test.each([
    ['unknown key', 'levle: baseline\n', /levle: unknown key \(allowed: level, minSeverity/],
    ['bad level', 'level: strict\n', /level: must be one of "baseline", "restricted"/],
    ['bad severity', 'minSeverity: urgent\n', /minSeverity: must be one of "critical", "high", "medium", "low"/],
    ['unknown rule', 'skip: [no-such]\n', /skip: unknown rule id "no-such"/],
    ['short reason', 'exemptions: [{ruleId: pod-privileged, reason: why, name: x}]\n', /exemptions\[0\]: waiver for "pod-privileged" needs a reason of at least 10/],
    ['blanket exemption', 'exemptions: [{ruleId: pod-privileged, reason: long enough reason}]\n', /exemptions\[0\]: selects every object .*allowBlanket: true/],
    ['blanket exemption by `*`', "exemptions: [{ruleId: pod-privileged, reason: long enough reason, name: '*', namespace: '**'}]\n", /exemptions\[0\]: selects every object/],
    ['allowBlanket on a narrow exemption', 'exemptions: [{ruleId: pod-privileged, reason: long enough reason, name: web, allowBlanket: true}]\n', /exemptions\[0\]\.allowBlanket: .*not a blanket/],
    ['zero-width reason', `exemptions: [{ruleId: pod-privileged, name: web, reason: "${'\u200b'.repeat(12)}"}]\n`, /exemptions\[0\]: .*visible characters/],
    ['unknown governance key', 'waivers: {requireOwners: true}\n', /waivers\.requireOwners: unknown key/],
    ['bad lifetime', 'waivers: {maxLifetimeDays: 0}\n', /waivers\.maxLifetimeDays: must be >= 1/],
    ['unknown strict rule', 'waivers: {strictRules: [pod-nope]}\n', /waivers\.strictRules: unknown rule id "pod-nope"/],
    ['bad unused mode', 'waivers: {unused: fail}\n', /waivers\.unused: must be one of "warn", "error"/],
    ['unknown exemption key', 'exemptions: [{ruleId: pod-privileged, reason: long enough reason, nmae: x}]\n', /exemptions\[0\]\.nmae: unknown key/],
    ['imagePolicy not a mapping', 'imagePolicy: [a]\n', /imagePolicy: must be a mapping/],
    ['bad registry', 'imagePolicy: {allowedRegistries: ["not a host"]}\n', /imagePolicy\.allowedRegistries\[0\]: "not a host" is not a registry/],
    ['not a mapping', '- a\n', /\(top level\): must be a mapping/],
    ['invalid YAML', 'level: [\n', /is not valid YAML/],
  ])('a config with %s is a usage error (exit 2) naming the key', async (_name, text, message) => {
    const config = write(dir, `cfg-${_name.replace(/\W/g, '-')}.yaml`, text);
    const run = await cli(['check', ...PINNED, clean, '--config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain(config);
  });

  test('imagePolicy is validated by the supply-chain area and passed to the image rules', async () => {
    const allowRule = ['--rule', 'image-allowed-registry'];
    const trusted = write(dir, 'image.yaml', 'imagePolicy:\n  allowedRegistries: [registry.example.com]\n');
    // nginx comes from docker.io: outside the allowed registries.
    const run = await cli(['check', ...allowRule, clean, '--config', trusted, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['image-allowed-registry']);
    const dockerHub = write(dir, 'image-hub.yaml', 'imagePolicy:\n  allowedRegistries: [docker.io]\n');
    expect((await cli(['check', ...allowRule, clean, '--config', dockerHub])).code).toBe(0);
    const typo = write(dir, 'image-typo.yaml', 'imagePolicy:\n  allowedRegistrys: [docker.io]\n');
    const rejected = await cli(['check', ...allowRule, clean, '--config', typo]);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toContain(`${typo}: imagePolicy.allowedRegistrys: unknown key`);
  });
});

describe('help and version', () => {
  test('--version prints the package version', async () => {
    const run = await cli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version);
  });

  test.each([['check'], ['rules'], ['report'], ['admission']])('%s --help shows options and examples', async (command) => {
    const run = await cli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: cdk8s-hardened ${command}`);
    expect(run.stdout).toContain('Examples:');
  });

  test('top-level --help lists every command', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['check', 'rules', 'report', 'admission']) expect(run.stdout).toMatch(new RegExp(`\\n  ${command} `));
  });
});

describe('cdk8s-hardened rules', () => {
  test('text, json and markdown list the catalog', async () => {
    const text = await cli(['rules']);
    expect(text.stdout).toMatch(/^RULE +SEVERITY +LEVEL +TITLE\n/);
    expect(text.stdout).toMatch(/\npod-privileged +critical +baseline +Containers must not run privileged\n/);
    const json = JSON.parse((await cli(['rules', '--format', 'json'])).stdout);
    expect(json.find((r: { id: string }) => r.id === 'pod-privileged')).toMatchObject({
      severity: 'critical',
      level: 'baseline',
      helpUri: 'https://github.com/cdk8s-hardened/cdk8s-hardened/blob/main/docs/rules.md#pod-privileged',
      references: expect.objectContaining({ cis: '5.2.2' }),
    });
    expect((await cli(['rules', '--format', 'markdown'])).stdout).toContain('### pod-privileged\n');
  });
});

describe('cdk8s-hardened report', () => {
  test('a Markdown posture report with summary, findings, waivers, and the RBAC and network sections', async () => {
    const run = await cli(['report', ...PINNED, bad, clean]);
    expect(run.code).toBe(1);
    const headings = run.stdout.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Security posture report',
      '## Summary',
      '## Findings',
      '## Waivers',
      '## RBAC access matrix',
      '## Allowed network flows',
      '## Input problems',
    ]);
    expect(run.stdout).toContain('**Posture: FAILING.**');
    expect(run.stdout).toContain('| pod | 1 | 0 | 0 | 0 | 1 | 0 |');
    expect(run.stdout).toMatch(/## RBAC access matrix\n\nNo Roles, ClusterRoles or bindings in the input/);
    // The network section: a Mermaid graph of the flows, and the workloads no NetworkPolicy isolates.
    expect(run.stdout).toMatch(/## Allowed network flows\n\n2 workloads, /);
    expect(run.stdout).toContain('```mermaid\nflowchart LR');
    expect(run.stdout).toContain('- Deployment/shop/web: ingress and egress');
  });

  test('the network section stays bounded: no graph past 500 connections, no analysis past 300 workloads', async () => {
    const pods = (n: number) => Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: shop}\nspec: {containers: [{name: a, image: x}]}\n`).join('---\n');
    // Without NetworkPolicies 30 pods reach each other: 30 x 30 + 60 connections to and from anywhere.
    const some = await cli(['report', ...PINNED, write(dir, 'pods-30.yaml', pods(30))]);
    expect(some.stdout).toContain('30 workloads, 960 permitted connections (client, server) under NetworkPolicy:\nmore than 500, too many to draw.');
    expect(some.stdout).not.toContain('```mermaid');
    expect(some.stdout).toContain('Workloads not isolated by any NetworkPolicy (30):');
    const many = await cli(['report', ...PINNED, write(dir, 'pods-301.yaml', pods(301))]);
    expect(many.stdout).toContain('301 workloads: more than 300, so the flow analysis is left out');
  });

  test('the RBAC access matrix lists who can do what', async () => {
    const rbac = write(dir, 'rbac.yaml', [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata: {name: reader, namespace: shop}',
      'rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list]}]',
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata: {name: reader, namespace: shop}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}',
      'subjects: [{kind: ServiceAccount, name: web, namespace: shop}]',
      '',
    ].join('\n'));
    const run = await cli(['report', ...PINNED, rbac]);
    expect(run.code).toBe(0);
    const matrix = run.stdout.slice(run.stdout.indexOf('## RBAC access matrix'), run.stdout.indexOf('## Allowed network flows'));
    expect(matrix).toContain('| Subject | Scope | API group | Resource | Name | Verbs | Granted by |');
    expect(matrix).toMatch(/\| ServiceAccount shop\/web \| namespace shop \| `core` \| `configmaps` \| any \| `get, list` \|/);
  });

  test('input problems make the report incomplete (exit 2)', async () => {
    const run = await cli(['report', ...PINNED, broken]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('**Posture: INCOMPLETE');
    expect(run.stderr).toContain('invalid YAML');
  });
});

describe('cdk8s-hardened admission', () => {
  test('prints a policy and a binding per selected rule, with the chosen actions and exclusions', async () => {
    const run = await cli(['admission', ...PINNED, '--action', 'Warn,Audit', '--reason', 'warn phase until 2027-01-15', '--exclude-namespace', 'kube-system', '--exclude-namespace', 'monitoring']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# ValidatingAdmissionPolicies generated by cdk8s-hardened/);
    const docs = yaml.loadAll(run.stdout) as any[];
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    expect(docs[1].metadata.name).toBe('pod-privileged.hardened.cdk8s.io');
    expect(docs[2].spec.validationActions).toEqual(['Warn', 'Audit']);
    expect(docs[2].spec.matchResources.namespaceSelector.matchExpressions[0].values).toEqual(['kube-system', 'monitoring']);
  });

  test('a staged roll-out needs --reason, which check then reports as the waiver of every binding', async () => {
    const reason = 'warn phase until 2027-01-15, then Deny';
    const out = path.join(dir, 'rollout.yaml');
    const written = await cli(['admission', '--action', 'Warn', '--action', 'Audit', '--reason', ` ${reason} `, '-o', out]);
    expect(written.code).toBe(0);
    const docs = yaml.loadAll(fs.readFileSync(out, 'utf8')) as any[];
    const bindings = docs.filter((d) => d.kind === 'ValidatingAdmissionPolicyBinding');
    expect(bindings.length).toBeGreaterThan(10);
    for (const b of bindings) {
      expect(b.metadata.annotations).toEqual({ [WAIVERS_ANNOTATION]: JSON.stringify([{ ruleId: 'admission-binding-weakened', reason }]) });
      expect(b.metadata.labels['waive.hardened.cdk8s.io/admission-binding-weakened']).toBe('true');
    }
    const checked = await cli(['check', '--rule', 'admission-binding-weakened', out]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(`0 findings, ${bindings.length} waived, 0 input problems`);
    // Without the waiver the same output fails: the check above is not vacuous.
    for (const b of bindings) {
      delete b.metadata.annotations;
      delete b.metadata.labels['waive.hardened.cdk8s.io/admission-binding-weakened'];
    }
    const stripped = write(dir, 'stripped.yaml', docs.map((d) => yaml.dump(d)).join('---\n'));
    const failed = await cli(['check', '--rule', 'admission-binding-weakened', stripped]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`${bindings.length} findings`);

    const missing = await cli(['admission', ...PINNED, '--action', 'Warn']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('do not deny, which admission-binding-weakened reports on every binding');
    expect(missing.stderr).toContain('--reason');
    const short = await cli(['admission', ...PINNED, '--action', 'Audit', '--reason', 'soon']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 10 visible characters');
    const needless = await cli(['admission', ...PINNED, '--reason', reason]);
    expect(needless.code).toBe(2);
    expect(needless.stderr).toContain('only for actions without Deny');
  });

  test('the config selects rules and locks them; bad actions and rule ids are usage errors', async () => {
    const config = write(dir, 'admission.yaml', 'rules: [pod-privileged]\nlockedRules: [pod-privileged]\n');
    const locked = yaml.loadAll((await cli(['admission', '--config', config])).stdout) as any[];
    expect(locked.map((d) => d.metadata.name)).toEqual(['hardened-admission-params', 'pod-privileged.hardened.cdk8s.io', 'pod-privileged.hardened.cdk8s.io']);
    const unlocked = yaml.loadAll((await cli(['admission', ...PINNED])).stdout) as any[];
    // A locked rule's policy has no exemption: waivers cannot bypass it.
    expect(JSON.stringify(locked[1].spec.validations)).not.toContain('variables.waived');
    expect(JSON.stringify(unlocked[1].spec.validations)).toContain('variables.waived');
    const badAction = await cli(['admission', '--action', 'Block']);
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain('unknown admission action "Block"');
    const badRule = await cli(['admission', '--rule', 'no-such-rule']);
    expect(badRule.code).toBe(2);
    expect(badRule.stderr).toContain('unknown rule id "no-such-rule"');
  });
});
