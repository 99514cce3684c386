/** Objects that switch the admission defences off (issue 12), on plain YAML through the engine. */
import * as yaml from 'js-yaml';
import { buildAdmissionPolicies } from '../../../src/admission/policies';
import type { K8sObject } from '../../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../../src/core/waivers';
import { checkObjects } from '../../../src/engine/engine';
import { fromYaml } from '../../network/yaml';

const findings = (objects: K8sObject[] | string, rules: string[]) => {
  const inputs = typeof objects === 'string' ? fromYaml(objects) : objects.map((object) => ({ object }));
  const result = checkObjects(inputs, { rules });
  expect(result.problems).toEqual([]);
  return result.findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}: ${f.message}`);
};

const generated = buildAdmissionPolicies({ rules: ['pod-privileged', 'pod-host-namespaces'] });

describe('admission-binding-weakened', () => {
  const ID = 'admission-binding-weakened';
  test('the generated bindings pass; Warn or Audit only, or the hardened name bound to another policy, fail', () => {
    expect(findings(generated.bindings, [ID])).toEqual([]);
    const text = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: pod-privileged.hardened.cdk8s.io }
spec: { policyName: pod-privileged.hardened.cdk8s.io, validationActions: [Warn] }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: quiet-hostns }
spec: { policyName: pod-host-namespaces.hardened.cdk8s.io, validationActions: [Audit] }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: pod-run-as-non-root.hardened.cdk8s.io }
spec: { policyName: allow-everything, validationActions: [Deny] }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: team-policy }
spec: { policyName: team-policy, validationActions: [Warn] }
`;
    expect(findings(text, [ID])).toEqual([
      `${ID} ValidatingAdmissionPolicyBinding/pod-privileged.hardened.cdk8s.io spec.validationActions: binding of hardened policy pod-privileged.hardened.cdk8s.io has validationActions ["Warn"]: failed checks are only warned about, not denied`,
      `${ID} ValidatingAdmissionPolicyBinding/pod-run-as-non-root.hardened.cdk8s.io spec.policyName: binding pod-run-as-non-root.hardened.cdk8s.io replaces the hardened binding of that name but binds policy "allow-everything", so the hardened policy is no longer bound`,
      `${ID} ValidatingAdmissionPolicyBinding/quiet-hostns spec.validationActions: binding of hardened policy pod-host-namespaces.hardened.cdk8s.io has validationActions ["Audit"]: failed checks are only audited, not denied`,
    ]);
  });

  test('matchResources beyond leaving out namespaces by name narrow the hardened policy', () => {
    const excluded = buildAdmissionPolicies({ rules: ['pod-privileged'], excludedNamespaces: ['kube-system', 'monitoring'] }).bindings[0];
    const none = buildAdmissionPolicies({ rules: ['pod-privileged'], excludedNamespaces: [] }).bindings[0];
    expect(findings([excluded, none], [ID])).toEqual([]);
    const narrowed = (name: string, matchResources: unknown): K8sObject => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: { policyName: 'pod-privileged.hardened.cdk8s.io', validationActions: ['Deny'], matchResources },
    });
    expect(findings([
      narrowed('a', { objectSelector: { matchLabels: { team: 'platform' } } }),
      narrowed('b', { excludeResourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] }),
      narrowed('c', { namespaceSelector: { matchLabels: { enforce: 'yes' } } }),
    ], [ID])).toEqual([
      `${ID} ValidatingAdmissionPolicyBinding/a spec.matchResources.objectSelector: the binding of a hardened policy narrows what it judges with matchResources.objectSelector`,
      `${ID} ValidatingAdmissionPolicyBinding/b spec.matchResources.excludeResourceRules: the binding of a hardened policy narrows what it judges with matchResources.excludeResourceRules`,
      `${ID} ValidatingAdmissionPolicyBinding/c spec.matchResources.namespaceSelector: the binding of a hardened policy selects namespaces by {"matchLabels":{"enforce":"yes"}}; the generated binding only leaves out namespaces by name (kubernetes.io/metadata.name NotIn)`,
    ]);
  });

  test('a staged roll-out in Warn records a waiver', () => {
    const warn = buildAdmissionPolicies({ rules: ['pod-privileged'], actions: ['Warn'], rolloutReason: 'two-week warn phase, deny from 2027-01-15' }).bindings[0];
    expect((warn.metadata as any).annotations).toEqual({ [WAIVERS_ANNOTATION]: JSON.stringify([{ ruleId: ID, reason: 'two-week warn phase, deny from 2027-01-15' }]) });
    const result = checkObjects([{ object: warn }], { rules: [ID] });
    expect(result.findings).toEqual([]);
    expect(result.waived).toHaveLength(1);
    // The same binding without its waiver is reported.
    delete (warn.metadata as any).annotations;
    expect(checkObjects([{ object: warn }], { rules: [ID] }).findings).toHaveLength(1);
  });
});

