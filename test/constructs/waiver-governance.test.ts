/**
 * Waiver fields and governance at synth: a construct's waiver carries expires, owner and ticket into the canonical
 * annotation; `Hardening.enforce` judges expiry (fixed clock, test/setup-clock.ts: 2026-12-01), the governance and
 * unused waivers, in the workloads' self-check and over the whole app.
 */
import { ApiObject, Testing } from 'cdk8s';
import { newChart, webContainer } from './helpers';
import { Hardening, HardenedDeployment, RuleId, TopologySpread, UnusedWaivers } from '../../src';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { ALL_RULES } from '../../src/rules';
import { synthError } from '../util/synth';

const SPREAD = {
  ruleId: RuleId.WORKLOAD_SPREAD_OR_ANTI_AFFINITY,
  reason: 'batch of stateless workers, placement does not matter',
  owner: 'team-shop',
  ticket: 'SHOP-42',
};

/** The namespace and network rules need a whole namespace (LockedNamespace): these tests judge the workload alone. */
const SET_RULES = ALL_RULES.filter((r) => r.scope === 'set').map((r) => r.id);

function app(waiver: object, options: Parameters<typeof Hardening.enforce>[1] = {}) {
  const { app: root, chart } = newChart('gov');
  new HardenedDeployment(chart, 'web', { containers: [webContainer()], replicas: 2, topologySpread: TopologySpread.NONE, waivers: [waiver as typeof SPREAD] });
  Hardening.enforce(root, { skip: SET_RULES, ...options });
  return { root, chart };
}

describe('waiver fields on the construct API', () => {
  test('expires, owner and ticket are written to the canonical annotation (ruleId first, then alphabetical)', () => {
    const { chart } = app({ ...SPREAD, expires: '2027-01-31' });
    const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
    expect(deployment.metadata.annotations[WAIVERS_ANNOTATION]).toBe(
      '[{"ruleId":"workload-spread-or-anti-affinity","expires":"2027-01-31","owner":"team-shop","reason":"batch of stateless workers, placement does not matter","ticket":"SHOP-42"}]',
    );
  });

  test('Hardening.addWaiver takes the same fields', () => {
    const { chart } = newChart('add');
    const web = new HardenedDeployment(chart, 'web', { containers: [webContainer()], replicas: 2, topologySpread: TopologySpread.NONE });
    Hardening.addWaiver(web, RuleId.WORKLOAD_SPREAD_OR_ANTI_AFFINITY, SPREAD.reason, { owner: 'team-shop', ticket: 'SHOP-42', expires: '2027-01-31' });
    expect(Hardening.waiversOf(web)).toEqual([{ ...SPREAD, expires: '2027-01-31' }]);
    expect(() => Hardening.addWaiver(web, RuleId.POD_RUN_AS_NON_ROOT, SPREAD.reason, { expires: 'soon' })).toThrow(/add\/web: waiver for "pod-run-as-non-root": expires must be a date/);
  });

  test('a bad expiry, owner or reason fails at construction, naming the construct', () => {
    expect(() => app({ ...SPREAD, expires: '2027-02-29' })).toThrow(/gov\/web: waiver for "workload-spread-or-anti-affinity": expires must be a date YYYY-MM-DD/);
    expect(() => app({ ...SPREAD, owner: ' ' })).toThrow(/owner must be one line of text/);
    expect(() => app({ ...SPREAD, reason: `${'\u200b'.repeat(20)}` })).toThrow(/at least 10 visible characters/);
  });
});

