/** The admission policies: construct output, schema, selection, exemption labels, locked rules, CEL shape. */
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { comprehensionDepth, evaluatePolicy, PARAMS_NOT_FOUND } from './cel-harness';
import { admissionYaml, buildAdmissionPolicies, buildPolicy, notAtAdmissionReason, policyName } from '../../src/admission/policies';
import { AdmissionAction, AdmissionPolicies } from '../../src/constructs/admission-policies';
import { Hardening } from '../../src/constructs/hardening';
import { PodSecurityLevel } from '../../src/constructs/pod-security-level';
import { K8sObject, Severity } from '../../src/core/types';
import { WAIVERS_ANNOTATION, waiverLabel, waiverLabels } from '../../src/core/waivers';
import { checkObjects, selectRules } from '../../src/engine/engine';
import { ALL_RULES, findRule } from '../../src/rules';

const synth = (props = {}, namespace?: string) => {
  const chart = new Chart(Testing.app(), 'cluster', namespace ? { namespace } : {});
  const policies = new AdmissionPolicies(chart, 'admission', props);
  return { policies, objects: Testing.synth(chart) as K8sObject[] };
};
const nameOf = (o: K8sObject) => (o.metadata as { name: string }).name;
const specOf = (o: K8sObject) => o.spec as any;

const privilegedPod = (labels: Record<string, string> = {}) => ({
  metadata: { labels: { app: 'x', ...labels } },
  spec: { containers: [{ name: 'app', image: 'app', securityContext: { privileged: true } }] },
});
const deployment = (template: any, labels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'app', labels },
  spec: { selector: { matchLabels: { app: 'x' } }, template },
});

