/**
 * The ValidatingAdmissionPolicy of one rule, built from the rule's own CEL: part of the rule kit so that the
 * catalog (admission-policy-altered compares a deployed policy with it) and the policy set builder in
 * src/admission share one definition without the rules depending on the admission layer.
 */
import { celString } from './cel';
import { exemptionVariables, unlessWaived } from './exemption';
import { HAS_POD_TEMPLATE_EXPRESSION, POD_VARIABLES } from './pod-variables';
import { resourceRulesFor } from '../../core/api-resources';
import type { K8sObject } from '../../core/types';
import { WORKLOAD_KIND_TABLE } from '../../core/workload-kinds';
import { notAtAdmissionReason, Rule } from '../rule';

export const ADMISSION_API_VERSION = 'admissionregistration.k8s.io/v1';

/**
 * Identities of the control plane that write RBAC objects themselves: the API server (bootstrap roles), the
 * controller manager and its clusterrole-aggregation controller (aggregated ClusterRoles). RBAC policies do not
 * judge their requests: RBAC objects are cluster-scoped or live in kube-system, where no namespace selector can
 * exclude them. Matched by exact username: any other kube-system service account is judged like everyone else.
 */
export const CONTROL_PLANE_USERS: readonly string[] = [
  'system:apiserver',
  'system:kube-controller-manager',
  'system:serviceaccount:kube-system:clusterrole-aggregation-controller',
];
const CONTROL_PLANE_KINDS: ReadonlySet<string> = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** The name of a rule's policy and binding (a DNS subdomain). */
export function policyName(ruleId: string): string {
  return `${ruleId}.hardened.cdk8s.io`;
}

/**
 * CEL: the field that holds the pod (template) changed. Every workload keeps it under `spec` but the kinds whose
 * template path starts elsewhere (PodTemplate: `template`), from the workload-kinds table.
 */
const POD_HOLDER_CHANGED = WORKLOAD_KIND_TABLE.filter((w) => w.templatePath.length > 0 && w.templatePath[0] !== 'spec')
  .map((w) => `object.kind == '${w.kind}' ? object.${w.templatePath[0]} != oldObject.${w.templatePath[0]} : `)
  .join('') + 'object.spec != oldObject.spec';

/** The matchConditions of a rule's policy: unchanged pod specs, control-plane writers. */
function matchConditions(rule: Rule): Array<{ name: string; expression: string }> {
  const conditions: Array<{ name: string; expression: string }> = [];
  if (rule.scope === 'pod') {
    // As the Pod Security admission does: an update that leaves the pod spec alone (labels, finalizers) is not re-judged.
    conditions.push({
      name: 'pod-spec-changed',
      expression: `request.operation != 'UPDATE' || (${POD_HOLDER_CHANGED})`,
    });
    // A Rollout that borrows a Deployment's template (spec.workloadRef) has no pod spec to judge; the Deployment is.
    if (HAS_POD_TEMPLATE_EXPRESSION) conditions.push({ name: 'has-pod-template', expression: HAS_POD_TEMPLATE_EXPRESSION });
  }
  if (rule.kinds.some((k) => CONTROL_PLANE_KINDS.has(k))) {
    conditions.push({
      name: 'not-control-plane',
      expression: `!(request.userInfo.username in [${CONTROL_PLANE_USERS.map(celString).join(', ')}])`,
    });
  }
  return conditions;
}

/** The params ConfigMap's data, for the exemption and for rules whose policy is data (the image policy). */
const PARAMS_DATA = { name: 'paramsData', expression: 'params != null && has(params.data) ? params.data : {}' };

/** One line: the API shows the message as is. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The ValidatingAdmissionPolicy of one rule (which must have `admission`). */
export function buildPolicy(rule: Rule, locked = false): K8sObject {
  const admission = rule.admission;
  if (!admission) throw new Error(`rule ${rule.id} has no admission CEL: ${notAtAdmissionReason(rule)}`);
  const variables = [PARAMS_DATA, ...(rule.scope === 'pod' ? POD_VARIABLES : []), ...(admission.variables ?? []), ...(locked ? [] : exemptionVariables(rule))];
  // The API server rejects a policy that declares a variable twice: a rule must not reuse a shared name.
  const names = variables.map((v) => v.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) throw new Error(`rule ${rule.id} declares admission variable(s) ${[...new Set(repeated)].join(', ')}, which the policy builder already defines: rename them`);
  const conditions = matchConditions(rule);
  const guard = locked ? (e: string) => e : unlessWaived;
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: policyName(rule.id), labels: policyLabels(rule), annotations: { 'hardened.cdk8s.io/title': rule.title } },
    spec: {
      failurePolicy: 'Fail',
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: {
        matchPolicy: 'Equivalent',
        resourceRules: resourceRulesFor(rule.id, rule.kinds).map((r) => ({ ...r, operations: ['CREATE', 'UPDATE'] })),
      },
      ...(conditions.length > 0 ? { matchConditions: conditions } : {}),
      ...(variables.length > 0 ? { variables: variables.map((v) => ({ name: v.name, expression: v.expression })) } : {}),
      validations: admission.validations.map((v) => ({
        expression: guard(v.expression),
        message: oneLine(`[${rule.id}] ${v.message}. Fix: ${rule.remediation}`),
        ...(v.messageExpression
          ? { messageExpression: `${celString(`[${rule.id}] `)} + ${v.messageExpression} + ${celString(oneLine(`. Fix: ${rule.remediation}`))}` }
          : {}),
        reason: 'Forbidden',
      })),
    },
  };
}

/** Labels of a rule's policy and binding. */
export function policyLabels(rule: Rule): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'cdk8s-hardened',
    'hardened.cdk8s.io/rule-id': rule.id,
    'hardened.cdk8s.io/severity': rule.severity,
  };
}
