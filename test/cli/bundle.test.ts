/**
 * The npm bin is one esbuild bundle (scripts/bundle-cli.ts). Built here from the sources into a folder laid out like
 * the package (lib/cli/ beside package.json and schema/), it must answer every command byte for byte as the
 * in-process CLI does: same stdout, same stderr, same exit code.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import { cli } from './helpers';
import { bundleCli, BundleResult, CLI_BUNDLE } from '../../scripts/bundle-cli';

const ROOT = path.join(__dirname, '..', '..');
const ADOPT = path.join(ROOT, 'test', 'fixtures', 'adopt');
/** Fixed clock and no inherited CDK8S_HARDENED_* settings, in both runs. */
const ENV = { CDK8S_HARDENED_TODAY: '2026-12-01' };

let dir: string;
let bundle: string;
let built: BundleResult;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-bundle-'));
  bundle = path.join(dir, CLI_BUNDLE);
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(ROOT, 'schema'), path.join(dir, 'schema'), { recursive: true });
  built = bundleCli(path.join(ROOT, 'src', 'cli', 'main.ts'), bundle);
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runBundle(args: string[]): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [bundle, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, ...ENV }, maxBuffer: 64 * 1024 * 1024 });
  if (run.status === null) throw new Error(`the bundle was killed: ${run.signal}`);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the bundled CLI (npm bin)', () => {
  test('package.json runs the bundle', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ 'cdk8s-hardened': CLI_BUNDLE });
  });

  test('inlines every module and dependency: only Node built-ins are required at run time', () => {
    const text = fs.readFileSync(bundle, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // A require inside a string is code ajv generates for its standalone mode, never run here.
    const required = new Set([...text.matchAll(/(?<![`'"])\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect(required.has('fs')).toBe(true);
    expect([...required].filter((m) => !builtins.has(m))).toEqual([]);
    // The dependencies the CLI runs are inlined and named with their licences at the end of the file.
    for (const name of ['ajv', 'commander', 'js-yaml', 'yaml']) expect(built.packages.some((p) => p.startsWith(`${name}@`))).toBe(true);
    expect(text).toContain('Bundled packages, each under its own licence');
  });

  test.each([
    ['check, JSON report', ['check', '--format', 'json', ADOPT]],
    ['check, text report', ['check', path.join(ADOPT, 'multi-service.yaml')]],
    ['check, SARIF', ['check', '--format', 'sarif', path.join(ADOPT, 'operator.yaml')]],
    ['check with a policy file (the schema beside the bundle, ajv loaded lazily)', ['check', '--policy', 'POLICY', '--format', 'json', path.join(ADOPT, 'cronjob.yaml')]],
    ['a policy that breaks the schema', ['check', '--policy', 'BAD_POLICY', path.join(ADOPT, 'cronjob.yaml')]],
    ['fix --diff (the yaml package)', ['fix', '--diff', path.join(ADOPT, 'helm-rendered.yaml')]],
    ['rules', ['rules', '--format', 'markdown']],
    ['admission policies', ['admission']],
    ['waivers', ['waivers', '--format', 'json', ADOPT]],
    ['--version', ['--version']],
    ['an unknown rule id', ['check', '--rule', 'no-such-rule', ADOPT]],
  ])('%s: the same output and exit code as the in-process CLI', async (_name, template) => {
    const policy = path.join(dir, 'policy.yaml');
    fs.writeFileSync(policy, 'level: baseline\nminSeverity: medium\nskip: [pod-liveness-probe]\n');
    const badPolicy = path.join(dir, 'bad-policy.yaml');
    fs.writeFileSync(badPolicy, 'level: strictest\n');
    const args = template.map((a) => (a === 'POLICY' ? policy : a === 'BAD_POLICY' ? badPolicy : a));
    const expected = await cli(args, { env: ENV });
    const actual = runBundle(args);
    expect(actual.stderr).toBe(expected.stderr);
    expect(actual.stdout).toBe(expected.stdout);
    expect(actual.code).toBe(expected.code);
    // Each case judges or prints something: a bundle that printed nothing would compare equal to a broken CLI.
    expect(expected.stdout.length + expected.stderr.length).toBeGreaterThan(0);
  }, 60_000);
});
