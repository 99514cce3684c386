/**
 * Builds ValidatingAdmissionPolicies and their bindings (admissionregistration.k8s.io/v1) from the catalog's
 * CEL, as plain JSON. One policy per rule: a waiver exempts one rule, so a per-rule policy lets a waived object
 * skip exactly the waived rule (src/admission/exemption.ts); it also lets each rule be bound with its own actions
 * and reported under its own name. Every binding reads the cluster's data from one params ConfigMap (params.ts).
 */
import * as yaml from 'js-yaml';
import { DEFAULT_PARAMS_NAMESPACE, exemptionParamsData, PARAMS_NAME, ParamsLocation, paramsConfigMap, waiverParamsData } from './params';
import { parseImagePolicy } from '../analysis/images/image-policy';
import type { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import { K8sObject, Level, Severity, severityRank, Waiver } from '../core/types';
import type { WaiverGovernance } from '../core/waiver-governance';
import { todayUtc } from '../core/waiver-judgement';
import { WAIVERS_SYNTH_DATE_KEY, WaiverPolicy, waiverPolicyErrors } from '../core/waiver-policy';
import { formatWaivers, waiverError, waiverLabels, WAIVERS_ANNOTATION } from '../core/waivers';
import { selectRules } from '../engine/engine';
import type { Exemption } from '../engine/exemptions';
import { NOT_JUDGED_ANNOTATION, Relaxation, relaxationsOf, relaxationText } from '../engine/relaxations';
import { findRule } from '../rules';
import { ADMISSION_API_VERSION, buildPolicy, policyLabels, policyName } from '../rules/kit/admission-policy';
import { imagePolicyParamsData } from '../rules/kit/image-cel';

/** What the API server does with a failed validation (ValidatingAdmissionPolicyBinding validationActions). */
export type ValidationAction = 'Deny' | 'Warn' | 'Audit';

/** Namespaces excluded by default: the control plane's own pods need host access by design. */
export const DEFAULT_EXCLUDED_NAMESPACES: readonly string[] = ['kube-system'];

export interface AdmissionOptions {
  /** Pod Security Standards level. @default 'restricted' */
  readonly level?: Level;
  /** Only these rule ids (after level selection). */
  readonly rules?: readonly string[];
  /** Leave these rule ids out. */
  readonly skip?: readonly string[];
  /** Rules whose waivers are not honoured: their policies have no exemption at all. */
  readonly lockedRules?: readonly string[];
  /** Where waivers are permitted, written to the params ConfigMap. @default - nothing is waivable */
  readonly waiverPolicy?: WaiverPolicy;
  /**
   * The organisation policy's exemptions and team grants (as exemptions), written to the params ConfigMap so the
   * cluster exempts the objects the CLI and synth exempt. @default - none
   */
  readonly exemptions?: readonly Exemption[];
  /** The policy's waiver governance, for the params (expiry is honoured through the params regenerated at synth). @default - none */
  readonly waiverGovernance?: WaiverGovernance;
  /** Where the params ConfigMap lives. @default PARAMS_NAME in DEFAULT_PARAMS_NAMESPACE */
  readonly params?: ParamsLocation;
  /** The image policy, written to the params (validated with parseImagePolicy). @default - digests required, any registry */
  readonly imagePolicy?: ImagePolicySettings;
  /** Only rules at or above this severity. @default Severity.LOW */
  readonly minSeverity?: Severity;
  /** Binding validationActions. @default ['Deny'] */
  readonly actions?: readonly ValidationAction[];
  /**
   * Why the bindings do not deny yet (a staged roll-out): required when `actions` has no Deny, refused otherwise.
   * Each binding then carries the waiver for admission-binding-weakened with this reason.
   */
  readonly rolloutReason?: string;
  /** Namespaces the bindings exclude. @default DEFAULT_EXCLUDED_NAMESPACES */
  readonly excludedNamespaces?: readonly string[];
  /** Catalog to draw from. @default ALL_RULES */
  readonly catalog?: readonly Rule[];
  /**
   * The date written to the params as `waivers.synth-date`: admission has no clock, so waivers that expired before
   * it are not honoured. Regenerate the params (e.g. a daily synth) to move it forward.
   * @default - $CDK8S_HARDENED_TODAY, else today (UTC)
   */
  readonly today?: string;
}

/** A selected rule that gets no policy, and why. */
export interface NotEnforced {
  readonly ruleId: string;
  readonly reason: string;
}

export interface AdmissionPolicySet {
  /** The params ConfigMap every binding references (apply it with, or before, the bindings). */
  readonly params: K8sObject;
  /** ValidatingAdmissionPolicies, one per enforced rule, in catalog order. */
  readonly policies: K8sObject[];
  /** One ValidatingAdmissionPolicyBinding per policy, same order and name. */
  readonly bindings: K8sObject[];
  /** Selected rules that cannot be judged at admission. */
  readonly notEnforced: NotEnforced[];
  /** Rules the options leave out (skip, a lower level, a higher minSeverity), recorded on the params ConfigMap. */
  readonly relaxations: Relaxation[];
}

export { notAtAdmissionReason };
export { ADMISSION_API_VERSION, buildPolicy, CONTROL_PLANE_USERS, policyName } from '../rules/kit/admission-policy';
import { notAtAdmissionReason, Rule } from '../rules/rule';

/** Checks an action list: at least one action, no repeats, and not Deny with Warn (the API rejects it). */
export function validateActions(actions: readonly string[]): ValidationAction[] {
  const allowed: readonly string[] = ['Deny', 'Warn', 'Audit'];
  if (actions.length === 0) throw new Error('admission actions must name at least one of Deny, Warn, Audit');
  for (const action of actions) {
    if (!allowed.includes(action)) throw new Error(`unknown admission action "${action}" (use Deny, Warn or Audit)`);
  }
  if (new Set(actions).size !== actions.length) throw new Error(`admission actions repeat an action: ${actions.join(', ')}`);
  if (actions.includes('Deny') && actions.includes('Warn')) {
    throw new Error('admission actions Deny and Warn cannot be combined (Kubernetes rejects the binding): use Deny (optionally with Audit) or Warn');
  }
  return [...actions] as ValidationAction[];
}

/** The rule that reports bindings of the hardened policies without Deny. */
export const BINDING_WEAKENED_RULE = 'admission-binding-weakened';

/**
 * The waiver a staged roll-out records on its bindings, or undefined for bindings that deny. Bindings without
 * Deny and without a reason would fail every judge (admission-binding-weakened), and a reason on bindings that
 * deny would waive nothing, so both are errors that say what to do.
 */
export function rolloutWaiver(actions: readonly ValidationAction[], reason: string | undefined): Waiver | undefined {
  const denies = actions.includes('Deny');
  if (denies) {
    if (reason !== undefined) {
      throw new Error(`a roll-out reason is only for actions without Deny (actions: ${actions.join(', ')}): bindings that deny need no waiver for ${BINDING_WEAKENED_RULE}; remove the reason`);
    }
    return undefined;
  }
  if (reason === undefined) {
    throw new Error(`bindings with actions ${actions.join(', ')} do not deny, which ${BINDING_WEAKENED_RULE} reports on every binding. `
      + 'Fix: say why and until when in a roll-out reason (rolloutReason on the construct, --reason on the CLI; at least 10 characters), '
      + `which records a waiver for ${BINDING_WEAKENED_RULE} on each binding, or bind with Deny`);
  }
  const error = waiverError({ ruleId: BINDING_WEAKENED_RULE, reason }, (id) => findRule(id) !== undefined);
  if (error) throw new Error(`roll-out reason: ${error}`);
  return { ruleId: BINDING_WEAKENED_RULE, reason: reason.trim() };
}

/** The binding of a rule's policy. */
export function buildBinding(
  rule: Rule,
  actions: readonly ValidationAction[],
  excludedNamespaces: readonly string[],
  params: ParamsLocation = { name: PARAMS_NAME, namespace: DEFAULT_PARAMS_NAMESPACE },
  waiver?: Waiver,
): K8sObject {
  const namespaces = [...new Set(excludedNamespaces)].sort();
  // The canonical waiver annotation and its label, as the constructs record waivers.
  const metadata = waiver
    ? {
      name: policyName(rule.id),
      labels: { ...policyLabels(rule), ...waiverLabels([waiver]) },
      annotations: { [WAIVERS_ANNOTATION]: formatWaivers([waiver]) },
    }
    : { name: policyName(rule.id), labels: policyLabels(rule) };
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata,
    spec: {
      policyName: policyName(rule.id),
      // No params, no admission: a missing ConfigMap must not silently drop exemptions limits or allow-lists.
      paramRef: { name: params.name, namespace: params.namespace, parameterNotFoundAction: 'Deny' },
      validationActions: validateActions(actions),
      ...(namespaces.length > 0
        ? { matchResources: { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: namespaces }] } } }
        : {}),
    },
  };
}