describe('AdmissionPolicies construct', () => {
  test('snapshot of a representative selection (pod rules with variables, RBAC permission and binding rules)', () => {
    const { objects } = synth({ rules: ['pod-privileged', 'pod-run-as-non-root', 'rbac-no-wildcard', 'rbac-cluster-admin-binding'] });
    expect(objects).toMatchSnapshot();
    expect(objects.map((o) => `${o.kind}/${nameOf(o)}`)).toHaveLength(9);
  });

  test('default: one policy and one binding per enforceable restricted rule, schema-valid', () => {
    const { policies, objects } = synth();
    const enforceable = selectRules({}).filter((r) => r.admission);
    expect(policies.policyNames).toEqual(enforceable.map((r) => policyName(r.id)));
    expect(policies.notEnforced).toEqual(selectRules({}).filter((r) => !r.admission).map((r) => r.id));
    expect(policies.notEnforced).toContain('rbac-dangling-binding');
    const vaps = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    expect(vaps).toHaveLength(enforceable.length);
    expect(bindings.map((b) => specOf(b).policyName)).toEqual(vaps.map(nameOf));
    for (const vap of vaps) {
      expect(() => new ValidatingAdmissionPolicy(vap as any).validate()).not.toThrow();
      expect(specOf(vap).failurePolicy).toBe('Fail');
      expect(specOf(vap).paramKind).toEqual({ apiVersion: 'v1', kind: 'ConfigMap' });
      const id = (vap.metadata as any).labels['hardened.cdk8s.io/rule-id'];
      for (const v of specOf(vap).validations) {
        expect(v.message.startsWith(`[${id}] `)).toBe(true);
        expect(v.expression.endsWith(' || variables.waived')).toBe(true);
      }
      // No label ever exempts: no policy reads one.
      expect(JSON.stringify(vap)).not.toContain('waive.hardened.cdk8s.io/');
    }
    for (const binding of bindings) {
      expect(() => new ValidatingAdmissionPolicyBinding(binding as any).validate()).not.toThrow();
      expect(specOf(binding).paramRef).toEqual({ name: 'hardened-admission-params', namespace: 'kube-system', parameterNotFoundAction: 'Deny' });
      expect(specOf(binding).validationActions).toEqual(['Deny']);
      expect(specOf(binding).matchResources.namespaceSelector.matchExpressions).toEqual([
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
      ]);
    }
  });

  test('cluster-scoped output: no namespace even in a namespaced chart (the params keep theirs); two synths are identical', () => {
    const first = synth({}, 'apps').objects;
    expect(first.filter((o) => o.kind !== 'ConfigMap').every((o) => (o.metadata as any).namespace === undefined)).toBe(true);
    expect(first.filter((o) => o.kind === 'ConfigMap').map((o) => (o.metadata as any).namespace)).toEqual(['kube-system']);
    expect(synth({ paramsNamespace: 'policy' }, 'apps').objects.filter((o) => o.kind === 'ConfigMap').map((o) => (o.metadata as any).namespace)).toEqual(['policy']);
    expect(JSON.stringify(synth({}, 'apps').objects)).toBe(JSON.stringify(first));
  });

  test('props select level, rules, severity, actions and excluded namespaces', () => {
    const baseline = synth({ level: PodSecurityLevel.BASELINE }).policies.policyNames;
    expect(baseline).toContain(policyName('pod-capabilities-baseline'));
    expect(baseline).not.toContain(policyName('pod-capabilities-restricted'));
    const critical = synth({ minSeverity: Severity.CRITICAL }).policies.policyNames;
    expect(critical.every((n) => findRule(n.replace('.hardened.cdk8s.io', ''))!.severity === Severity.CRITICAL)).toBe(true);
    const { objects } = synth({ rules: ['pod-privileged'], actions: [AdmissionAction.WARN, AdmissionAction.AUDIT], rolloutReason: 'warn phase until 2027-01-15', excludedNamespaces: ['monitoring', 'kube-system'] });
    expect(objects.map((o) => `${o.kind}/${nameOf(o)}`)).toEqual([
      'ConfigMap/hardened-admission-params',
      'ValidatingAdmissionPolicy/pod-privileged.hardened.cdk8s.io',
      'ValidatingAdmissionPolicyBinding/pod-privileged.hardened.cdk8s.io',
    ]);
    expect(specOf(objects[2]).validationActions).toEqual(['Warn', 'Audit']);
    expect(specOf(objects[2]).matchResources.namespaceSelector.matchExpressions[0].values).toEqual(['kube-system', 'monitoring']);
    expect(synth({ rules: ['pod-privileged'], excludedNamespaces: [] }).objects[2].spec).toEqual({
      policyName: 'pod-privileged.hardened.cdk8s.io',
      paramRef: { name: 'hardened-admission-params', namespace: 'kube-system', parameterNotFoundAction: 'Deny' },
      validationActions: ['Deny'],
    });
  });

  test('exemptionLabel names the label of a catalog rule', () => {
    expect(AdmissionPolicies.exemptionLabel('pod-run-as-user')).toBe('waive.hardened.cdk8s.io/pod-run-as-user');
    expect(() => AdmissionPolicies.exemptionLabel('pod-nope')).toThrow(/unknown rule id "pod-nope"/);
  });

  test('bad input fails with the construct path and the fix', () => {
    expect(() => synth({ actions: [AdmissionAction.DENY, AdmissionAction.WARN] })).toThrow(/cluster\/admission: admission actions Deny and Warn cannot be combined/);
    expect(() => synth({ actions: [] })).toThrow(/at least one of Deny, Warn, Audit/);
    expect(() => synth({ rules: ['pod-no-such-rule'] })).toThrow(/cluster\/admission: unknown rule id "pod-no-such-rule"/);
    expect(() => synth({ lockedRules: ['nope'] })).toThrow(/unknown rule id "nope"/);
    expect(() => synth({ rules: ['rbac-dangling-binding'] })).toThrow(/enforces no rule at admission/);
    expect(() => synth({ waivable: { allNamespaces: ['pod-privileged'] } })).toThrow(/cluster\/admission: waiver policy allNamespaces names host-access rule pod-privileged/);
    expect(() => synth({ waivable: { namespaces: { App_1: ['*'] } } })).toThrow(/"App_1" is not a namespace name/);
    expect(() => synth({ waivable: { clusterScoped: ['rbac-nope'] } })).toThrow(/names unknown rule "rbac-nope"/);
  });
});

