/**
 * Waiver governance in the CLI and the plugin: expiry, required fields, lifetime cap, strict rules, unused
 * waivers, blanket exemptions, peer exemptions and the `waivers` command. The clock is fixed (test/setup-clock.ts:
 * 2026-12-01) unless a test passes --today.
 */
import { cli, tempDir, write } from './helpers';
import { HardenedValidation, UnusedWaivers } from '../../src';
import { formatWaivers, WAIVERS_ANNOTATION } from '../../src/core/waivers';

const RULES = ['--rule', 'pod-privileged,pod-read-only-root-filesystem,pod-run-as-non-root'];

/** A pod that is privileged, runs as root and has a writable root filesystem, with these annotations. */
function pod(name: string, annotations: Record<string, string>, namespace = 'shop'): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, annotations },
    spec: { containers: [{ name: 'a', image: 'registry.example.com/a@sha256:' + '0'.repeat(64), securityContext: { privileged: true } }] },
  });
}
const waivers = (...entries: object[]) => ({ [WAIVERS_ANNOTATION]: formatWaivers(entries as any) });
const REASON = 'legacy app writes its pid file to /var/run';

describe('waiver governance (CLI)', () => {
  const dir = tempDir();

  test('an expired waiver is a finding again, saying the date; it holds through its expires day', async () => {
    const file = write(dir, 'expiry.yaml', pod('p', waivers({ ruleId: 'pod-read-only-root-filesystem', reason: REASON, expires: '2026-11-30' })));
    const run = await cli(['check', ...RULES, '--rule', 'pod-read-only-root-filesystem', '--skip', 'pod-privileged,pod-run-as-non-root', file, '-f', 'json']);
    const out = JSON.parse(run.stdout);
    expect(out.findings.map((f: any) => [f.ruleId, f.message])).toEqual([
      ['pod-read-only-root-filesystem', expect.stringMatching(/\(waiver not honoured: the waiver expired on 2026-11-30\)$/)],
    ]);
    expect(run.code).toBe(1);
    const before = await cli(['check', '--rule', 'pod-read-only-root-filesystem', '--today', '2026-11-30', file]);
    expect(before.code).toBe(0);
    expect((await cli(['check', '--rule', 'pod-read-only-root-filesystem', '--today', '2026-13-01', file])).stderr).toMatch(/--today: "2026-13-01" is not a date/);
  });

  test('required fields, strict rules and the lifetime cap: a waiver short of the governance is not honoured, and says why', async () => {
    const file = write(dir, 'governed.yaml', pod('p', waivers(
      { ruleId: 'pod-read-only-root-filesystem', reason: REASON, expires: '2027-06-01', owner: 'team-shop' },
      { ruleId: 'pod-privileged', reason: 'node agent needs the host devices', expires: '2026-12-20', owner: 'team-shop' },
    )));
    const config = write(dir, 'governance.yaml', 'waivers: {requireOwner: true, maxLifetimeDays: 90, strictRules: [pod-privileged]}\n');
    const run = await cli(['check', '--rule', 'pod-privileged,pod-read-only-root-filesystem', file, '-c', config, '-f', 'json']);
    const messages = JSON.parse(run.stdout).findings.map((f: any) => `${f.ruleId}: ${f.message.replace(/^.*\(waiver not honoured: /, '')}`);
    expect(messages).toEqual([
      'pod-privileged: the waiver has no ticket (pod-privileged is a strict rule of the waiver governance))',
      'pod-read-only-root-filesystem: the waiver expires on 2027-06-01, beyond the governance\'s 90-day cap (latest 2027-03-01))',
    ]);
    const fine = write(dir, 'fine.yaml', pod('p', waivers({ ruleId: 'pod-read-only-root-filesystem', reason: REASON, expires: '2027-02-01', owner: 'team-shop' })));
    expect((await cli(['check', '--rule', 'pod-read-only-root-filesystem', fine, '-c', config])).code).toBe(0);
  });

  test('an unused waiver is a note by default and an error (exit 2) under unused: error', async () => {
    const file = write(dir, 'unused.yaml', pod('p', waivers({ ruleId: 'pod-privileged', reason: 'nothing is privileged any more' }, { ruleId: 'pod-host-ports', reason: 'the port was removed last year' })));
    const warn = await cli(['check', '--rule', 'pod-privileged,pod-host-ports', file]);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toContain('unused waiver: pod-host-ports on Pod shop/p finds nothing there: remove the waiver');
    expect(warn.stdout).not.toContain('unused waiver: pod-privileged');
    const config = write(dir, 'unused-error.yaml', 'waivers: {unused: error}\n');
    const error = await cli(['check', '--rule', 'pod-privileged,pod-host-ports', file, '-c', config]);
    expect(error.code).toBe(2);
    expect(error.stdout).toMatch(/unused waiver: pod-host-ports on Pod shop\/p .*the waiver governance makes unused waivers errors/);
    // A rule that did not run says nothing about its waivers.
    expect((await cli(['check', '--rule', 'pod-privileged', file, '-c', config])).code).toBe(0);
  });

  test('config exemptions: expiry and governance apply, blanket ones need allowBlanket, stale ones fail under unused: error', async () => {
    const file = write(dir, 'plain.yaml', pod('p', {}));
    const expired = write(dir, 'exempt-expired.yaml', `exemptions: [{ruleId: pod-privileged, name: p, reason: ${REASON}, expires: '2026-11-01'}]\n`);
    const run = await cli(['check', '--rule', 'pod-privileged', file, '-c', expired, '-f', 'json']);
    expect(JSON.parse(run.stdout).findings[0].message).toMatch(/\(config exemption not honoured: the waiver expired on 2026-11-01\)$/);
    const blanket = write(dir, 'exempt-blanket.yaml', `exemptions: [{ruleId: pod-privileged, name: '*', reason: ${REASON}, allowBlanket: true}]\n`);
    expect((await cli(['check', '--rule', 'pod-privileged', file, '-c', blanket])).code).toBe(0);
    const stale = write(dir, 'exempt-stale.yaml', `waivers: {unused: error}\nexemptions: [{ruleId: pod-host-ports, name: p, reason: ${REASON}}]\n`);
    const staleRun = await cli(['check', '--rule', 'pod-privileged,pod-host-ports', file, '-c', stale, '-f', 'json']);
    expect(staleRun.code).toBe(2);
    expect(JSON.parse(staleRun.stdout).problems.map((p: any) => p.message)).toEqual([
      'config exemption for pod-host-ports (name=p) matched no finding; delete it if it is stale (the waiver governance makes unused waivers errors)',
    ]);
  });
});

