/**
 * The self-check of a hardened workload: its serialized JSON is judged with the object and pod rules of the
 * catalog (set rules need the whole app: `Hardening.enforce`), honouring its waivers and the options of the
 * nearest `Hardening.enforce` scope. Any finding throws one error line naming the construct path, rule, JSON path
 * and fix; the fix never suggests a waiver the construct would refuse.
 */
import type { IConstruct } from 'constructs';
import { applyPolicyExemptions, engineOptions, nearestEnforceOptions, policyOf } from './enforce-options';
import { yamlMismatch, yamlMismatchError } from './synth-yaml';
import { foreignWaiverMetadata } from './waivers';
import { asObject, JsonObject } from '../core/json';
import { K8sObject, Severity, Waiver } from '../core/types';
import { checkObjects } from '../engine/engine';
import { ALL_RULES, findRule } from '../rules';
import { waivableOnKind } from '../rules/rule';

/** What the self-check needs to know about the workload it judges. */
export interface SelfCheckSubject {
  /** The workload construct (for its path and its enforce scope). */
  readonly workload: IConstruct;
  /** Construct name used in messages (`HardenedDeployment`). */
  readonly construct: string;
  readonly kind: string;
  /** Path of the pod template in the workload object. */
  readonly templatePath: readonly string[];
  /** The waivers the construct recorded (the only ones it honours). */
  readonly waivers: readonly Waiver[];
}

let selfCheckRuleIds: string[] | undefined;

/** Judges the serialized workload; returns it unchanged or throws every finding at once. */
export function selfCheck(object: K8sObject, subject: SelfCheckSubject): K8sObject {
  const prefix = `[${subject.workload.node.path}] ${subject.construct}`;
  // Waivers only through the props or addWaiver, where they are checked: a hand-written annotation or label is refused.
  let template: JsonObject = object;
  for (const key of subject.templatePath) template = asObject(template[key]);
  const foreign = [...foreignWaiverMetadata('the workload', object.metadata, subject.waivers), ...foreignWaiverMetadata('its pod template', template.metadata, subject.waivers)];
  if (foreign.length > 0) {
    throw new Error(foreign.map((f) => `${prefix}: ${f}. Fix: declare waivers with the waivers prop or addWaiver(), never as metadata.`).join('\n'));
  }
  const enforced = nearestEnforceOptions(subject.workload);
  const options = engineOptions(enforced);
  // The policy's exemptions and grants hold here as in the enforcement and the CLI.
  const result = applyPolicyExemptions(checkObjects([{ object }], {
    ...options,
    // An explicit weakening needs a waiver whatever the severity threshold of the enforce scope: the threshold
    // decides what fails the whole app's check, never what a workload may weaken without a record.
    minSeverity: Severity.LOW,
    rules: ruleIdsForSelfCheck(),
    settings: { ...options.settings, completeSet: false },
  }), policyOf(enforced), () => subject.workload.node.path, { governance: options.waiverGovernance, today: options.today });
  // What kubectl reads from the YAML cdk8s writes must be what is judged here.
  const mismatch = yamlMismatch(object);
  const errors = [
    ...(mismatch ? [yamlMismatchError(subject.workload.node.path, object, mismatch)] : []),
    ...result.findings.map((f) => {
      const refusal = waiverRefusal(f.ruleId, subject.kind);
      const deliberate = refusal
        ? `A ${subject.construct} cannot waive it (${refusal.reason}): ${refusal.fix}`
        : `Or, if it is deliberate, add waivers: [{ ruleId: '${f.ruleId}', reason: '<why>' }].`;
      return `${prefix} violates ${f.ruleId} (${f.severity}) at ${f.kind}/${f.name} ${f.path}: ${f.message}. Fix: ${f.remediation} ${deliberate}`;
    }),
    ...result.problems.map((p) => `${prefix}: ${p.message}`),
  ];
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return object;
}

/**
 * Why a hardened construct of `kind` refuses a waiver of `ruleId` (the rule's `waivableOn`), with the fix; undefined
 * when it accepts one. Shared by the waiver checks and the self-check's hint.
 */
export function waiverRefusal(ruleId: string, kind: string): { reason: string; fix: string } | undefined {
  const rule = findRule(ruleId);
  if (!rule || waivableOnKind(rule, kind)) return undefined;
  const constructs = (rule.waivableOn ?? []).map((k) => `Hardened${k}`).join(' or ');
  return {
    reason: `${ruleId} may only be waived on a ${constructs} (the catalog's waivableOn: ${(rule.waivableOn ?? []).join(', ')})`,
    fix: `remove what the rule flags, run the workload as a ${constructs} if that is what it is (a node agent), or change the design so that the pod does not need it.`,
  };
}

/** Ids of the rules a workload can judge alone (pod and object rules; set rules need the whole app). */
function ruleIdsForSelfCheck(): string[] {
  selfCheckRuleIds ??= ALL_RULES.filter((r) => r.scope !== 'set').map((r) => r.id);
  return selfCheckRuleIds;
}