describe('staged roll-out (actions without Deny)', () => {
  const RULE = 'admission-binding-weakened';
  const enforced = (props: Record<string, unknown>) => {
    const chart = new Chart(Testing.app(), 'cluster');
    const policies = new AdmissionPolicies(chart, 'admission', props);
    Hardening.enforce(chart);
    return { policies, objects: Testing.synth(chart) as K8sObject[] };
  };

  test('with a reason, synth under Hardening.enforce passes and every binding carries the waiver and its label', () => {
    const reason = 'audit phase until 2027-01-15, then Deny';
    const { policies, objects } = enforced({ actions: [AdmissionAction.WARN, AdmissionAction.AUDIT], rolloutReason: `  ${reason}` });
    const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    expect(bindings).toHaveLength(policies.policyNames.length);
    for (const b of bindings) {
      expect((b.metadata as any).annotations).toEqual({ [WAIVERS_ANNOTATION]: JSON.stringify([{ ruleId: RULE, reason }]) });
      expect((b.metadata as any).labels).toMatchObject(waiverLabels([{ ruleId: RULE, reason }]));
    }
    // The engine honours exactly that waiver, once per binding, and nothing else is waived.
    const result = checkObjects(objects.map((object) => ({ object })), { rules: [RULE] });
    expect(result.findings).toEqual([]);
    expect(result.waived).toHaveLength(bindings.length);
    // Bindings that deny carry no waiver.
    const deny = synth({ rules: ['pod-privileged'] }).objects[2];
    expect((deny.metadata as any).annotations).toBeUndefined();
    expect(Object.keys((deny.metadata as any).labels)).not.toContain(waiverLabel(RULE));
  });

  test('without a reason, or with a bad one, synth fails naming the construct, the rule and the fix', () => {
    expect(() => enforced({ actions: [AdmissionAction.AUDIT] })).toThrow(
      /^cluster\/admission: bindings with actions Audit do not deny, which admission-binding-weakened reports on every binding\. Fix: .*rolloutReason/,
    );
    expect(() => enforced({ actions: [AdmissionAction.WARN], rolloutReason: 'later' })).toThrow(
      /cluster\/admission: roll-out reason: waiver for "admission-binding-weakened" needs a reason of at least 10 visible characters/,
    );
    expect(() => enforced({ actions: [AdmissionAction.WARN], rolloutReason: 'two lines\nof reason here' })).toThrow(/control or line-separator character U\+000A/);
    expect(() => enforced({ rolloutReason: 'warn phase until 2027-01-15' })).toThrow(/cluster\/admission: a roll-out reason is only for actions without Deny/);
  });
});