describe('peer exemptions', () => {
  const dir = tempDir();
  const annotations = {
    'ignore-check.kube-linter.io/run-as-non-root': 'image runs as root until the rebuild',
    'polaris.fairwinds.com/notReadOnlyRootFilesystem-exempt': 'true',
    'polaris.fairwinds.com/runAsPrivileged-exempt': 'true',
  };

  test('are ignored unless asked for', async () => {
    const file = write(dir, 'peers.yaml', pod('p', annotations));
    const run = await cli(['check', ...RULES, file, '-f', 'json']);
    expect(JSON.parse(run.stdout).findings.map((f: any) => f.ruleId)).toEqual(['pod-privileged', 'pod-read-only-root-filesystem', 'pod-run-as-non-root']);
  });

  test('map through the catalog references; without a reason they are not honoured and the finding says how to give one', async () => {
    const file = write(dir, 'peers.yaml', pod('p', annotations));
    const run = await cli(['check', ...RULES, file, '-f', 'json', '--peer-exemptions']);
    const out = JSON.parse(run.stdout);
    expect(out.waived.map((f: any) => [f.ruleId, f.reason])).toEqual([['pod-run-as-non-root', 'image runs as root until the rebuild']]);
    expect(out.findings.map((f: any) => f.ruleId)).toEqual(['pod-privileged', 'pod-read-only-root-filesystem']);
    expect(out.findings[1].message).toMatch(/the polaris exemption has no usable reason \(it is missing\): write one .* in annotation hardened\.cdk8s\.io\/peer-exemption-reason/);
    const reasoned = write(dir, 'peers-reasoned.yaml', pod('p', { ...annotations, 'hardened.cdk8s.io/peer-exemption-reason': 'agreed with security in review 42' }));
    const ok = JSON.parse((await cli(['check', ...RULES, reasoned, '-f', 'json', '--peer-exemptions'])).stdout);
    expect(ok.findings).toEqual([]);
  });

  test('a rule that references several checks of a tool is waived only when all of them are exempt', async () => {
    const some = write(dir, 'host.yaml', pod('p', { 'polaris.fairwinds.com/hostNetworkSet-exempt': 'true', 'hardened.cdk8s.io/peer-exemption-reason': 'host network for the CNI agent' }));
    const run = JSON.parse((await cli(['waivers', some, '--peer-exemptions', '-f', 'json'])).stdout);
    expect(run.waivers).toEqual([]);
    const all = write(dir, 'host-all.yaml', pod('p', {
      'polaris.fairwinds.com/hostNetworkSet-exempt': 'true',
      'polaris.fairwinds.com/hostPIDSet-exempt': 'true',
      'polaris.fairwinds.com/hostIPCSet-exempt': 'true',
      'hardened.cdk8s.io/peer-exemption-reason': 'host network for the CNI agent',
    }));
    const listed = JSON.parse((await cli(['waivers', all, '--peer-exemptions', '-f', 'json'])).stdout);
    expect(listed.waivers.map((w: any) => [w.ruleId, w.source, w.tool])).toEqual([['pod-host-namespaces', 'peer', 'polaris']]);
  });
});

