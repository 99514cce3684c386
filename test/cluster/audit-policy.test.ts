import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { configSchemaErrors } from './validate-config';
import { AuditedServiceAccount, AuditLevel, AuditPolicy, AuditPolicyRule } from '../../src';
import { checkObjects } from '../../src/engine/engine';

/** A concrete request, as the API server's policy checker sees it. */
interface Request {
  readonly user: string;
  readonly groups: string[];
  readonly verb: string;
  readonly namespace: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
}

/**
 * An independent reimplementation of the API server's first-match policy evaluation for resource requests
 * (k8s.io/apiserver/pkg/audit/policy/checker.go semantics), to test the synthesized policy, not the
 * library's own analysis.
 */
function levelFor(rules: any[], req: Request): string | undefined {
  for (const rule of rules) {
    if (rule.users && !rule.users.includes(req.user)) continue;
    if (rule.userGroups && !rule.userGroups.some((g: string) => req.groups.includes(g))) continue;
    if (rule.verbs && !rule.verbs.includes(req.verb)) continue;
    if (rule.nonResourceURLs) continue;
    if (rule.namespaces && !rule.namespaces.includes(req.namespace)) continue;
    if (rule.resources) {
      const full = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
      const hit = rule.resources.some((gr: any) => {
        if ((gr.group ?? '') !== req.group) return false;
        if (!gr.resources || gr.resources.length === 0) return true;
        return gr.resources.some((p: string) => {
          if (p === full) return true;
          if (p === '*' && !req.subresource) return true;
          if (p === `${req.resource}/*` && req.subresource) return true;
          if (p === `*/${req.subresource}` && req.subresource) return true;
          return p === '*/*' && req.subresource !== undefined;
        });
      });
      if (!hit) continue;
    }
    return rule.level;
  }
  return undefined;
}

const RANK: Record<string, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

function policyOf(build: (chart: Chart) => void): any {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  build(chart);
  app.synthYaml(); // runs the construct validations
  const policy = Testing.synth(chart)[0];
  expect(configSchemaErrors(policy)).toEqual([]);
  return policy;
}