describe('policy semantics (evaluated with CEL)', () => {
  const privileged = buildPolicy(findRule('pod-privileged')!);
  const label = { [waiverLabel('pod-privileged')]: 'true' };
  const waiver = { [WAIVERS_ANNOTATION]: JSON.stringify([{ ruleId: 'pod-privileged', reason: 'node agent needs device access' }]) };
  const agents = buildAdmissionPolicies({ rules: ['pod-privileged'], waiverPolicy: { namespaces: { app: ['pod-privileged'] } } });
  const withMeta = (meta: Record<string, unknown>) => ({ ...privilegedPod(), metadata: { labels: { app: 'x' }, ...meta } });

  test('a privileged pod template is denied; a permitted annotation waiver on the pod template exempts it, a label never does', () => {
    const params = { params: agents.params };
    expect(evaluatePolicy(privileged, deployment(privilegedPod()), params).failures).toHaveLength(1);
    expect(evaluatePolicy(privileged, deployment(privilegedPod(label)), params).failures).toHaveLength(1);
    expect(evaluatePolicy(privileged, deployment(withMeta({ annotations: waiver })), params)).toEqual({ matched: true, failures: [] });
    // On the Deployment's own metadata the annotation would not reach the pods it creates: it does not exempt.
    const ownOnly = { ...deployment(privilegedPod()), metadata: { name: 'web', namespace: 'app', annotations: waiver } };
    expect(evaluatePolicy(privileged, ownOnly, params).failures).toHaveLength(1);
    // The same waiver in a namespace the params do not name, or with no permission at all, is no exemption.
    expect(evaluatePolicy(privileged, deployment(withMeta({ annotations: waiver })), { ...params, namespace: 'shop' }).failures).toHaveLength(1);
    expect(evaluatePolicy(privileged, deployment(withMeta({ annotations: waiver }))).failures).toHaveLength(1);
    // A pod created from that template carries the annotation and is exempt too.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'app', annotations: waiver }, spec: privilegedPod().spec };
    expect(evaluatePolicy(privileged, pod, params).failures).toEqual([]);
  });

  test('without the params ConfigMap nothing is admitted (parameterNotFoundAction: Deny)', () => {
    const clean = deployment({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image: 'app' }] } });
    expect(evaluatePolicy(privileged, clean).failures).toEqual([]);
    expect(evaluatePolicy(privileged, clean, { params: null }).failures).toEqual([PARAMS_NOT_FOUND]);
  });

  test('messages name the rule, the failing containers and the fix', () => {
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image: 'app' }, { name: 'agent', image: 'agent', securityContext: { privileged: true } }] } };
    expect(evaluatePolicy(privileged, deployment(template)).failures).toEqual([
      `[pod-privileged] a container runs privileged (securityContext.privileged: true): agent. Fix: ${findRule('pod-privileged')!.remediation}`,
    ]);
  });

  test('a locked rule has no exemption, whatever the params permit', () => {
    const locked = buildAdmissionPolicies({ rules: ['pod-privileged'], lockedRules: ['pod-privileged'], waiverPolicy: { namespaces: { app: ['pod-privileged'] } } });
    expect(specOf(locked.policies[0]).matchConditions.map((c: any) => c.name)).toEqual(['pod-spec-changed', 'has-pod-template']);
    expect(JSON.stringify(locked.policies[0])).not.toContain('variables.waived');
    const waived = deployment(withMeta({ annotations: waiver, labels: label }));
    expect(evaluatePolicy(locked.policies[0], waived, { params: locked.params }).failures).toHaveLength(1);
  });

  test('an update that leaves the pod spec alone is not judged again; one that changes it is', () => {
    const old = deployment(privilegedPod());
    const relabelled = { ...old, metadata: { ...(old.metadata as object), labels: { team: 'web' } } };
    expect(evaluatePolicy(privileged, relabelled, { operation: 'UPDATE', oldObject: old }).matched).toBe(false);
    const clean = deployment({ ...privilegedPod(), spec: { containers: [{ name: 'app', image: 'app' }] } });
    expect(evaluatePolicy(privileged, old, { operation: 'UPDATE', oldObject: clean }).failures).toHaveLength(1);
  });

  test('RBAC policies skip exactly the control plane\'s own identities (bootstrap roles, aggregation) and judge everyone else', () => {
    const wildcard = buildPolicy(findRule('rbac-no-wildcard')!);
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cluster-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] };
    expect(evaluatePolicy(wildcard, role, { username: 'system:apiserver' }).matched).toBe(false);
    expect(evaluatePolicy(wildcard, role, { username: 'system:kube-controller-manager' }).matched).toBe(false);
    expect(evaluatePolicy(wildcard, role, { username: 'system:serviceaccount:kube-system:clusterrole-aggregation-controller' }).matched).toBe(false);
    // Any other kube-system service account is judged (it was exempt by namespace before).
    expect(evaluatePolicy(wildcard, role, { username: 'system:serviceaccount:kube-system:replicaset-controller' }).failures).toHaveLength(1);
    expect(evaluatePolicy(wildcard, role, { username: 'system:serviceaccount:kube-system:clusterrole-aggregation-controller-2' }).failures).toHaveLength(1);
    expect(evaluatePolicy(wildcard, role, { username: 'system:serviceaccount:app:deployer' }).failures).toHaveLength(1);
    expect(evaluatePolicy(wildcard, role).failures).toHaveLength(1);
  });

  test('matchConstraints list the resources of the rule\'s kinds only', () => {
    const liveness = specOf(buildPolicy(findRule('pod-liveness-probe')!)).matchConstraints.resourceRules;
    expect(liveness.flatMap((r: any) => r.resources).sort()).toEqual(['daemonsets', 'deploymentconfigs', 'deployments', 'pods', 'pods/ephemeralcontainers', 'replicasets', 'replicationcontrollers', 'rollouts', 'statefulsets']);
    const cluster = specOf(buildPolicy(findRule('rbac-cluster-wide-binding')!)).matchConstraints.resourceRules;
    expect(cluster).toEqual([{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['v1'], resources: ['clusterrolebindings'], operations: ['CREATE', 'UPDATE'] }]);
  });

  test('cost: no expression nests comprehensions deeper than two (containers x list items)', () => {
    // The measure: nesting in a body multiplies, chaining (filter then map) does not.
    expect(comprehensionDepth('[[[1]]].all(x, x.all(y, y.all(z, z > 0)))')).toBe(3);
    expect(comprehensionDepth('[1].filter(x, x > 0).map(x, x + 1)')).toBe(1);
    const { policies } = buildAdmissionPolicies({ level: 'restricted' });
    const baselineOnly = buildAdmissionPolicies({ level: 'baseline' }).policies;
    const deep: string[] = [];
    for (const policy of [...policies, ...baselineOnly]) {
      const spec = specOf(policy);
      const expressions: string[] = [
        ...[...(spec.matchConditions ?? []), ...(spec.variables ?? []), ...spec.validations].map((e: any) => e.expression),
        ...spec.validations.flatMap((v: any) => (v.messageExpression ? [v.messageExpression] : [])),
      ];
      for (const expression of expressions) if (comprehensionDepth(expression) > 2) deep.push(`${nameOf(policy)}: ${expression}`);
    }
    expect(deep).toEqual([]);
  });
});

