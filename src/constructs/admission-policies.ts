/**
 * AdmissionPolicies: the catalog's CEL as ValidatingAdmissionPolicies and bindings in a chart, so the cluster
 * refuses at admission what synth and the CLI report. Plain JSON comes from src/admission/policies.ts.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { buildAdmissionPolicies, DEFAULT_EXCLUDED_NAMESPACES } from '../admission/policies';
import { Severity } from '../check/types';
import { waiverLabel } from '../check/waivers';
import { findRule } from '../rules';
import { judgingLevel, PodSecurityLevel } from './pod-security-level';

/** What the API server does when an object breaks a rule (ValidatingAdmissionPolicyBinding validationActions). */
export enum AdmissionAction {
  /** Reject the request. */
  DENY = 'Deny',
  /** Admit it and return a warning to the client (kubectl prints it). */
  WARN = 'Warn',
  /** Admit it and record the failure in the API server audit log. */
  AUDIT = 'Audit',
}

export interface AdmissionPoliciesProps {
  /**
   * Level of the pod rules (restricted includes baseline and the library's additions).
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly level?: PodSecurityLevel;
  /**
   * Actions of every binding. Deny and Warn cannot be combined.
   * @default [AdmissionAction.DENY]
   */
  readonly actions?: AdmissionAction[];
  /**
   * Enforce only these rule ids.
   * @default every rule of the level that can be judged at admission
   */
  readonly rules?: string[];
  /**
   * Rule ids not to enforce.
   * @default none
   */
  readonly skip?: string[];
  /**
   * Rules whose waivers the cluster does not honour: their policies ignore the exemption label.
   * @default none
   */
  readonly lockedRules?: string[];
  /**
   * Enforce only rules at or above this severity.
   * @default Severity.LOW
   */
  readonly minSeverity?: Severity;
  /**
   * Namespaces the bindings leave out.
   * @default ['kube-system']
   */
  readonly excludedNamespaces?: string[];
}

/**
 * One ValidatingAdmissionPolicy and one ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1,
 * Kubernetes 1.30+) per selected rule. Objects carrying the label `waive.hardened.cdk8s.io/<rule-id>: "true"`
 * (on the pod template for workloads) are exempt from that rule, unless the rule is locked.
 */
export class AdmissionPolicies extends Construct {
  /**
   * The label that exempts an object from a rule at admission (`waive.hardened.cdk8s.io/<rule-id>`, value "true").
   * It must be backed by a waiver in the `hardened.cdk8s.io/waivers` annotation; on workloads it goes on the pod template.
   */
  public static exemptionLabel(ruleId: string): string {
    if (!findRule(ruleId)) throw new Error(`unknown rule id "${ruleId}" (list the rules with \`cdk8s-hardened rules\`)`);
    return waiverLabel(ruleId);
  }

  /** Names of the policies (and of their bindings), in catalog order. */
  public readonly policyNames: string[];
  /** Ids of the selected rules that cannot be judged at admission (cross-object rules, ...). */
  public readonly notEnforced: string[];

  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps = {}) {
    super(scope, id);
    let set;
    try {
      set = buildAdmissionPolicies({
        level: judgingLevel(props.level, 'AdmissionPolicies'),
        actions: props.actions ?? [AdmissionAction.DENY],
        rules: props.rules,
        skip: props.skip,
        lockedRules: props.lockedRules,
        minSeverity: props.minSeverity,
        excludedNamespaces: props.excludedNamespaces ?? [...DEFAULT_EXCLUDED_NAMESPACES],
      });
    } catch (e) {
      throw new Error(`${this.node.path}: ${(e as Error).message}`);
    }
    if (set.policies.length === 0) {
      throw new Error(`${this.node.path}: the selection enforces no rule at admission (check rules, skip, level and minSeverity)`);
    }
    this.policyNames = set.policies.map((p) => (p.metadata as { name: string }).name);
    this.notEnforced = set.notEnforced.map((n) => n.ruleId);
    set.policies.forEach((policy, i) => {
      this.clusterObject(`Policy-${this.policyNames[i]}`, policy);
      this.clusterObject(`Binding-${this.policyNames[i]}`, set.bindings[i]);
    });
  }

  /** Policies and bindings are cluster-scoped: drop the namespace cdk8s copies from a namespaced chart. */
  private clusterObject(id: string, object: Record<string, unknown>): void {
    const apiObject = new ApiObject(this, id, object as any);
    if (apiObject.metadata.namespace !== undefined) apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
