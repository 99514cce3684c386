/**
 * The waiver property, in every judge: for random waiver sets (dates around the fixed clock, with and without
 * owner and ticket), random governance, locked rules and waiver policies, the findings each judge reports equal
 * the findings of the run without waivers minus exactly the waivers an independent oracle finds valid, unexpired,
 * unlocked and permitted. Judges: the CLI's scan, the cdk8s plugin and Hardening.enforce.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import * as yaml from 'js-yaml';
import { Hardening, HardenedValidation, UnusedWaivers } from '../../src';
import type { K8sObject, Waiver } from '../../src/core/types';
import type { WaiverGovernance } from '../../src/core/waiver-governance';
import type { WaiverPolicy } from '../../src/core/waiver-policy';
import { formatWaivers, WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { scan } from '../../src/engine/scan';
import { ALL_RULES } from '../../src/rules';

const TODAY = '2026-12-01';
/** Three rules every pod below violates (one of them host access), and one it never violates. */
const FIRING = ['pod-privileged', 'pod-read-only-root-filesystem', 'pod-run-as-non-root'];
const RULES = [...FIRING, 'pod-host-ports'];
const PODS = [{ name: 'a', namespace: 'app' }, { name: 'b', namespace: 'app' }, { name: 'c', namespace: 'shop' }];
const DATES = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-31', '2027-03-01', '2027-12-01'];

function podObject(pod: { name: string; namespace: string }, waivers: readonly Waiver[]): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      ...(waivers.length > 0 ? { annotations: { [WAIVERS_ANNOTATION]: formatWaivers(waivers) } } : {}),
    },
    spec: { containers: [{ name: 'c', image: `registry.example.com/c@sha256:${'c'.repeat(64)}`, securityContext: { privileged: true } }] },
  };
}

const waiverArb = (ruleId: string): fc.Arbitrary<Waiver> => fc.record(
  {
    ruleId: fc.constant(ruleId),
    reason: fc.constant('reviewed by the platform team'),
    expires: fc.constantFrom(...DATES),
    owner: fc.constant('team-a'),
    ticket: fc.constant('SEC-1'),
  },
  { requiredKeys: ['ruleId', 'reason'] },
);
const podWaivers: fc.Arbitrary<Waiver[]> = fc.subarray(RULES).chain((ids) => (ids.length === 0 ? fc.constant([]) : fc.tuple(...ids.map(waiverArb))));
/** The governance fields (the jsii struct's shape: the plugin and enforce take it as is, the config file as YAML would give it). */
type Governance = Omit<WaiverGovernance, 'strictRules' | 'unused'> & { strictRules?: string[] };
const governanceArb: fc.Arbitrary<Governance> = fc.record(
  {
    requireExpiry: fc.boolean(),
    requireOwner: fc.boolean(),
    requireTicket: fc.boolean(),
    maxLifetimeDays: fc.constantFrom(30, 365),
    strictRules: fc.subarray(RULES),
  },
  { requiredKeys: [] },
);
const policyArb: fc.Arbitrary<WaiverPolicy | undefined> = fc.option(fc.record({
  allNamespaces: fc.subarray(['*', 'pod-read-only-root-filesystem', 'pod-run-as-non-root']),
  namespaces: fc.record({ app: fc.subarray(['*', ...RULES]), shop: fc.subarray(['*', ...RULES]) }),
}), { nil: undefined });
const scenario = fc.record({
  waivers: fc.tuple(...PODS.map(() => podWaivers)),
  governance: governanceArb,
  locked: fc.subarray(RULES),
  policy: policyArb,
});
type Scenario = { waivers: Waiver[][]; governance: Governance; locked: string[]; policy?: WaiverPolicy };

