/**
 * Applies a set of objects to a simulated API server that runs the ValidatingAdmissionPolicies among them: each
 * policy with its binding (namespace exclusions honoured) and the params ConfigMap the binding references.
 */
import { evaluatePolicy, policyMatchesKind } from './cel-harness';
import type { K8sObject } from '../../src/core/types';

export interface AdmissionRun {
  /** Number of policies found. */
  readonly policies: number;
  /** Number of (policy, object) pairs judged (the policy matched the object's kind and namespace). */
  readonly judged: number;
  /** `<policy> on <Kind> <namespace>/<name>: <message>` for each denial. */
  readonly denials: string[];
}

const meta = (o: K8sObject) => (o.metadata ?? {}) as { name?: string; namespace?: string };

export function admissionVerdicts(objects: readonly K8sObject[]): AdmissionRun {
  const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
  const bindings = new Map(objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding').map((b) => [(b.spec as any).policyName as string, b]));
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
  const denials: string[] = [];
  let judged = 0;
  for (const policy of policies) {
    const binding = bindings.get(meta(policy).name!);
    if (!binding) throw new Error(`policy ${meta(policy).name} has no binding`);
    const spec = binding.spec as any;
    const ref = spec.paramRef;
    const params = ref ? configMaps.find((c) => meta(c).name === ref.name && meta(c).namespace === ref.namespace) ?? null : undefined;
    const excluded: string[] = spec.matchResources?.namespaceSelector?.matchExpressions?.[0]?.values ?? [];
    for (const object of objects) {
      if (!policyMatchesKind(policy, String(object.kind))) continue;
      const namespace = object.kind === 'Namespace' ? meta(object).name : meta(object).namespace;
      if (namespace !== undefined && excluded.includes(namespace)) continue;
      judged++;
      const verdict = evaluatePolicy(policy, object, { params });
      for (const failure of verdict.failures) denials.push(`${meta(policy).name} on ${object.kind} ${meta(object).namespace ?? ''}/${meta(object).name}: ${failure}`);
    }
  }
  return { policies: policies.length, judged, denials };
}
