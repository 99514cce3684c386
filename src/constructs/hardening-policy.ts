/**
 * HardeningPolicy: the organisation policy as a construct-API value, with the same content as the policy file
 * `.cdk8s-hardened.yaml` (schema/cdk8s-hardened-policy.schema.json) that the CLI, the validation plugin and
 * the admission params read. Give it to `Hardening.enforce(scope, { policy })` and `AdmissionPolicies` so synth,
 * CI and the cluster judge with one policy.
 */
import { PodSecurityLevel } from './pod-security-level';
import type { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import { Severity } from '../core/types';
import type { WaiverGovernanceOptions } from '../core/waiver-governance-options';
import type { WaiverPolicy } from '../core/waiver-policy';
import { HardenedConfig, loadConfig, parseConfig } from '../engine/config';

/** A rule's severity changed, or the rule disabled, by the organisation (`overrides:` in the file). */
export interface PolicyRuleOverride {
  /** The rule (`cdk8s-hardened rules` lists them). */
  readonly ruleId: string;
  /** The severity the organisation gives the rule's findings. @default - the catalog's */
  readonly severity?: Severity;
  /** true: the rule is not run, and every output records it with the reason. @default false */
  readonly disable?: boolean;
  /** Why (at least 10 characters on one line). */
  readonly reason: string;
}

/** An exemption kept by the security team (`exemptions:` in the file): one rule, a reason, the objects it covers. */
export interface PolicyExemption {
  /** The rule exempted. */
  readonly ruleId: string;
  /** Why (at least 10 characters on one line). */
  readonly reason: string;
  /** Kind of the objects covered (`*` matches any run of characters). @default - any kind */
  readonly kind?: string;
  /** Namespace of the objects covered (a Namespace object is in its own). @default - any namespace */
  readonly namespace?: string;
  /** Name of the objects covered. @default - any name */
  readonly name?: string;
  /** ISO date (YYYY-MM-DD) after which the exemption no longer holds. @default - no expiry */
  readonly expires?: string;
  /** Who answers for the exemption. @default - none */
  readonly owner?: string;
  /** Where the exemption is tracked. @default - none */
  readonly ticket?: string;
  /** The selector may match every object. @default false */
  readonly allowBlanket?: boolean;
}

/** A team grant (`grants:` in the file): a namespace judged at a weaker level or without some rules, with a reason. */
export interface PolicyTeamGrant {
  /** Name of the grant (lower-case letters, digits and `-`), written to the objects it covers. */
  readonly name: string;
  /** The namespace granted: the CLI and admission relax exactly this namespace. */
  readonly namespace: string;
  /**
   * A construct path prefix (`App/TeamB`) that narrows the grant at synth, and lets a nested
   * `Hardening.enforce` under it ask for what the grant allows. CI and admission see namespaces only.
   * @default - every object of the namespace
   */
  readonly path?: string;
  /** The level the namespace is judged at (BASELINE to leave the restricted controls out). @default - the policy's level */
  readonly level?: PodSecurityLevel;
  /** Rules not judged in the namespace. @default - none */
  readonly disable?: string[];
  /** Why (at least 10 characters on one line). */
  readonly reason: string;
}

/** The content of an organisation policy: every key of `.cdk8s-hardened.yaml`. */
export interface HardeningPolicyProps {
  /** Level every judge judges at. @default PodSecurityLevel.RESTRICTED */
  readonly level?: PodSecurityLevel;
  /** Report and fail on findings at or above this severity. @default Severity.LOW */
  readonly minSeverity?: Severity;
  /** Run only these rules. @default - every rule of the level */
  readonly rules?: string[];
  /** Rules not run (recorded without a reason: prefer `overrides` with `disable`). @default - none */
  readonly skip?: string[];
  /** Per-rule severities and disables, each with a reason. @default - none */
  readonly overrides?: PolicyRuleOverride[];
  /** Rules whose waivers, exemptions and grants are never honoured. @default - none */
  readonly lockedRules?: string[];
  /** Exemptions kept by the security team. @default - none */
  readonly exemptions?: PolicyExemption[];
  /** Team grants. @default - none */
  readonly grants?: PolicyTeamGrant[];
  /** The image policy (docs/supply-chain.md). @default - digests required, `latest` never, any registry */
  readonly imagePolicy?: ImagePolicySettings;
  /** Namespace of namespaced objects without one (the CLI's `-n`). @default - `default` */
  readonly namespace?: string;
  /** Kubernetes version the manifests target (`1.30`). @default '1.30' */
  readonly kubernetesVersion?: string;
  /** Where waiver annotations are permitted (the cluster's admission params). @default - every waiver with a reason (admission: none) */
  readonly waivable?: WaiverPolicy;
  /** Lowest vulnerability severity the scan gate reports. @default Severity.CRITICAL */
  readonly vulnerabilitySeverity?: Severity;
  /** Namespaces that exist in the cluster but not in the manifests. @default - none */
  readonly externalNamespaces?: string[];
  /** The manifests are part of what the cluster runs. @default false */
  readonly partial?: boolean;
  /** Waiver governance: what every waiver must carry and how long it may live. @default - no requirement */
  readonly waivers?: WaiverGovernanceOptions;
  /**
   * Honour kube-linter, Polaris and kube-score exemption annotations as waivers, through the catalog's references
   * (the policy file's `peerExemptions`). Each needs the reason annotation `hardened.cdk8s.io/peer-exemption-reason`.
   * @default false
   */
  readonly peerExemptions?: boolean;
}

/** An organisation policy, validated against the shipped schema and the catalog when it is created. */
export class HardeningPolicy {
  /** Reads a policy file (YAML or JSON, the format of `.cdk8s-hardened.yaml`); errors name the file and the key. */
  public static fromFile(file: string): HardeningPolicy {
    const config = loadConfig(file);
    const policy = new HardeningPolicy();
    policy._config = config;
    return policy;
  }

  /** Where the policy came from: the file it was read from, or `HardeningPolicy` for one built in code. */
  public get source(): string {
    return this._config.source ?? 'HardeningPolicy';
  }

  /** @internal */
  public _config: HardenedConfig;

  constructor(props: HardeningPolicyProps = {}) {
    this._config = { ...parseConfig(props, 'HardeningPolicy'), source: 'HardeningPolicy' };
  }
}