describe('Hardening.enforce and the waiver governance', () => {
  test('an expired waiver fails synth saying the date; it holds through its expires day (EnforceOptions.today)', () => {
    const message = synthError(() => app({ ...SPREAD, expires: '2026-11-30' }).root.synth());
    expect(message).toMatch(/violates workload-spread-or-anti-affinity .*\(waiver not honoured: the waiver expired on 2026-11-30\)/);
    expect(() => app({ ...SPREAD, expires: '2026-11-30' }, { today: '2026-11-30' }).root.synth()).not.toThrow();
  });

  test('required fields and the lifetime cap', () => {
    const { ticket, ...noTicket } = SPREAD;
    void ticket;
    expect(synthError(() => app(noTicket, { waiverGovernance: { requireTicket: true } }).root.synth()))
      .toMatch(/the waiver has no ticket \(the waiver governance requires it\)/);
    expect(synthError(() => app(SPREAD, { waiverGovernance: { strictRules: [RuleId.WORKLOAD_SPREAD_OR_ANTI_AFFINITY] } }).root.synth()))
      .toMatch(/the waiver has no expires \(workload-spread-or-anti-affinity is a strict rule of the waiver governance\)/);
    expect(synthError(() => app({ ...SPREAD, expires: '2027-12-01' }, { waiverGovernance: { maxLifetimeDays: 30 } }).root.synth()))
      .toMatch(/expires on 2027-12-01, beyond the governance's 30-day cap \(latest 2026-12-31\)/);
    expect(() => app({ ...SPREAD, expires: '2026-12-20' }, { waiverGovernance: { maxLifetimeDays: 30, requireOwner: true, requireTicket: true } }).root.synth()).not.toThrow();
  });

  test('an unused waiver fails synth under UnusedWaivers.ERROR and passes by default', () => {
    const build = (unused?: UnusedWaivers) => {
      const { app: root, chart } = newChart('unused');
      new ApiObject(chart, 'pod', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p', annotations: { [WAIVERS_ANNOTATION]: '[{"ruleId":"pod-privileged","reason":"nothing is privileged any more"}]' } },
        spec: { containers: [{ name: 'a', image: 'registry.example.com/a@sha256:' + 'a'.repeat(64) }] },
      });
      Hardening.enforce(root, unused ? { waiverGovernance: { unused } } : {});
      return root;
    };
    const strict = synthError(() => build(UnusedWaivers.ERROR).synth());
    expect(strict).toMatch(/unused waiver: pod-privileged on Pod shop\/p finds nothing there: remove the waiver \(the waiver governance makes unused waivers errors\)/);
    // By default it is a warning: in the report when synth fails for other reasons, on stderr when it passes.
    const lenient = synthError(() => build().synth());
    expect(lenient).toMatch(/\n  warning: unused waiver: pod-privileged on Pod shop\/p finds nothing there: remove the waiver$/);
    expect(lenient).not.toMatch(/makes unused waivers errors/);
    // When synth passes, the warning still reaches a human: on stderr, with the construct path.
    const clean = () => {
      const { app: root, chart } = newChart('quiet');
      new HardenedDeployment(chart, 'web', {
        containers: [webContainer()],
        replicas: 2,
        topologySpread: TopologySpread.NONE,
        waivers: [SPREAD, { ruleId: RuleId.POD_READ_ONLY_ROOT_FILESYSTEM, reason: 'the app used to write its pid file' }],
      });
      Hardening.enforce(root, { skip: SET_RULES });
      return root;
    };
    const lines: string[] = [];
    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      clean().synth();
    } finally {
      quiet.mockRestore();
    }
    expect(lines.filter((l) => l.includes('unused waiver'))).toEqual([
      expect.stringMatching(/^cdk8s-hardened: warning: unused waiver: pod-read-only-root-filesystem on Deployment shop\/quiet-web-[a-z0-9]+ finds nothing there: remove the waiver \(quiet\/web\/Resource\)\n$/),
    ]);
  });

  test('bad options fail at enforce(), naming the option', () => {
    const { chart } = newChart('bad');
    expect(() => Hardening.enforce(chart, { today: '2026-02-30' })).toThrow(/EnforceOptions.today: "2026-02-30" is not a date/);
    const other = newChart('bad2').chart;
    expect(() => Hardening.enforce(other, { waiverGovernance: { strictRules: ['pod-nope'] } })).toThrow(/EnforceOptions.waiverGovernance: waivers.strictRules names unknown rule "pod-nope"/);
  });
});