/** Policies and bindings for the selected rules; unknown rule ids and bad actions are errors. */
export function buildAdmissionPolicies(options: AdmissionOptions = {}): AdmissionPolicySet {
  const actions = validateActions(options.actions ?? ['Deny']);
  const waiver = rolloutWaiver(actions, options.rolloutReason);
  const excluded = options.excludedNamespaces ?? DEFAULT_EXCLUDED_NAMESPACES;
  const minRank = severityRank(options.minSeverity ?? Severity.LOW);
  const locked = new Set(options.lockedRules ?? []);
  const { level, rules, skip, lockedRules, catalog } = options;
  const known = (id: string) => (catalog ? catalog.some((r) => r.id === id) : false) || findRule(id) !== undefined;
  const policyErrors = waiverPolicyErrors(options.waiverPolicy ?? {}, known);
  if (policyErrors.length > 0) throw new Error(policyErrors.join('; '));
  const location = options.params ?? { name: PARAMS_NAME, namespace: DEFAULT_PARAMS_NAMESPACE };
  const imagePolicy = parseImagePolicy(options.imagePolicy);
  const selected = selectRules({ level, rules, skip, lockedRules, catalog, minSeverity: options.minSeverity })
    .filter((r) => severityRank(r.severity) >= minRank);
  const policies: K8sObject[] = [];
  const bindings: K8sObject[] = [];
  const notEnforced: NotEnforced[] = [];
  for (const rule of selected) {
    const reason = notAtAdmissionReason(rule);
    if (reason) {
      notEnforced.push({ ruleId: rule.id, reason });
      continue;
    }
    policies.push(buildPolicy(rule, locked.has(rule.id)));
    bindings.push(buildBinding(rule, actions, excluded, location, waiver));
  }
  // One reading of the clock: the exemptions left out as expired and the date the CEL compares with must agree.
  const synthDate = todayUtc(options.today);
  const data = {
    ...waiverParamsData(options.waiverPolicy ?? {}),
    ...exemptionParamsData(options.exemptions ?? [], options.lockedRules, synthDate),
    ...imagePolicyParamsData(imagePolicy),
    [WAIVERS_SYNTH_DATE_KEY]: synthDate,
  };
  const params = paramsConfigMap(location, Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  // What the options turn off is written where the cluster's policy lives, so the output says what is not enforced.
  const relaxations = relaxationsOf({ level, rules, skip, catalog, minSeverity: options.minSeverity }, 'admission options');
  if (relaxations.length > 0) {
    const metadata = params.metadata as { annotations: Record<string, string> };
    metadata.annotations = { ...metadata.annotations, [NOT_JUDGED_ANNOTATION]: JSON.stringify(relaxations) };
  }
  return { params, policies, bindings, notEnforced, relaxations };
}

/**
 * The policies as a YAML stream (policy then binding, per rule), headed by comments listing the selected
 * rules that are not enforced at admission. For the CLI `admission` command.
 */
export function admissionYaml(options: AdmissionOptions = {}): string {
  const { params, policies, bindings, notEnforced, relaxations } = buildAdmissionPolicies(options);
  const header = [
    '# ValidatingAdmissionPolicies generated by cdk8s-hardened (admissionregistration.k8s.io/v1, Kubernetes 1.30+).',
    `# ${policies.length} rule(s) enforced at admission. The ConfigMap ${(params.metadata as any).namespace}/${(params.metadata as any).name} is their params: without it nothing is admitted.`,
    ...(notEnforced.length > 0 ? ['# Not enforced at admission (judge them with `cdk8s-hardened check`):'] : []),
    ...notEnforced.map((n) => `#   ${n.ruleId}: ${n.reason}`),
    ...relaxations.map((r) => `# ${relaxationText(r)}`),
  ];
  const documents = [params, ...policies.flatMap((policy, i) => [policy, bindings[i]])];
  const body = documents.map((d) => yaml.dump(d, { lineWidth: -1, noRefs: true, sortKeys: false })).join('---\n');
  return `${header.join('\n')}\n${body === '' ? '' : `---\n${body}`}`;
}
