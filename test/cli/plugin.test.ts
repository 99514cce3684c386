import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLEAN_POD, PRIVILEGED_DEPLOYMENT, tempDir, write } from './helpers';
import { HardenedValidation } from '../../src';
import { Severity } from '../../src/core/types';

const ROOT = path.join(__dirname, '../..');
const PROJECT = path.join(__dirname, 'plugin-project');
/** The rule these tests exercise (see PINNED in helpers.ts; plugin-project/cdk8s.yaml pins it too). */
const PINNED_RULES = ['pod-privileged'];

/** A stand-in for the cdk8s CLI's ValidationContext, recording what the plugin reports. */
function fakeContext(manifests: string[]) {
  const violations: any[] = [];
  const logs: string[] = [];
  let status: string | undefined;
  let metadata: Record<string, string> | undefined;
  return {
    context: {
      manifests,
      report: {
        addViolation: (v: any) => violations.push(v),
        submit: (s: string, m?: Record<string, string>) => {
          status = s;
          metadata = m;
        },
      },
      logger: { log: (m: string) => logs.push(m) },
    },
    violations,
    logs,
    get status() {
      return status;
    },
    get metadata() {
      return metadata;
    },
  };
}

describe('HardenedValidation (in process)', () => {
  const dir = tempDir();
  const bad = write(dir, 'bad.k8s.yaml', PRIVILEGED_DEPLOYMENT);
  const clean = write(dir, 'clean.k8s.yaml', CLEAN_POD);

  test('reports each finding as a violation of its rule and submits failure', async () => {
    const run = fakeContext([bad, clean]);
    await new HardenedValidation({ minSeverity: Severity.HIGH, rules: PINNED_RULES }).validate(run.context);
    expect(run.status).toBe('failure');
    expect(run.violations).toEqual([
      {
        ruleName: 'pod-privileged (critical)',
        recommendation: 'Containers must not run privileged',
        fix: expect.stringContaining('docs/rules.md#pod-privileged'),
        violatingResources: [{ resourceName: 'web', locations: ['spec.template.spec.containers[0].securityContext.privileged: container "app" runs privileged'], manifestPath: bad }],
      },
    ]);
    expect(run.metadata).toEqual({ objects: '2', rules: '1', findings: '1', waived: '0', problems: '0' });
  });

  test('clean manifests submit success', async () => {
    const run = fakeContext([clean]);
    await new HardenedValidation({ rules: PINNED_RULES }).validate(run.context);
    expect(run.status).toBe('success');
    expect(run.violations).toEqual([]);
  });

  test('unreadable manifests fail as input problems, never pass', async () => {
    const broken = write(dir, 'broken.k8s.yaml', 'kind: [\n');
    const run = fakeContext([broken]);
    await new HardenedValidation().validate(run.context);
    expect(run.status).toBe('failure');
    expect(run.violations[0]).toMatchObject({ ruleName: 'input-problem', violatingResources: [{ manifestPath: broken, locations: [expect.stringContaining('invalid YAML')] }] });
  });

  test('properties are validated like a config file, and a config file can be named', async () => {
    expect(() => new HardenedValidation({ levle: 'baseline' } as never)).toThrow(/levle: unknown key/);
    expect(() => new HardenedValidation({ level: 'strict' })).toThrow(/level: must be one of "baseline", "restricted"/);
    const config = write(dir, 'hardened.yaml', 'exemptions:\n  - ruleId: pod-privileged\n    reason: storage driver needs device access\n    name: web\n');
    const run = fakeContext([bad]);
    await new HardenedValidation({ configFile: config, rules: PINNED_RULES }).validate(run.context);
    expect(run.status).toBe('success');
    expect(run.logs).toEqual(['waived: pod-privileged on Deployment web: storage driver needs device access']);
    // lockedRules given as a property override the file's exemptions.
    const locked = fakeContext([bad]);
    await new HardenedValidation({ configFile: config, rules: PINNED_RULES, lockedRules: ['pod-privileged'] }).validate(locked.context);
    expect(locked.status).toBe('failure');
  });
});

describe('cdk8s synth with the plugin in cdk8s.yaml (real cdk8s-cli)', () => {
  const out = tempDir();

  /** Runs `cdk8s synth` in the test project; bounded by a timeout so a stuck synth cannot hang the suite. */
  function synth(variant: 'bad' | 'clean', outdir: string, extra: string[] = []) {
    return spawnSync(path.join(ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--no-check-upgrade', '--output', outdir, ...extra], {
      cwd: PROJECT,
      encoding: 'utf8',
      timeout: 90_000,
      killSignal: 'SIGKILL',
      // The app command is `tsx main.ts`: put the repository's binaries on PATH.
      env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`, HARDENED_TEST_VARIANT: variant, CI: '1' },
    });
  }

  test('fails synth on a privileged Deployment and names rule, construct and fix', () => {
    const reportFile = path.join(out, 'report.json');
    const run = synth('bad', path.join(out, 'bad'), ['--validation-reports-output-file', reportFile]);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Validation failed');
    expect(run.stdout).toContain('pod-privileged (critical)');
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')).reports[0];
    expect(report.summary.status).toBe('failure');
    expect(report.violations).toEqual([
      expect.objectContaining({
        ruleName: 'pod-privileged (critical)',
        violatingConstructs: [expect.objectContaining({ constructPath: 'shop/agent', resourceName: 'node-agent', manifestPath: path.join(out, 'bad', 'shop.k8s.yaml') })],
      }),
    ]);
  });

  test('passes synth when every object is clean', () => {
    const run = synth('clean', path.join(out, 'clean'));
    expect(run.error).toBeUndefined();
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(run.stdout).toContain('Validations ended succesfully');
    expect(fs.existsSync(path.join(out, 'clean', 'shop.k8s.yaml'))).toBe(true);
  });

  test('the README quick start passes synth with the whole catalog, although cdk8s writes an empty file for its outer chart', () => {
    const outdir = path.join(out, 'quickstart');
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/cdk8s'), ['synth', '--no-check-upgrade', '--output', outdir], {
      cwd: path.join(__dirname, 'plugin-quickstart'),
      encoding: 'utf8',
      timeout: 90_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`, CI: '1' },
    });
    expect(run.error).toBeUndefined();
    // The chart `shop` holds only the LockedNamespace chart: its own file is empty, which is cdk8s' normal output.
    const files = fs.readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml'));
    expect(files.some((f) => fs.readFileSync(path.join(outdir, f), 'utf8') === '')).toBe(true);
    expect(run.stdout).not.toContain('holds no Kubernetes objects');
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('Validations ended succesfully') });
  });
});
