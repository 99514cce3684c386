import { ApiObject, App, Chart } from 'cdk8s';
import { resources } from './helpers';
import { Hardening, HardenedDeployment, HardeningPolicy, PodSecurityLevel, Severity, UnusedWaivers } from '../../src';
import { engineOptions } from '../../src/constructs/enforce-options';

const pod = (namespace: string, name: string, securityContext: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'app', image: 'registry.example.com/app@sha256:' + 'a'.repeat(64), securityContext }] },
});
const ROOT = { runAsUser: 0, allowPrivilegeEscalation: false };
const RULES = ['pod-privileged', 'pod-run-as-user'];
const apiObjects = (scope: Chart) => scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));

describe('HardeningPolicy', () => {
  test('props are validated by the same schema as the file, errors naming the key', () => {
    expect(() => new HardeningPolicy({ grants: [{ name: 'Team B', namespace: 'team-b', level: PodSecurityLevel.BASELINE, reason: 'long enough reason' }] }))
      .toThrow(/^HardeningPolicy: grants\[0\]\.name: "Team B" does not match/);
    expect(() => new HardeningPolicy({ skip: ['pod-privilegd'] })).toThrow('HardeningPolicy: skip: unknown rule id "pod-privilegd"');
    expect(() => new HardeningPolicy({ level: 'strict' as PodSecurityLevel })).toThrow('HardeningPolicy: level: must be one of "baseline", "restricted"');
    expect(() => new HardeningPolicy({ waivers: { unused: 'ignore' as UnusedWaivers } })).toThrow('HardeningPolicy: waivers.unused: must be one of "warn", "error"');
    expect(new HardeningPolicy({}).source).toBe('HardeningPolicy');
  });
});

describe('waiver governance', () => {
  test('the policy passes its waivers section on as waiverGovernance to the engine options of every judge', () => {
    const policy = new HardeningPolicy({ waivers: { requireOwner: true, maxLifetimeDays: 30 } });
    expect(engineOptions({ policy }).waiverGovernance).toEqual({ requireOwner: true, maxLifetimeDays: 30 });
  });
});

describe('peer exemptions', () => {
  // A Polaris exemption of runAsRootAllowed (pod-run-as-non-root's reference), with the reason peer exemptions need.
  const NON_ROOT = ['pod-run-as-non-root'];
  const exempted = (scope: Chart) => {
    const object = pod('shop', 'p', ROOT);
    new ApiObject(scope, 'P', {
      ...object,
      metadata: { ...object.metadata, annotations: { 'polaris.fairwinds.com/runAsRootAllowed-exempt': 'true', 'hardened.cdk8s.io/peer-exemption-reason': 'vendor image runs as root until 4.2' } },
    } as any);
  };

  test('peerExemptions: true honours them at synth, as the policy file does for check', () => {
    const chart = new Chart(new App(), 'Shop');
    exempted(chart);
    Hardening.enforce(chart, { policy: new HardeningPolicy({ rules: NON_ROOT, peerExemptions: true }) });
    expect(chart.node.validate()).toEqual([]);
    expect(engineOptions({ policy: new HardeningPolicy({ peerExemptions: true }) }).peerExemptions).toBe(true);
  });

  test('without it they are not read, and the finding fails synth', () => {
    const chart = new Chart(new App(), 'Shop');
    exempted(chart);
    Hardening.enforce(chart, { policy: new HardeningPolicy({ rules: NON_ROOT }) });
    expect(chart.node.validate().join('\n')).toMatch(/pod-run-as-non-root/);
  });
});

describe('recorded relaxations', () => {
  test('skip, level and minSeverity are written on every object they cover, with the reason and source', () => {
    const app = new App();
    const chart = new Chart(app, 'Shop');
    new ApiObject(chart, 'P', pod('shop', 'p', { allowPrivilegeEscalation: false }) as any);
    const policy = new HardeningPolicy({ rules: RULES, overrides: [{ ruleId: 'pod-privileged', disable: true, reason: 'node agents are judged by their own repo' }] });
    Hardening.enforce(chart, { policy, level: PodSecurityLevel.BASELINE, minSeverity: Severity.CRITICAL });
    expect(chart.node.validate()).toEqual([]);
    const recorded = JSON.parse(apiObjects(chart)[0].toJson().metadata.annotations['hardened.cdk8s.io/not-judged']);
    expect(recorded).toEqual([
      { source: 'level baseline (Hardening.enforce(Shop) with policy HardeningPolicy)', rules: ['pod-run-as-user'], reason: 'the restricted Pod Security Standards controls are not judged at baseline' },
      { source: 'overrides disable (Hardening.enforce(Shop) with policy HardeningPolicy)', rules: ['pod-privileged'], reason: 'node agents are judged by their own repo' },
    ]);
  });

  test('a full run writes nothing', () => {
    const chart = new Chart(new App(), 'Shop');
    new ApiObject(chart, 'P', pod('shop', 'p', { allowPrivilegeEscalation: false }) as any);
    Hardening.enforce(chart, { policy: new HardeningPolicy({ rules: RULES }) });
    chart.node.validate();
    expect(apiObjects(chart)[0].toJson().metadata.annotations).toBeUndefined();
  });
});