const SENSITIVE: Array<Pick<Request, 'group' | 'resource' | 'subresource'>> = [
  { group: '', resource: 'secrets' },
  { group: '', resource: 'configmaps' },
  { group: '', resource: 'serviceaccounts', subresource: 'token' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews' },
];

describe('AuditPolicy', () => {
  test('default policy: snapshot, Metadata cap for sensitive resources, RequestResponse for RBAC and exec', () => {
    const policy = policyOf((c) => new AuditPolicy(c, 'Audit'));
    expect(policy).toMatchSnapshot();
    expect(policy.apiVersion).toBe('audit.k8s.io/v1');
    expect(policy.kind).toBe('Policy');
    expect(policy.omitStages).toEqual(['RequestReceived']);
    const admin = { user: 'alice', groups: ['system:masters'], namespace: 'prod' };
    for (const target of SENSITIVE) {
      for (const verb of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']) {
        expect(levelFor(policy.rules, { ...admin, verb, ...target })).toBe('Metadata');
      }
    }
    const user = { user: 'bob', groups: ['dev'], namespace: 'prod' };
    expect(levelFor(policy.rules, { ...user, verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' })).toBe('RequestResponse');
    expect(levelFor(policy.rules, { ...user, verb: 'create', group: '', resource: 'pods', subresource: 'exec' })).toBe('RequestResponse');
    expect(levelFor(policy.rules, { ...user, verb: 'get', group: '', resource: 'pods', subresource: 'attach' })).toBe('RequestResponse');
    expect(levelFor(policy.rules, { ...user, verb: 'create', group: '', resource: 'pods' })).toBe('Request');
    expect(levelFor(policy.rules, { ...user, verb: 'get', group: '', resource: 'pods' })).toBe('Metadata');
    // system:masters gets bodies for everything except sensitive resources
    expect(levelFor(policy.rules, { ...admin, verb: 'get', group: '', resource: 'pods' })).toBe('RequestResponse');
    // noise: kube-proxy watching endpoints is dropped, its other requests are not
    const proxy = { user: 'system:kube-proxy', groups: ['system:authenticated'], namespace: 'default' };
    expect(levelFor(policy.rules, { ...proxy, verb: 'watch', group: 'discovery.k8s.io', resource: 'endpointslices' })).toBe('None');
    expect(levelFor(policy.rules, { ...proxy, verb: 'create', group: 'discovery.k8s.io', resource: 'endpointslices' })).toBe('Metadata');
    expect(policy.rules.some((r: any) => r.level === 'None' && r.nonResourceURLs?.includes('/livez*'))).toBe(true);
    expect(policy.rules[policy.rules.length - 1]).toEqual({ level: 'Metadata' });
  });

  test('contributed rules come after the Metadata cap and before the built-in detection rules', () => {
    const source = { auditPolicyRules: (): AuditPolicyRule[] => [{ level: AuditLevel.REQUEST_RESPONSE, users: ['system:serviceaccount:ci:deployer'] }] };
    const policy = policyOf((c) => {
      const p = new AuditPolicy(c, 'Audit', { rules: [{ level: AuditLevel.REQUEST, userGroups: ['contractors'] }] });
      p.addSource(source);
    });
    const index = (pred: (r: any) => boolean) => policy.rules.findIndex(pred);
    const cap = index((r) => r.level === 'Metadata' && r.resources?.some((g: any) => g.resources?.includes('secrets')));
    const fromSource = index((r) => r.users?.includes('system:serviceaccount:ci:deployer'));
    const fromOperator = index((r) => r.userGroups?.includes('contractors'));
    const rbac = index((r) => r.resources?.some((g: any) => g.group === 'rbac.authorization.k8s.io'));
    expect(cap).toBeGreaterThan(0);
    expect(fromSource).toBe(cap + 1); // sources first, in the order added
    expect(fromOperator).toBe(cap + 2);
    expect(rbac).toBeGreaterThan(fromOperator);
    const deployer = { user: 'system:serviceaccount:ci:deployer', groups: [], namespace: 'ci' };
    expect(levelFor(policy.rules, { ...deployer, verb: 'get', group: 'apps', resource: 'deployments' })).toBe('RequestResponse');
    expect(levelFor(policy.rules, { ...deployer, verb: 'get', group: '', resource: 'secrets' })).toBe('Metadata');
  });

  test('a contributed rule that records secrets above Metadata fails synth with path, rule id and fix', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const policy = new AuditPolicy(chart, 'Audit');
    policy.addSource({ auditPolicyRules: () => [{ level: AuditLevel.REQUEST_RESPONSE, resources: [{ group: '', resources: ['secrets'] }] }] });
    expect(() => app.synthYaml()).toThrow(/test\/Audit: contributed rule 0 records secrets at RequestResponse \[cluster-audit-secrets-metadata-only\].*set the level to Metadata/);
    // paths that skip validations fail as well
    expect(() => Testing.synth(chart)).toThrow(/cluster-audit-secrets-metadata-only/);
  });

  test('other refusals: contributed None, noise rules naming secrets, defaultLevel None, malformed rules', () => {
    const synth = (build: (p: AuditPolicy) => void) => {
      const app = Testing.app();
      build(new AuditPolicy(new Chart(app, 'test'), 'Audit'));
      return () => app.synthYaml();
    };
    expect(synth((p) => p.addRules({ level: AuditLevel.NONE, users: ['x'] }))).toThrow(/drops events \(level None\); put rules that drop traffic in addNoiseRules/);
    expect(synth((p) => p.addNoiseRules({ level: AuditLevel.NONE, resources: [{ group: '', resources: ['configmaps'] }] }))).toThrow(/noise rule 0 records configmaps at None/);
    expect(synth((p) => p.addRules({ level: AuditLevel.REQUEST, resources: [{ group: 'authentication.k8s.io', resources: ['tokenreviews'] }] }))).toThrow(/authentication.k8s.io\/tokenreviews at Request/);
    expect(synth((p) => p.addRules({ level: AuditLevel.REQUEST, verbs: [''] }))).toThrow(/verbs holds an empty entry/);
    expect(synth((p) => p.addRules({ level: AuditLevel.REQUEST, nonResourceUrls: ['/x'], resources: [{ group: '' }] }))).toThrow(/either resources or nonResourceUrls/);
    expect(() => new AuditPolicy(new Chart(Testing.app(), 'x'), 'Audit', { defaultLevel: AuditLevel.NONE })).toThrow(/defaultLevel None/);
    expect(() => new AuditPolicy(new Chart(Testing.app(), 'x'), 'Audit').addNoiseRules({ level: AuditLevel.METADATA })).toThrow(/level None only/);
    // Metadata for a sensitive resource is allowed (a duplicate of the cap, harmless)
    expect(synth((p) => p.addRules({ level: AuditLevel.METADATA, resources: [{ group: '', resources: ['secrets'] }] }))).not.toThrow();
  });

  test('rules of an AuditedServiceAccount are merged after the cap; its secret reads stay at Metadata', () => {
    let user = '';
    const policy = policyOf((c) => {
      const apps = new Chart(c, 'apps', { namespace: 'shop' });
      const sa = new AuditedServiceAccount(apps, 'checkout', { owner: 'team-shop', purpose: 'takes orders' });
      sa.allowReadSecret('payment-keys');
      user = sa.userName;
      new AuditPolicy(c, 'Audit', { sources: [sa] });
    });
    expect(user).toMatch(/^system:serviceaccount:shop:/);
    const who = { user, groups: ['system:serviceaccounts'], namespace: 'shop' };
    expect(policy.rules.some((r: any) => r.users?.includes(who.user))).toBe(true);
    expect(levelFor(policy.rules, { ...who, verb: 'get', group: '', resource: 'secrets' })).toBe('Metadata');
    expect(levelFor(policy.rules, { ...who, verb: 'update', group: '', resource: 'secrets' })).toBe('Metadata');
    expect(levelFor(policy.rules, { ...who, verb: 'patch', group: 'apps', resource: 'deployments' })).toBe('RequestResponse');
  });

  test('sensitiveResources extends the cap', () => {
    const policy = policyOf((c) => new AuditPolicy(c, 'Audit', { sensitiveResources: [{ group: 'vault.example.com', resources: ['vaultsecrets'] }], highRiskGroups: ['ops'] }));
    const req = { user: 'eve', groups: ['ops'], namespace: 'a', verb: 'get', group: 'vault.example.com', resource: 'vaultsecrets' };
    expect(levelFor(policy.rules, req)).toBe('Metadata');
    expect(levelFor(policy.rules, { ...req, resource: 'other' })).toBe('RequestResponse');
  });

  test('property: whatever non-sensitive rules are contributed, no sensitive request is recorded above Metadata', () => {
    const name = fc.constantFrom('alice', 'system:serviceaccount:a:b', 'system:kube-proxy', 'bob');
    const group = fc.constantFrom('', 'apps', 'authentication.k8s.io', 'rbac.authorization.k8s.io');
    const resourcePattern = fc.constantFrom('pods', '*', '*/*', 'deployments', 'pods/exec', 'serviceaccounts/*', '*/token');
    const level = fc.constantFrom(AuditLevel.METADATA, AuditLevel.REQUEST, AuditLevel.REQUEST_RESPONSE);
    const rule: fc.Arbitrary<AuditPolicyRule> = fc.record(
      {
        level,
        users: fc.array(name, { minLength: 1, maxLength: 2 }),
        userGroups: fc.array(fc.constantFrom('system:masters', 'dev'), { minLength: 1, maxLength: 2 }),
        verbs: fc.array(fc.constantFrom('get', 'list', 'create', 'delete'), { minLength: 1, maxLength: 3 }),
        resources: fc.array(
          fc.record({ group, resources: fc.option(fc.array(resourcePattern, { minLength: 1, maxLength: 3 }), { nil: undefined }) }),
          { minLength: 1, maxLength: 2 },
        ),
      },
      { requiredKeys: ['level'] },
    );
    const request = fc.record({
      user: name,
      groups: fc.array(fc.constantFrom('system:masters', 'dev', 'system:nodes'), { maxLength: 2 }),
      verb: fc.constantFrom('get', 'list', 'watch', 'create', 'update', 'delete'),
      namespace: fc.constantFrom('default', 'kube-system'),
      target: fc.constantFrom(...SENSITIVE),
    });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 6 }), fc.array(request, { minLength: 1, maxLength: 5 }), (rules, requests) => {
        const policy = policyOf((c) => new AuditPolicy(c, 'Audit', { rules }));
        for (const { target, ...who } of requests) {
          const lvl = levelFor(policy.rules, { ...who, ...target });
          expect(lvl).toBeDefined();
          expect(RANK[lvl!]).toBeLessThanOrEqual(RANK.Metadata);
        }
      }),
      { numRuns: 60 },
    );
  });

  test('the synthesized policy passes the catalog rule; a hand-written one that logs secrets does not', () => {
    const policy = policyOf((c) => new AuditPolicy(c, 'Audit'));
    expect(checkObjects([{ object: policy }]).findings).toEqual([]);
    const bad = {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      metadata: { name: 'bad' },
      rules: [{ level: 'Metadata', resources: [{ group: '', resources: ['secrets'], resourceNames: ['only-this'] }] }, { level: 'RequestResponse' }],
    };
    const findings = checkObjects([{ object: bad }]).findings.filter((f) => f.ruleId === 'cluster-audit-secrets-metadata-only');
    expect(findings.map((f) => f.path)).toEqual(['rules[1].level', 'rules[1].level', 'rules[1].level', 'rules[1].level']);
    expect(findings[0].message).toMatch(/secrets requests and records them at RequestResponse/);
    // a Policy of another API group (Kyverno) is not an audit policy
    const kyverno = { apiVersion: 'kyverno.io/v1', kind: 'Policy', metadata: { name: 'k', namespace: 'a' }, rules: [{ level: 'RequestResponse' }] };
    expect(checkObjects([{ object: kyverno }]).findings.filter((f) => f.ruleId.startsWith('cluster-'))).toEqual([]);
  });
});

test('a typical App writes the policy file', () => {
  const app = new App({ outdir: Testing.app().outdir });
  new AuditPolicy(new Chart(app, 'audit-policy'), 'AuditPolicy');
  expect(app.synthYaml()).toMatch(/^apiVersion: audit.k8s.io\/v1\nkind: Policy\n/);
});