describe('cdk8s-hardened waivers', () => {
  const dir = tempDir();
  const manifests = [
    pod('by-construct', {
      ...waivers({ ruleId: 'pod-privileged', reason: 'node agent needs the host devices', owner: 'team-nodes', ticket: 'OPS-7', expires: '2027-01-31' }),
    }).replace('"annotations"', '"labels":{"waive.hardened.cdk8s.io/pod-privileged":"true"},"annotations"'),
    pod('by-hand', waivers({ ruleId: 'pod-read-only-root-filesystem', reason: REASON, expires: '2026-10-01' }, { ruleId: 'pod-host-ports', reason: 'the port was removed last year' })),
  ];
  const file = write(dir, 'all.yaml', manifests.join('\n---\n'));
  const config = write(dir, 'config.yaml', 'exemptions: [{ruleId: pod-run-as-non-root, namespace: shop, name: \'by-*\', reason: image runs as root until the rebuild, owner: team-shop}]\n');

  test('lists every waiver with its source and verdict (json)', async () => {
    const run = await cli(['waivers', ...RULES, '--rule', 'pod-host-ports', file, '-c', config, '-f', 'json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.today).toBe('2026-12-01');
    expect(out.waivers.map((w: any) => [w.ruleId, `${w.object.kind}/${w.object.namespace}/${w.object.name}`, w.source, w.status, w.expired])).toEqual([
      ['pod-privileged', 'Pod/shop/by-construct', 'construct', 'honoured', false],
      ['pod-host-ports', 'Pod/shop/by-hand', 'annotation', 'unused', false],
      ['pod-read-only-root-filesystem', 'Pod/shop/by-hand', 'annotation', 'expired', true],
      ['pod-run-as-non-root', '*/shop/by-*', 'config', 'honoured', false],
    ]);
    expect(out.waivers[0]).toMatchObject({ owner: 'team-nodes', ticket: 'OPS-7', expires: '2027-01-31', reason: 'node agent needs the host devices' });
    expect(out.waivers[2].why).toBe('the waiver expired on 2026-10-01');
  });

  test('check shows a waived finding\'s owner, ticket and expiry in text and markdown', async () => {
    const text = (await cli(['check', '--rule', 'pod-privileged', file])).stdout;
    expect(text).toContain('pod-privileged on Pod shop/by-construct at ');
    expect(text).toContain(': node agent needs the host devices (owner: team-nodes, ticket: OPS-7, expires: 2027-01-31)');
    const markdown = (await cli(['check', '--rule', 'pod-privileged', file, '-f', 'markdown'])).stdout;
    expect(markdown).toContain('| node agent needs the host devices (owner: team-nodes, ticket: OPS-7, expires: 2027-01-31) |');
  });

  test('--expired and --unused filter, and exit 1 when something matches', async () => {
    const expired = await cli(['waivers', ...RULES, '--rule', 'pod-host-ports', file, '--expired', '-f', 'json']);
    expect(JSON.parse(expired.stdout).waivers.map((w: any) => w.ruleId)).toEqual(['pod-read-only-root-filesystem']);
    expect(expired.code).toBe(1);
    const unused = await cli(['waivers', ...RULES, '--rule', 'pod-host-ports', file, '--unused', '-f', 'json']);
    expect(JSON.parse(unused.stdout).waivers.map((w: any) => w.ruleId)).toEqual(['pod-host-ports']);
    const none = write(dir, 'none.yaml', pod('p', {}));
    expect((await cli(['waivers', none, '--expired'])).code).toBe(0);
  });

  test('text and markdown name rule, object, reason, owner, ticket, expiry, source and status', async () => {
    const text = (await cli(['waivers', ...RULES, file])).stdout;
    expect(text).toContain('pod-privileged  Pod/shop/by-construct');
    expect(text).toContain('owner: team-nodes  ticket: OPS-7  expires: 2027-01-31  source: construct');
    expect(text).toContain('status: expired: the waiver expired on 2026-10-01');
    const markdown = (await cli(['waivers', ...RULES, file, '-f', 'markdown'])).stdout;
    expect(markdown).toContain('| Rule | Object | Reason | Owner | Ticket | Expires | Source | Status |');
    expect(markdown).toContain('| pod-read-only-root-filesystem | Pod/shop/by-hand | legacy app writes its pid file to /var/run |  |  | 2026-10-01 (expired) | annotation | expired: the waiver expired on 2026-10-01 |');
    // Deterministic: the same input lists byte-identically.
    expect((await cli(['waivers', ...RULES, file, '-f', 'markdown'])).stdout).toBe(markdown);
  });

  test('unreadable input is exit 2, like check', async () => {
    const run = await cli(['waivers', `${dir}/missing.yaml`]);
    expect(run.code).toBe(2);
  });
});

describe('HardenedValidation and waiver governance', () => {
  const dir = tempDir();
  const expired = write(dir, 'expired.k8s.yaml', pod('p', waivers({ ruleId: 'pod-privileged', reason: 'node agent needs the host devices', expires: '2026-11-30' })));
  const context = (manifests: string[]) => {
    const violations: any[] = [];
    const logs: string[] = [];
    const state: { status?: string } = {};
    const report = { addViolation: (v: any) => violations.push(v), submit: (s: string) => { state.status = s; } };
    return { state, violations, logs, context: { manifests, report, logger: { log: (m: string) => logs.push(m) } } };
  };

  test('an expired waiver fails the plugin; today and the governance are properties', async () => {
    const run = context([expired]);
    await new HardenedValidation({ rules: ['pod-privileged'] }).validate(run.context);
    expect(run.state.status).toBe('failure');
    expect(run.violations[0].violatingResources[0].locations[0]).toMatch(/waiver not honoured: the waiver expired on 2026-11-30/);
    const earlier = context([expired]);
    await new HardenedValidation({ rules: ['pod-privileged'], today: '2026-11-30' }).validate(earlier.context);
    expect(earlier.state.status).toBe('success');
    const governed = context([expired]);
    await new HardenedValidation({ rules: ['pod-privileged'], today: '2026-11-30', waivers: { requireTicket: true } }).validate(governed.context);
    expect(governed.violations[0].violatingResources[0].locations[0]).toMatch(/the waiver has no ticket \(the waiver governance requires it\)/);
    const stale = write(dir, 'stale.k8s.yaml', pod('q', waivers({ ruleId: 'pod-host-ports', reason: 'the port was removed last year' })));
    const warned = context([stale]);
    await new HardenedValidation({ rules: ['pod-host-ports'] }).validate(warned.context);
    expect([warned.state.status, warned.logs]).toEqual(['success', ['note: unused waiver: pod-host-ports on Pod shop/q finds nothing there: remove the waiver']]);
    const unused = context([stale]);
    await new HardenedValidation({ rules: ['pod-host-ports'], waivers: { unused: UnusedWaivers.ERROR } }).validate(unused.context);
    expect(unused.state.status).toBe('failure');
    expect(() => new HardenedValidation({ today: 'tomorrow' })).toThrow(/today: "tomorrow" is not a date/);
    expect(() => new HardenedValidation({ waivers: { unused: 'fail' as never } })).toThrow(/waivers\.unused: must be one of "warn", "error"/);
  });
});