describe('team grants at synth', () => {
  const build = (grantPath?: string) => {
    const app = new App();
    const root = new Chart(app, 'Org');
    const teamB = new Chart(root, 'TeamB');
    const other = new Chart(root, 'Other');
    new ApiObject(teamB, 'Web', pod('team-b', 'web', ROOT) as any);
    new ApiObject(other, 'Web', pod('team-b', 'batch', ROOT) as any);
    const policy = new HardeningPolicy({
      rules: RULES,
      grants: [{ name: 'team-b', namespace: 'team-b', ...(grantPath ? { path: grantPath } : {}), level: PodSecurityLevel.BASELINE, reason: 'team B migrates by 2027-03-01' }],
    });
    Hardening.enforce(root, { policy });
    return { root, teamB, other };
  };

  test('a grant relaxes its namespace; a path narrows it to the constructs under the path', () => {
    const whole = build();
    expect(whole.root.node.validate()).toEqual([]);
    const narrowed = build('Org/TeamB');
    const errors = narrowed.root.node.validate().join('\n');
    expect(errors).toContain('pod-run-as-user  high      Pod/team-b/batch (Org/Other/Web)');
    expect(errors).not.toMatch(/Pod\/team-b\/web \(Org\/TeamB\/Web\)\s+spec[^\n]*\n\s+container/);
    expect(apiObjects(narrowed.teamB)[0].toJson().metadata.annotations['hardened.cdk8s.io/policy-grant']).toBe('[{"name":"team-b","level":"baseline","reason":"team B migrates by 2027-03-01"}]');
    expect(apiObjects(narrowed.other)[0].toJson().metadata.annotations?.['hardened.cdk8s.io/policy-grant']).toBeUndefined();
  });

  test('a nested enforce that asks for less than its parent is an error naming the fix, unless a grant covers it', () => {
    const app = new App();
    const root = new Chart(app, 'Org');
    const teamB = new Chart(root, 'TeamB');
    Hardening.enforce(root, { policy: new HardeningPolicy({ rules: RULES }) });
    expect(() => Hardening.enforce(teamB, { level: PodSecurityLevel.BASELINE })).toThrow(
      /^Org\/TeamB: Hardening\.enforce asks for less than the enclosing enforced scope \(level BASELINE under a RESTRICTED scope\).*Fix: add a grant to the enclosing policy/,
    );
    expect(() => Hardening.enforce(teamB, { skip: ['pod-privileged'] })).toThrow(/\(skip pod-privileged\)/);
    expect(() => Hardening.enforce(teamB, { minSeverity: Severity.HIGH })).toThrow(/minSeverity high above the enclosing low/);

    const granted = build('Org/TeamB');
    expect(() => Hardening.enforce(granted.teamB, { level: PodSecurityLevel.BASELINE })).not.toThrow();
    // A grant of a level is not a grant of other rules.
    expect(() => Hardening.enforce(granted.other, { level: PodSecurityLevel.BASELINE })).toThrow(/level BASELINE/);
  });
});

describe('hardened workloads judge themselves with the policy', () => {
  test("the policy's exemptions hold in a workload's self-check, as in the CLI", () => {
    const build = (exempt: boolean) => {
      const chart = new Chart(new App(), 'Shop');
      const exemptions = exempt ? [{ ruleId: 'image-digest', reason: 'tags until the registry signs images', kind: 'Deployment' }] : [];
      Hardening.enforce(chart, { policy: new HardeningPolicy({ rules: ['image-digest'], exemptions }) });
      new HardenedDeployment(chart, 'web', { owner: 'team-shop', containers: [{ image: 'registry.example.com/web:1.2', resources }] });
      return chart;
    };
    // The self-check runs its own rule set (probes, namespace): only image-digest is compared here.
    const errors = (chart: Chart) => {
      try {
        chart.toJson();
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(errors(build(false))).toMatch(/\[Shop\/web\] HardenedDeployment violates image-digest/);
    expect(errors(build(true))).not.toMatch(/image-digest/);
  });
});

describe("the policy's exemptions are judged like waivers at synth, as the CLI judges them", () => {
  const synthErrors = (exemption: Record<string, string>, enforce: Record<string, unknown> = {}) => {
    const chart = new Chart(new App(), 'Shop');
    const policy = new HardeningPolicy({
      rules: ['pod-run-as-user'],
      waivers: { requireOwner: true },
      exemptions: [{ ruleId: 'pod-run-as-user', reason: 'the legacy image needs root until PLAT-9', kind: 'Pod', ...exemption }],
    });
    Hardening.enforce(chart, { policy, today: '2026-12-01', ...enforce });
    new ApiObject(chart, 'legacy', pod('shop', 'legacy', ROOT));
    try {
      chart.toJson();
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  test('an exemption short of the governance is not honoured', () => {
    expect(synthErrors({})).toMatch(/pod-run-as-user[\s\S]*config exemption not honoured: the waiver has no owner \(the waiver governance requires it\)/);
    expect(synthErrors({ owner: 'team-legacy' })).toBe('');
  });

  test('an expired exemption is not honoured, on the day the enforcement judges', () => {
    expect(synthErrors({ owner: 'team-legacy', expires: '2026-11-30' })).toMatch(/config exemption not honoured: the waiver expired on 2026-11-30/);
    expect(synthErrors({ owner: 'team-legacy', expires: '2026-11-30' }, { today: '2026-11-30' })).toBe('');
  });
});