function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The oracle, written from the documented semantics (not the library's functions). */
function honoured(s: Scenario, w: Waiver, namespace: string): boolean {
  if (s.locked.includes(w.ruleId)) return false;
  if (s.policy) {
    const own = (s.policy.namespaces ?? {})[namespace] ?? [];
    const host = w.ruleId === 'pod-privileged';
    const permitted = own.includes(w.ruleId) || (!host && (own.includes('*') || (s.policy.allNamespaces ?? []).some((r) => r === '*' || r === w.ruleId)));
    if (!permitted) return false;
  }
  if (w.expires !== undefined && w.expires < TODAY) return false;
  const g = s.governance;
  const strict = (g.strictRules ?? []).includes(w.ruleId);
  if ((strict || g.requireExpiry || g.maxLifetimeDays !== undefined) && w.expires === undefined) return false;
  if ((strict || g.requireOwner) && w.owner === undefined) return false;
  if ((strict || g.requireTicket) && w.ticket === undefined) return false;
  if (g.maxLifetimeDays !== undefined && w.expires !== undefined && w.expires > plusDays(TODAY, g.maxLifetimeDays)) return false;
  return true;
}

function expected(s: Scenario): string[] {
  const out: string[] = [];
  PODS.forEach((pod, i) => {
    for (const ruleId of FIRING) {
      const w = s.waivers[i].find((x) => x.ruleId === ruleId);
      if (!w || !honoured(s, w, pod.namespace)) out.push(`${ruleId} ${pod.name}`);
    }
  });
  return out.sort();
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-waiver-property-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function manifestFile(s: Scenario): string {
  const file = path.join(dir, `m${fileCount++}.k8s.yaml`);
  fs.writeFileSync(file, PODS.map((p, i) => yaml.dump(podObject(p, s.waivers[i]))).join('---\n'));
  return file;
}

async function cliJudge(s: Scenario, file: string): Promise<string[]> {
  const outcome = await scan([file], {
    config: { rules: RULES, lockedRules: s.locked, waiverGovernance: s.governance, ...(s.policy ? { waivable: s.policy } : {}) },
    flags: { today: TODAY },
  });
  expect(outcome.report.result.problems).toEqual([]);
  return outcome.report.result.findings.map((f) => `${f.ruleId} ${f.name}`).sort();
}

async function pluginJudge(s: Scenario, file: string): Promise<string[]> {
  const violations: any[] = [];
  const report = { addViolation: (v: any) => violations.push(v), submit: () => undefined };
  const context = { manifests: [file], report, logger: { log: () => undefined } };
  const governance = { ...s.governance, unused: UnusedWaivers.WARN };
  const policy = s.policy ? { waivable: s.policy } : {};
  await new HardenedValidation({ rules: RULES, lockedRules: s.locked, waivers: governance, today: TODAY, ...policy }).validate(context);
  return violations.flatMap((v) => v.violatingResources.map((r: any) => `${String(v.ruleName).split(' ')[0]} ${r.resourceName}`)).sort();
}

const SKIP_ALL_BUT = ALL_RULES.map((r) => r.id).filter((id) => !RULES.includes(id));

function enforceJudge(s: Scenario): string[] {
  const app = new App({ outdir: path.join(dir, 'out') });
  const chart = new Chart(app, 'c');
  PODS.forEach((p, i) => new ApiObject(chart, p.name, podObject(p, s.waivers[i]) as any));
  const policy = s.policy ? { waivable: s.policy } : {};
  Hardening.enforce(app, { skip: SKIP_ALL_BUT, lockedRules: s.locked, waiverGovernance: s.governance, today: TODAY, ...policy });
  let message = '';
  try {
    app.synthYaml();
  } catch (e) {
    message = (e as Error).message;
  }
  // Rows of the findings table (before the waived one): "RULE  SEVERITY  Pod/ns/name (path)  PATH".
  const table = message.split('Waived (reported, not failing):')[0];
  return [...table.matchAll(/^\s+(pod-[a-z-]+)\s+(?:critical|high|medium|low)\s+Pod\/[a-z]+\/([a-z]+) /gm)].map((m) => `${m[1]} ${m[2]}`).sort();
}

describe('waivers: reported findings = unsuppressed findings minus the valid, unexpired, unlocked, permitted waivers', () => {
  test('the unsuppressed run finds every firing rule on every pod, in every judge', async () => {
    const none: Scenario = { waivers: PODS.map(() => []), governance: {}, locked: [] };
    const all = expected(none);
    expect(all).toHaveLength(FIRING.length * PODS.length);
    const file = manifestFile(none);
    expect(await cliJudge(none, file)).toEqual(all);
    expect(await pluginJudge(none, file)).toEqual(all);
    expect(enforceJudge(none)).toEqual(all);
  });

  test('fast-check: the CLI scan, the plugin and Hardening.enforce agree with the oracle', async () => {
    let waivedSome = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const want = expected(s);
        if (want.length < FIRING.length * PODS.length) waivedSome++;
        const file = manifestFile(s);
        const sample = JSON.stringify(s);
        expect([sample, await cliJudge(s, file)]).toEqual([sample, want]);
        expect([sample, await pluginJudge(s, file)]).toEqual([sample, want]);
        expect([sample, enforceJudge(s)]).toEqual([sample, want]);
      }),
      { numRuns: 60, seed: 20261202 },
    );
    // Waivers are honoured often enough for the property to mean something.
    expect(waivedSome).toBeGreaterThan(10);
  });
});
