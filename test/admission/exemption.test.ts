/**
 * Exemptions agree: for random waiver annotations (canonical or not), random waiver policies (the params) and
 * random namespaces, the CEL verdict of a rule's policy equals the engine's verdict with the same waivers and the
 * same policy. The objects always violate the rule, so the verdict is exactly "exempt or not".
 */
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { compile, evaluatePolicy } from './cel-harness';
import { AdmissionPolicies } from '../../src';
import { paramsConfigMap, PARAMS_NAME, waiverParamsData } from '../../src/admission/params';
import { buildAdmissionPolicies, buildPolicy } from '../../src/admission/policies';
import type { K8sObject } from '../../src/core/types';
import { HOST_ACCESS_RULES, WAIVERS_SYNTH_DATE_KEY, WaiverPolicy, waiverPermitted, waiverPolicyErrors } from '../../src/core/waiver-policy';
import { canonicalWaiversSource, formatWaivers, parseWaivers, WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects } from '../../src/engine/engine';
import { findRule } from '../../src/rules';

const known = (id: string) => findRule(id) !== undefined;

/** Objects that violate their rule, with the annotation where every judge reads that rule's waivers. */
const violators: Record<string, (namespace: string, annotations: Record<string, string>) => K8sObject> = {
  'pod-privileged': (namespace, annotations) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace },
    spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' }, annotations }, spec: { containers: [{ name: 'a', image: 'a', securityContext: { privileged: true } }] } } },
  }),
  'pod-read-only-root-filesystem': (namespace, annotations) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace, annotations },
    spec: { containers: [{ name: 'a', image: 'a' }] },
  }),
  'rbac-cluster-admin-binding': (namespace, annotations) => (namespace === 'cluster'
    ? { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b', annotations }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'alice' }] }
    : { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace, annotations }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'alice' }] }),
};
const RULES = Object.keys(violators);
const POLICIES = new Map(RULES.map((id) => [id, buildPolicy(findRule(id)!)]));

const reason = fc.constantFrom(
  'reviewed by the platform team',
  '0123456789', // exactly the minimum
  '012345678', // one short
  '',
  'short',
  ' padded reason text',
  'padded reason text ',
  '\u00a0nbsp-led reason',
  'reason with "quotes" and \\ a backslash',
  'naïve café reason 😀 ok',
  '😀😀😀😀😀😀😀😀😀😀', // ten code points, twenty UTF-16 units
  '😀😀😀😀😀😀😀😀😀', // nine code points, eighteen UTF-16 units
  'line\nbreak in the reason',
  'tab\tinside the reason',
  'line\u2028separator reason',
  'C1 \u0085 control reason',
  '\u200b'.repeat(12), // zero-width spaces only
  '012345678\u200b\u200d\ufeff', // nine visible characters padded with format characters
  '01234\u200b56789', // ten visible characters around a zero-width space
  '\u200b0123456789', // starts with an invisible character
  '0 1 2 3 4 5 6 7 8', // nine visible characters padded with spaces
  '\u3164\u3164\u3164\u3164\u3164\u3164\u3164\u3164\u3164\u3164x', // Hangul fillers
);
/** The fixed clock of the tests (test/setup-clock.ts) and expiry dates around it, some not calendar days. */
const CLOCK = '2026-12-01';
const expires = fc.constantFrom('2026-11-30', '2026-12-01', '2026-12-02', '2027-06-01', '2025-01-01', '2026-02-30', '2027-02-29', '2028-02-29', '2026-13-01', '26-12-01');
const fieldText = fc.constantFrom('team-payments', 'JIRA-123', '', ' padded', 'x', 'a\u200b');
const goodReason = fc.constantFrom('reviewed by the platform team', 'reason with "quotes" and \\ a backslash', '0123456789', '😀😀😀😀😀😀😀😀😀😀');
const otherId = fc.constantFrom(...RULES, 'pod-run-as-user', 'pod-nope', 'Pod-Privileged', '');
/** Entries, often naming `target` with a good reason, so that exemptions are frequent. */
const entries = (target: string) => fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ ruleId: fc.constant(target), reason: goodReason }) },
    { weight: 3, arbitrary: fc.record({ ruleId: otherId, reason }) },
    { weight: 3, arbitrary: fc.record({ ruleId: fc.constant(target), reason: goodReason, expires, owner: fieldText, ticket: fieldText }, { requiredKeys: ['ruleId', 'reason'] }) },
  ),
  { maxLength: 3 },
);
const forms = ['canonical', 'sorted', 'spaced', 'keys-swapped', 'slash-escaped', 'extra-key', 'no-reason', 'object', 'garbage'] as const;
const form = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('canonical', 'sorted') }, { weight: 4, arbitrary: fc.constantFrom(...forms) });

