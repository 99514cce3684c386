/**
 * AdmissionPolicies: the catalog's CEL as ValidatingAdmissionPolicies and bindings in a chart, so the cluster
 * refuses at admission what synth and the CLI report. Plain JSON comes from src/admission/policies.ts.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import type { HardeningPolicy } from './hardening-policy';
import { judgingLevel, PodSecurityLevel } from './pod-security-level';
import { DEFAULT_PARAMS_NAMESPACE, PARAMS_NAME } from '../admission/params';
import { buildAdmissionPolicies, DEFAULT_EXCLUDED_NAMESPACES } from '../admission/policies';
import { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import { Severity } from '../core/types';
import { WaiverPolicy } from '../core/waiver-policy';
import { waiverLabel } from '../core/waivers';
import { engineOptions, policyExemptions } from '../engine/config';
import { findRule } from '../rules';

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
   * The organisation policy (the same `HardeningPolicy` as `Hardening.enforce({ policy })`): its level, rules,
   * severities, locked rules, waivable, image policy, exemptions and team grants are written to the policies and
   * their params, so the cluster reaches the verdicts synth and the CLI reach. The other props override it
   * (lockedRules and skip add to it).
   * @default - no policy: the props alone
   */
  readonly policy?: HardeningPolicy;
  /**
   * Level of the pod rules (restricted includes baseline and the library's additions).
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly level?: PodSecurityLevel;
  /**
   * Actions of every binding. Deny and Warn cannot be combined. Actions without Deny (a staged roll-out: audit or
   * warn first) need `rolloutReason`.
   * @default [AdmissionAction.DENY]
   */
  readonly actions?: AdmissionAction[];
  /**
   * Why the bindings do not deny yet and until when (at least 10 characters, one line). Required when `actions`
   * has no Deny, refused when it has: each binding then carries the waiver annotation (and label) for
   * admission-binding-weakened with this reason, so `Hardening.enforce` and `cdk8s-hardened check` report the
   * roll-out as waived instead of failing, and the reason stays on the objects.
   * @default - none (actions must include Deny)
   */
  readonly rolloutReason?: string;
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
   * Rules whose waivers the cluster never honours: their policies have no exemption at all.
   * @default none
   */
  readonly lockedRules?: string[];
  /**
   * Which rules may be waived where, written to the params ConfigMap. An object is exempt from a rule only when
   * its `hardened.cdk8s.io/waivers` annotation holds an entry for the rule with a reason AND this policy permits
   * the rule in the object's namespace. Host-access rules (privileged, host namespaces, hostPath, host ports, ...)
   * are waivable only in namespaces named here, rule by rule (e.g. `namespaces: { 'node-agents': ['pod-privileged'] }`).
   * @default - no rule is waivable at admission
   */
  readonly waivable?: WaiverPolicy;
  /**
   * Namespace of the params ConfigMap (`hardened-admission-params`). Only cluster administrators should be able to
   * write it: whoever can edit it decides who is exempt.
   * @default 'kube-system'
   */
  readonly paramsNamespace?: string;
  /**
   * The day written to the params as `waivers.synth-date` (`YYYY-MM-DD`): the cluster has no clock, so waivers
   * that expired before it are denied. Regenerate the params (a daily synth) to move it forward; see
   * docs/admission.md, "Time".
   * @default - $CDK8S_HARDENED_TODAY, else today (UTC)
   */
  readonly today?: string;
  /**
   * The organisation's image policy (trusted registries and repositories, digests, pull policies), written to the
   * params ConfigMap so the allow-list is data: the same settings as `Hardening.enforce({ imagePolicy })`.
   * Pull-secret requirements are not judged at admission (they may be met by the pod's ServiceAccount).
   * @default - digests required, `latest` never, any registry
   */
  readonly imagePolicy?: ImagePolicySettings;
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
 * Kubernetes 1.30+) per selected rule, and the params ConfigMap they all read. An object is exempt from a rule
 * when its waiver annotation (on the pod template for workloads) holds an entry for the rule with a reason and
 * the params permit that rule in its namespace; a locked rule has no exemption.
 */
export class AdmissionPolicies extends Construct {
  /**
   * The label that marks an object as waived for a rule (`waive.hardened.cdk8s.io/<rule-id>`, value "true"), for
   * selecting waived objects. It never exempts anything by itself: admission reads the waiver annotation and the
   * params. The engine reports a label without a matching annotation entry.
   */
  public static exemptionLabel(ruleId: string): string {
    if (!findRule(ruleId)) throw new Error(`unknown rule id "${ruleId}" (list the rules with \`cdk8s-hardened rules\`)`);
    return waiverLabel(ruleId);
  }

  /** Name and namespace of the params ConfigMap. */
  public readonly paramsName: string;
  public readonly paramsNamespace: string;
  /** Names of the policies (and of their bindings), in catalog order. */
  public readonly policyNames: string[];
  /** Ids of the selected rules that cannot be judged at admission (cross-object rules, ...). */
  public readonly notEnforced: string[];

  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps = {}) {
    super(scope, id);
    let set;
    try {
      const policy = props.policy?._config ?? {};
      const engine = engineOptions(policy, {
        ...(props.level !== undefined ? { level: judgingLevel(props.level, 'AdmissionPolicies') } : {}),
        ...(props.minSeverity !== undefined ? { minSeverity: props.minSeverity } : {}),
        ...(props.rules ? { rules: props.rules } : {}),
        ...(props.skip ? { skip: props.skip } : {}),
      });
      const lockedRules = [...new Set([...(policy.lockedRules ?? []), ...(props.lockedRules ?? [])])];
      set = buildAdmissionPolicies({
        level: engine.level ?? 'restricted',
        actions: props.actions ?? [AdmissionAction.DENY],
        rolloutReason: props.rolloutReason,
        rules: engine.rules,
        skip: engine.skip,
        lockedRules,
        minSeverity: engine.minSeverity,
        catalog: engine.catalog,
        excludedNamespaces: props.excludedNamespaces ?? [...DEFAULT_EXCLUDED_NAMESPACES],
        waiverPolicy: props.waivable ?? policy.waivable,
        imagePolicy: props.imagePolicy ?? policy.imagePolicy,
        exemptions: policyExemptions({ ...policy, lockedRules }),
        ...(engine.waiverGovernance ? { waiverGovernance: engine.waiverGovernance } : {}),
        params: { name: PARAMS_NAME, namespace: props.paramsNamespace ?? DEFAULT_PARAMS_NAMESPACE },
        today: props.today,
      });
    } catch (e) {
      throw new Error(`${this.node.path}: ${(e as Error).message}`);
    }
    if (set.policies.length === 0) {
      throw new Error(`${this.node.path}: the selection enforces no rule at admission (check rules, skip, level and minSeverity)`);
    }
    this.policyNames = set.policies.map((p) => (p.metadata as { name: string }).name);
    this.notEnforced = set.notEnforced.map((n) => n.ruleId);
    this.paramsName = PARAMS_NAME;
    this.paramsNamespace = props.paramsNamespace ?? DEFAULT_PARAMS_NAMESPACE;
    // The params keep their own namespace, whatever the chart's.
    const params = new ApiObject(this, 'Params', set.params as any);
    if (params.metadata.namespace !== this.paramsNamespace) params.addJsonPatch(JsonPatch.replace('/metadata/namespace', this.paramsNamespace));
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