describe('catalog coverage', () => {
  test('every pod and RBAC object rule has CEL; every rule either has CEL or a reason', () => {
    for (const rule of ALL_RULES) {
      if ((rule.area === 'pod' || rule.area === 'rbac') && rule.scope !== 'set') expect([rule.id, rule.admission !== undefined]).toEqual([rule.id, true]);
      expect([rule.id, (rule.admission !== undefined) !== (notAtAdmissionReason(rule) !== undefined)]).toEqual([rule.id, true]);
    }
  });

  test('every rule judgeable on one object has a policy; the others say why (exactly these)', () => {
    const withoutCel = ALL_RULES.filter((r) => r.scope !== 'set' && r.admission === undefined).map((r) => r.id).sort();
    expect(withoutCel).toEqual([
      'admission-mutating-policy-hardened-keys', 'admission-policy-altered',
      'cluster-apiserver-admission-plugins', 'cluster-apiserver-audit-log', 'cluster-apiserver-authentication', 'cluster-apiserver-authorization-mode',
      'cluster-apiserver-encryption-at-rest', 'cluster-apiserver-tls', 'cluster-audit-secrets-metadata-only', 'cluster-control-plane-bind-address',
      'cluster-control-plane-limits', 'cluster-control-plane-profiling', 'cluster-controller-manager-credentials', 'cluster-encryption-secrets-encrypted',
      'cluster-etcd-client-cert-auth', 'cluster-etcd-tls-urls', 'cluster-kubelet-anonymous-auth', 'cluster-kubelet-authorization-webhook',
      'cluster-kubelet-node-protections', 'cluster-kubelet-read-only-port', 'cluster-kubelet-tls',
      'image-pull-secrets', 'net-ipblock-union-anywhere', 'workload-configmap-secret-literal', 'workload-deprecated-api',
      'workload-env-secret-literal', 'workload-pdb-no-disruption', 'workload-removed-api', 'workload-spread-or-anti-affinity',
    ]);
    for (const id of withoutCel) expect([id, typeof findRule(id)!.notAtAdmission]).toEqual([id, 'string']);
  });

  test('the selection is split exactly into enforced and not enforced', () => {
    for (const level of ['baseline', 'restricted'] as const) {
      const { policies, notEnforced } = buildAdmissionPolicies({ level });
      const ids = [...policies.map((p) => (p.metadata as any).labels['hardened.cdk8s.io/rule-id']), ...notEnforced.map((n) => n.ruleId)];
      expect(ids.sort()).toEqual(selectRules({ level }).map((r) => r.id).sort());
    }
  });

  test('a rule without CEL gives its own reason; a rule with CEL for a kind without a known resource is an error', () => {
    const base = findRule('pod-privileged')!;
    const documented = { ...base, id: 'pod-documented', admission: undefined, notAtAdmission: 'needs the image registry, which admission cannot see' };
    expect(buildAdmissionPolicies({ catalog: [documented] }).notEnforced).toEqual([{ ruleId: 'pod-documented', reason: 'needs the image registry, which admission cannot see' }]);
    const clash = { ...base, id: 'pod-clash', admission: { variables: [{ name: 'waived', expression: 'true' }], validations: base.admission!.validations } };
    expect(() => buildPolicy(clash)).toThrow('rule pod-clash declares admission variable(s) waived, which the policy builder already defines: rename them');
    const widget = { ...findRule('rbac-no-wildcard')!, id: 'rbac-widget', kinds: ['Widget'] };
    expect(() => buildPolicy(widget)).toThrow('rule rbac-widget judges kind Widget, which has no API resource in src/core/api-resources.ts: add it there');
  });

  test('every rule id is a valid exemption label name', () => {
    for (const rule of ALL_RULES) expect(() => waiverLabel(rule.id)).not.toThrow();
    expect(() => waiverLabel(`pod-${'x'.repeat(60)}`)).toThrow(/at most 63/);
  });
});