/** The annotation text: canonical JSON, or one of the forms a hand-written annotation takes. */
const annotationFor = (target: string) => fc.tuple(entries(target), form)
  .map(([list, shape]) => {
    switch (shape) {
      case 'canonical': return JSON.stringify(list);
      case 'sorted': return formatWaivers(list);
      case 'spaced': return JSON.stringify(list, null, 1);
      case 'keys-swapped': return JSON.stringify(list.map((e) => ({ reason: e.reason, ruleId: e.ruleId })));
      case 'slash-escaped': return JSON.stringify(list.map((e) => ({ ...e, reason: `${e.reason}/x` }))).replace(/\//g, '\\/');
      case 'extra-key': return JSON.stringify(list.map((e) => ({ ...e, by: 'me' })));
      case 'no-reason': return JSON.stringify(list.map((e) => ({ ruleId: e.ruleId })));
      case 'object': return JSON.stringify(list[0] ?? {});
      default: return `${JSON.stringify(list)}x`;
    }
  });

const annotation = fc.constantFrom(...RULES).chain(annotationFor);
const ruleList = fc.subarray(['*', ...RULES, 'pod-run-as-user']);
const waiverPolicy: fc.Arbitrary<WaiverPolicy> = fc
  .record({ allNamespaces: ruleList, clusterScoped: ruleList, app: ruleList, shop: ruleList })
  .map(({ allNamespaces, clusterScoped, app, shop }) => ({
    // Host access is refused outside named namespaces (waiverPolicyErrors), so random lists leave it out there.
    allNamespaces: allNamespaces.filter((r) => !HOST_ACCESS_RULES.includes(r)),
    clusterScoped: clusterScoped.filter((r) => !HOST_ACCESS_RULES.includes(r)),
    namespaces: { app, shop },
  }));

function engineDenies(rule: string, object: K8sObject, policy: WaiverPolicy): boolean {
  return checkObjects([{ object }], { rules: [rule], waiverPolicy: policy, today: CLOCK }).findings.length > 0;
}

function celDenies(rule: string, object: K8sObject, policy: WaiverPolicy, synthDate: string | null = CLOCK): boolean {
  const data = { ...waiverParamsData(policy), ...(synthDate ? { [WAIVERS_SYNTH_DATE_KEY]: synthDate } : {}) };
  const params = paramsConfigMap({ name: PARAMS_NAME, namespace: 'kube-system' }, data);
  return evaluatePolicy(POLICIES.get(rule)!, object, { params }).failures.length > 0;
}

describe('exemption agreement (CEL vs engine)', () => {
  test('fast-check: random annotations x random params x namespaces, three rules (host access, pod, RBAC)', () => {
    let exempt = 0;
    let runs = 0;
    const ruleAndAnnotation = fc.constantFrom(...RULES).chain((r) => fc.tuple(fc.constant(r), annotationFor(r)));
    fc.assert(
      fc.property(ruleAndAnnotation, waiverPolicy, fc.constantFrom('app', 'shop', 'other', 'cluster'), ([rule, text], policy, namespace) => {
        expect(waiverPolicyErrors(policy, known)).toEqual([]);
        const object = violators[rule](namespace === 'cluster' ? (rule.startsWith('rbac') ? 'cluster' : 'app') : namespace, { [WAIVERS_ANNOTATION]: text });
        const engine = engineDenies(rule, object, policy);
        const sample = [rule, text, JSON.stringify(policy), namespace];
        expect([...sample, celDenies(rule, object, policy)]).toEqual([...sample, engine]);
        runs++;
        if (!engine) exempt++;
      }),
      { numRuns: 1500, seed: 20261201 },
    );
    // Both verdicts occur often enough for the agreement to mean something.
    expect(exempt).toBeGreaterThan(runs / 20);
    expect(runs - exempt).toBeGreaterThan(runs / 2);
  });

  test('the canonical language: the engine\'s RegExp and RE2 (the API server\'s regex engine) accept the same strings', () => {
    // CEL's matches() is RE2 (@bufbuild/cel runs RE2 in JavaScript, as cel-go does in the API server).
    const re2 = compile(`text.matches(${JSON.stringify(canonicalWaiversSource('re2'))})`);
    const js = new RegExp(canonicalWaiversSource('js'), 'u');
    fc.assert(
      fc.property(annotation, (text) => {
        expect([text, re2({ text } as never)]).toEqual([text, js.test(text)]);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  test('waiverPermitted: host access only where a namespace names it; `*` and allNamespaces never include it', () => {
    const policy: WaiverPolicy = { allNamespaces: ['*'], namespaces: { agents: ['pod-privileged'], app: ['*'] }, clusterScoped: ['*'] };
    expect(waiverPermitted(policy, 'pod-privileged', { clusterScoped: false, namespace: 'agents' })).toBe(true);
    expect(waiverPermitted(policy, 'pod-privileged', { clusterScoped: false, namespace: 'app' })).toBe(false);
    expect(waiverPermitted(policy, 'pod-privileged', { clusterScoped: true })).toBe(false);
    expect(waiverPermitted(policy, 'pod-run-as-user', { clusterScoped: false, namespace: 'elsewhere' })).toBe(true);
    expect(waiverPermitted({}, 'pod-run-as-user', { clusterScoped: false, namespace: 'app' })).toBe(false);
    // `constructor` and other Object.prototype names are not namespaces of the policy.
    expect(waiverPermitted({ namespaces: {} }, 'pod-run-as-user', { clusterScoped: false, namespace: 'constructor' })).toBe(false);
  });

  test('the engine honours only the canonical form, and says how to write it', () => {
    const read = (text: string) => parseWaivers({ [WAIVERS_ANNOTATION]: text }, known);
    expect(read('[{"ruleId":"pod-privileged","reason":"node agent needs it"}]')).toEqual({ waivers: [{ ruleId: 'pod-privileged', reason: 'node agent needs it' }], errors: [] });
    expect(read('[{"ruleId": "pod-privileged", "reason": "node agent needs it"}]')).toEqual({
      waivers: [],
      errors: [
        'annotation hardened.cdk8s.io/waivers is not in the canonical form every judge reads alike, so none of its waivers is honoured: write it exactly as [{"ruleId":"pod-privileged","reason":"node agent needs it"}]',
      ],
    });
    expect(read('[{"ruleId":"pod-privileged"}]').errors[0]).toMatch(/waiver for "pod-privileged" needs a reason of at least 10 visible characters on one line .*\(it is missing\)/);
    expect(read('[{"ruleId":"pod-privileged","reason":"line\\nbreak reason"}]').errors[0]).toMatch(/U\+000A/);
    expect(read('{"ruleId":"pod-privileged"}').errors[0]).toMatch(/must be a JSON array/);
    expect(read('nope').errors[0]).toMatch(/is not valid JSON/);
    const twice = read('[{"ruleId":"pod-privileged","reason":"node agent needs it"},{"ruleId":"pod-privileged","reason":"another reason here"}]');
    expect(twice).toEqual({ waivers: [], errors: ['annotation hardened.cdk8s.io/waivers names pod-privileged 2 times: keep one entry (none of them is honoured)'] });
    const unknown = read('[{"ruleId":"pod-nope","reason":"node agent needs it"},{"ruleId":"pod-privileged","reason":"node agent needs it"}]');
    expect(unknown.waivers.map((w) => w.ruleId)).toEqual(['pod-privileged']);
    expect(unknown.errors).toEqual(['annotation hardened.cdk8s.io/waivers: waiver names unknown rule "pod-nope" (list the rules with `cdk8s-hardened rules`)']);
  });
});

describe('waiver expiry at admission and in the engine', () => {
  const policy: WaiverPolicy = { allNamespaces: ['pod-read-only-root-filesystem'] };
  const pod = (entry: object) => violators['pod-read-only-root-filesystem']('app', { [WAIVERS_ANNOTATION]: formatWaivers([entry as any]) });
  const entry = { ruleId: 'pod-read-only-root-filesystem', reason: 'legacy app writes its pid file', owner: 'team-shop', ticket: 'SHOP-12' };

  test('a waiver holds through its expires day, at admission (against the params date) and in the engine (against today)', () => {
    for (const [expiresOn, honoured] of [['2026-11-30', false], ['2026-12-01', true], ['2027-01-01', true]] as const) {
      const object = pod({ ...entry, expires: expiresOn });
      expect([expiresOn, celDenies('pod-read-only-root-filesystem', object, policy)]).toEqual([expiresOn, !honoured]);
      expect([expiresOn, engineDenies('pod-read-only-root-filesystem', object, policy)]).toEqual([expiresOn, !honoured]);
    }
    const result = checkObjects([{ object: pod({ ...entry, expires: '2026-11-30' }) }], { rules: ['pod-read-only-root-filesystem'], today: CLOCK });
    expect(result.findings[0].message).toMatch(/\(waiver not honoured: the waiver expired on 2026-11-30\)$/);
    expect(result.findings[0].refusedWaiver?.waiver.expires).toBe('2026-11-30');
  });

  test('params without a synth date honour no waiver that has an expiry (the cluster cannot tell the day), and the rest as before', () => {
    expect(celDenies('pod-read-only-root-filesystem', pod({ ...entry, expires: '2099-01-01' }), policy, null)).toBe(true);
    expect(celDenies('pod-read-only-root-filesystem', pod(entry), policy, null)).toBe(false);
  });

  test('the admission params carry the synth date of the judges\' clock', () => {
    expect(buildAdmissionPolicies({ rules: ['pod-privileged'], today: '2027-03-04' }).params.data).toEqual({ [WAIVERS_SYNTH_DATE_KEY]: '2027-03-04' });
    expect(buildAdmissionPolicies({ rules: ['pod-privileged'] }).params.data).toEqual({ [WAIVERS_SYNTH_DATE_KEY]: CLOCK });
    expect(() => buildAdmissionPolicies({ rules: ['pod-privileged'], today: '2027-02-29' })).toThrow(/today: "2027-02-29" is not a date YYYY-MM-DD/);
  });

  test('an expiry that is not a calendar day keeps the annotation from the canonical form; reasons count visible characters', () => {
    const read = (text: string) => parseWaivers({ [WAIVERS_ANNOTATION]: text }, known);
    expect(read('[{"ruleId":"pod-privileged","expires":"2027-02-29","reason":"node agent needs it"}]')).toEqual({
      waivers: [],
      errors: [expect.stringMatching(/not in the canonical form .*waiver for "pod-privileged": expires must be a date YYYY-MM-DD \(got "2027-02-29"\)/)],
    });
    expect(read('[{"ruleId":"pod-privileged","expires":"2028-02-29","reason":"node agent needs it"}]').errors).toEqual([]);
    expect(read(`[{"ruleId":"pod-privileged","reason":"${'\u200b'.repeat(10)}x"}]`).errors[0]).toMatch(/starts or ends with white space or an invisible character/);
    expect(read('[{"ruleId":"pod-privileged","reason":"a\u200bb\u200bc\u200bd\u200be"}]').errors[0]).toMatch(/it has 5 visible characters/);
    expect(read('[{"ruleId":"pod-privileged","reason":"node agent needs it","expires":"2027-01-01"}]').errors[0])
      .toMatch(/write it exactly as \[\{"ruleId":"pod-privileged","expires":"2027-01-01","reason":"node agent needs it"\}\]/);
    expect(read('[{"ruleId":"pod-privileged","reason":"node agent needs it","by":"me"}]').errors[0]).toMatch(/unknown key "by" \(allowed: ruleId, expires, owner, reason, ticket\)/);
  });
});

describe('AdmissionPolicies and the synth date', () => {
  test('the construct writes its today prop (or the judges\' clock) and refuses a bad one, naming the construct', () => {
    const dataOf = (today?: string) => {
      const chart = new Chart(new App(), 'c');
      new AdmissionPolicies(chart, 'admission', { rules: ['pod-privileged'], today });
      return Testing.synth(chart).find((o: any) => o.kind === 'ConfigMap').data;
    };
    expect(dataOf('2027-05-06')).toEqual({ [WAIVERS_SYNTH_DATE_KEY]: '2027-05-06' });
    expect(dataOf()).toEqual({ [WAIVERS_SYNTH_DATE_KEY]: CLOCK });
    expect(() => dataOf('May 6')).toThrow(/c\/admission: today: "May 6" is not a date YYYY-MM-DD/);
  });
});
