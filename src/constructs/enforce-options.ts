/** The options of `Hardening.enforce` and where they apply (shared by the enforcement and the workloads' self-check). */
import type { IConstruct } from 'constructs';
import { PodSecurityLevel, judgingLevel } from './pod-security-level';
import { parseImagePolicy } from '../analysis/images/image-policy';
import type { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import { Severity } from '../core/types';
import { waiverGovernanceOf, WaiverGovernanceOptions } from '../core/waiver-governance-options';
import { clockError } from '../core/waiver-judgement';
import type { WaiverPolicy } from '../core/waiver-policy';
import type { EngineOptions } from '../engine/engine';
import { findRule } from '../rules';
import { kubernetesVersionError } from '../rules/workload/api-lifecycle';

/** What `Hardening.enforce` judges and what fails synth. */
export interface EnforceOptions {
  /** Fail only on findings at or above this severity. @default Severity.LOW */
  readonly minSeverity?: Severity;
  /** Level to judge at (BASELINE or RESTRICTED). @default PodSecurityLevel.RESTRICTED */
  readonly level?: PodSecurityLevel;
  /** Rule ids not run at all (an organisation's opt-outs). @default - none */
  readonly skip?: string[];
  /** Rule ids whose waivers are not honoured (non-negotiable controls). @default - none */
  readonly lockedRules?: string[];
  /**
   * The organisation's image policy: trusted registries and repositories, digest pinning, pull policies and
   * pull secrets (the same settings as `imagePolicy:` in the CLI's --config file; see docs/supply-chain.md).
   * @default - digest required, `latest` never, any registry
   */
  readonly imagePolicy?: ImagePolicySettings;
  /**
   * Kubernetes version the output is applied to (`1.32`): API versions it no longer serves are findings
   * (workload-removed-api), deprecated ones low-severity findings (workload-deprecated-api).
   * @default '1.30' (the library's minimum)
   */
  readonly kubernetesVersion?: string;
  /**
   * Where waivers are permitted: give the same policy as `AdmissionPolicies.waivable` and synth reaches the
   * verdict the cluster will. A waiver the policy does not permit is not honoured.
   * @default - every waiver with a reason is honoured
   */
  readonly waivable?: WaiverPolicy;
  /**
   * What waivers must carry (expires, owner, ticket), how long they may live, and whether an unused waiver fails
   * synth. A waiver that expired or falls short is not honoured: its finding fails synth and says why.
   * @default - no demands; unused waivers are notes
   */
  readonly waiverGovernance?: WaiverGovernanceOptions;
  /**
   * The day waiver expiry is judged on (`YYYY-MM-DD`, UTC), for reproducible builds and tests.
   * @default - $CDK8S_HARDENED_TODAY, else today
   */
  readonly today?: string;
}


const ENFORCED = new WeakMap<IConstruct, EnforceOptions>();

/** Remembers that `scope` is enforced with `options`. */
export function registerEnforcedScope(scope: IConstruct, options: EnforceOptions): void {
  ENFORCED.set(scope, options);
}

/** The options `scope` itself was enforced with, if any. */
export function enforcedOptions(scope: IConstruct): EnforceOptions | undefined {
  return ENFORCED.get(scope);
}

/** The options of the nearest enforced scope enclosing `construct` (itself included). */
export function nearestEnforceOptions(construct: IConstruct): EnforceOptions | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const options = ENFORCED.get(scopes[i]);
    if (options) return options;
  }
  return undefined;
}

/** Engine options for enforce options (shared with the hardened workloads' self-check). */
export function engineOptions(options: EnforceOptions = {}): EngineOptions {
  const engine: EngineOptions = {
    level: judgingLevel(options.level, 'EnforceOptions.level'),
    minSeverity: options.minSeverity ?? Severity.LOW,
    skip: options.skip ?? [],
    lockedRules: options.lockedRules ?? [],
    // Validated like the CLI's config file, so a typo fails at enforce() instead of being ignored.
    settings: {
      ...(options.imagePolicy ? { imagePolicy: parseImagePolicy(options.imagePolicy) } : {}),
      ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: checkedVersion(options.kubernetesVersion) } : {}),
    },
    ...(options.waivable ? { waiverPolicy: options.waivable } : {}),
    ...(options.waiverGovernance ? { waiverGovernance: waiverGovernanceOf(options.waiverGovernance, 'EnforceOptions.waiverGovernance', (id) => findRule(id) !== undefined) } : {}),
    ...(options.today !== undefined ? { today: checkedToday(options.today) } : {}),
  };
  return engine;
}


function checkedToday(today: string): string {
  const error = clockError(today);
  if (error) throw new Error(`EnforceOptions.today: ${error}`);
  return today;
}

function checkedVersion(version: string): string {
  const error = kubernetesVersionError(version);
  if (error) throw new Error(`EnforceOptions.kubernetesVersion: ${error}`);
  return version.trim();
}