describe('admission-policy-altered', () => {
  const ID = 'admission-policy-altered';
  test('generated policies pass, locked or not; edited CEL, conditions or failure policy fail', () => {
    const locked = buildAdmissionPolicies({ rules: ['pod-privileged'], lockedRules: ['pod-privileged'] }).policies;
    expect(findings([...generated.policies, ...locked], [ID])).toEqual([]);
    const byName = (id: string) => JSON.parse(JSON.stringify(generated.policies.find((p) => (p.metadata as any).name === `${id}.hardened.cdk8s.io`)));
    const edited = byName('pod-privileged');
    edited.spec.validations[0].expression = 'true';
    const ignoring = byName('pod-host-namespaces');
    ignoring.spec.failurePolicy = 'Ignore';
    ignoring.spec.matchConditions.push({ name: 'never', expression: 'false' });
    const unknown = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'pod-no-such-rule.hardened.cdk8s.io' }, spec: {} };
    const own = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'team-policy' }, spec: { validations: [{ expression: 'true' }] } };
    expect(findings([edited, ignoring, unknown, own], [ID])).toEqual([
      `${ID} ValidatingAdmissionPolicy/pod-host-namespaces.hardened.cdk8s.io spec.failurePolicy: policy pod-host-namespaces.hardened.cdk8s.io differs from the policy the catalog generates for pod-host-namespaces in spec failurePolicy, matchConditions`,
      `${ID} ValidatingAdmissionPolicy/pod-no-such-rule.hardened.cdk8s.io metadata.name: policy pod-no-such-rule.hardened.cdk8s.io carries a hardened name, but the catalog has no rule pod-no-such-rule: it is not a policy this library generates`,
      `${ID} ValidatingAdmissionPolicy/pod-privileged.hardened.cdk8s.io spec.validations: policy pod-privileged.hardened.cdk8s.io differs from the policy the catalog generates for pod-privileged in spec validations`,
    ]);
  });

  test('a policy read back from YAML (the CLI path) still matches', () => {
    const roundTrip = yaml.load(yaml.dump(generated.policies[0])) as K8sObject;
    expect(findings([roundTrip], [ID])).toEqual([]);
  });
});

describe('admission-webhook-bypass', () => {
  const ID = 'admission-webhook-bypass';
  const webhook = (kind: string, name: string, hook: string) => `
---
apiVersion: admissionregistration.k8s.io/v1
kind: ${kind}
metadata: { name: ${name} }
webhooks: [${hook}]
`;
  test('pods or * with failurePolicy Ignore or a URL outside the cluster fail; narrow or in-cluster webhooks pass', () => {
    const podsRule = 'rules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods] }]';
    const text =
      webhook('ValidatingWebhookConfiguration', 'policy', `{ name: policy.example.com, failurePolicy: Ignore, ${podsRule}, clientConfig: { service: { name: p, namespace: p } } }`) +
      webhook('MutatingWebhookConfiguration', 'injector', '{ name: inject.example.com, rules: [{ apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*/*"] }], clientConfig: { url: "https://hooks.vendor.example/mutate" } }') +
      webhook('MutatingWebhookConfiguration', 'in-cluster', `{ name: sidecar.example.com, failurePolicy: Fail, ${podsRule}, clientConfig: { url: "https://sidecar.mesh.svc:443/inject" } }`) +
      webhook('ValidatingWebhookConfiguration', 'narrow', '{ name: cm.example.com, failurePolicy: Ignore, rules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps] }], clientConfig: { url: "https://x.example" } }');
    expect(findings(text, [ID])).toEqual([
      `${ID} MutatingWebhookConfiguration/injector webhooks[0].clientConfig.url: webhook "inject.example.com" matches */* and calls "https://hooks.vendor.example/mutate", outside the cluster: every matched object is sent there and the patch it returns is applied`,
      `${ID} ValidatingWebhookConfiguration/policy webhooks[0].failurePolicy: webhook "policy.example.com" matches pods with failurePolicy Ignore: when it times out or is unreachable, every such request is admitted unchecked`,
    ]);
  });
});

describe('admission-mutating-policy-hardened-keys', () => {
  const ID = 'admission-mutating-policy-hardened-keys';
  const map = (name: string, mutations: string) => `
---
apiVersion: admissionregistration.k8s.io/v1beta1
kind: MutatingAdmissionPolicy
metadata: { name: ${name} }
spec:
  matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods] }] }
  mutations: ${mutations}
`;
  test('waiver labels and annotations, even split across literals or escaped in a patch path, are findings; other mutations pass', () => {
    const text =
      map('exempt', '[{ patchType: ApplyConfiguration, applyConfiguration: { expression: \'Object{metadata: Object.metadata{labels: {"waive.hardened.cdk8s.io/pod-privileged": "true"}}}\' } }]') +
      map('split', '[{ patchType: JSONPatch, jsonPatch: { expression: \'[JSONPatch{op: "add", path: "/metadata/annotations/" + "hardened." + "cdk8s.io~1waivers", value: "[]"}]\' } }]') +
      map('team-label', '[{ patchType: ApplyConfiguration, applyConfiguration: { expression: \'Object{metadata: Object.metadata{labels: {"team": "a"}}}\' } }]');
    expect(findings(text, [ID])).toEqual([
      `${ID} MutatingAdmissionPolicy/exempt spec.mutations[0].applyConfiguration.expression: mutation 0 of MutatingAdmissionPolicy exempt writes or builds a hardened.cdk8s.io key (waivers, exemption labels or api access)`,
      `${ID} MutatingAdmissionPolicy/split spec.mutations[0].jsonPatch.expression: mutation 0 of MutatingAdmissionPolicy split writes or builds a hardened.cdk8s.io key (waivers, exemption labels or api access)`,
    ]);
  });
});