describe('admissionYaml (CLI `admission`)', () => {
  test('a YAML stream of policy and binding per rule, headed by the rules not enforced', () => {
    const text = admissionYaml({ rules: ['pod-privileged', 'rbac-dangling-binding'] });
    expect(text).toMatchSnapshot();
    expect(text).toContain('#   rbac-dangling-binding: judged on the whole set of objects');
    const documents = yaml.loadAll(text) as K8sObject[];
    expect(documents.map((d) => d.kind)).toEqual(['ConfigMap', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    expect(documents[1]).toEqual(buildPolicy(findRule('pod-privileged')!));
    expect(admissionYaml()).toBe(admissionYaml());
  });
});

describe('exemption labels and waivers: one truth', () => {
  test('waiverLabels: one "true" label per waived rule, keys sorted', () => {
    expect(waiverLabels([{ ruleId: 'pod-run-as-user', reason: 'legacy image' }, { ruleId: 'pod-privileged', reason: 'node agent' }])).toEqual({
      'waive.hardened.cdk8s.io/pod-privileged': 'true',
      'waive.hardened.cdk8s.io/pod-run-as-user': 'true',
    });
  });

  const withWaiver = (labels: Record<string, string>, waivers?: unknown) =>
    checkObjects([{ object: deployment({ ...privilegedPod(labels), metadata: { labels: { app: 'x', ...labels }, ...(waivers ? { annotations: { [WAIVERS_ANNOTATION]: JSON.stringify(waivers) } } : {}) } }) }], {
      rules: ['pod-privileged'],
    });

  test('the engine accepts a label backed by a waiver annotation and reports one that is not', () => {
    const label = { [waiverLabel('pod-privileged')]: 'true' };
    const backed = withWaiver(label, [{ ruleId: 'pod-privileged', reason: 'node agent needs device access' }]);
    expect(backed.problems).toEqual([]);
    expect(backed.waived.map((f) => f.ruleId)).toEqual(['pod-privileged']);
    const bare = withWaiver(label);
    expect(bare.problems.map((p) => p.message)).toEqual([
      'Deployment/web: label waive.hardened.cdk8s.io/pod-privileged marks the object as waived for pod-privileged, but annotation hardened.cdk8s.io/waivers records no waiver for it (a label never exempts): add {"ruleId":"pod-privileged","reason":"..."} or remove the label',
    ]);
    expect(bare.findings.map((f) => f.ruleId)).toEqual(['pod-privileged']);
    expect(withWaiver({ [waiverLabel('pod-privileged')]: 'yes' }, [{ ruleId: 'pod-privileged', reason: 'node agent needs device access' }]).problems[0].message).toMatch(/must be "true"/);
    expect(withWaiver({ 'waive.hardened.cdk8s.io/pod-nope': 'true' }).problems[0].message).toMatch(/names unknown rule "pod-nope"/);
    // A waiver whose reason is too short is no waiver: its label is reported too.
    expect(withWaiver(label, [{ ruleId: 'pod-privileged', reason: 'short' }]).problems).toHaveLength(2);
    // Only on the Deployment's own metadata, the label would not reach the pods: reported with the fix.
    const onOwner = checkObjects([{ object: deployment(privilegedPod(), label) }], { rules: ['pod-privileged'] });
    expect(onOwner.problems.map((p) => p.message)).toContain(
      "Deployment/web: label waive.hardened.cdk8s.io/pod-privileged is on the workload but not on its pod template, where its pods' waivers are: add it to the pod template labels",
    );
  });
});
