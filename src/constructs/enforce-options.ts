/** The options of `Hardening.enforce` and where they apply (shared by the enforcement and the workloads' self-check). */
import type { IConstruct } from 'constructs';
import type { DefaultResources } from './default-resources';
import type { HardeningPolicy } from './hardening-policy';
import { PodSecurityLevel, judgingLevel } from './pod-security-level';
import { parseImagePolicy } from '../analysis/images/image-policy';
import type { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import { Severity } from '../core/types';
import type { CheckResult, Finding } from '../core/types';
import { waiverGovernanceOf, WaiverGovernanceOptions } from '../core/waiver-governance-options';
import { clockError } from '../core/waiver-judgement';
import type { WaiverPolicy } from '../core/waiver-policy';
import { engineOptions as policyEngineOptions, externalNamespacesError, grantExemptions, HardenedConfig } from '../engine/config';
import type { EngineOptions } from '../engine/engine';
import { applyExemptions, ExemptionJudgement } from '../engine/exemptions';
import { findRule } from '../rules';
import { kubernetesVersionError } from '../rules/workload/api-lifecycle';

/** What `Hardening.enforce` judges and what fails synth. */
export interface EnforceOptions {
  /**
   * The organisation policy (`HardeningPolicy.fromFile('.cdk8s-hardened.yaml')`): the same file the CLI, the
   * validation plugin and the admission params read. The other options override it (level, minSeverity,
   * imagePolicy, kubernetesVersion, waivable) or add to it (skip, lockedRules). Its exemptions and team grants
   * apply to the objects they select; a grant is recorded on them (`hardened.cdk8s.io/policy-grant`).
   * @default - no policy: the options alone
   */
  readonly policy?: HardeningPolicy;
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
   * Requests and limits of every hardened container under the scope that declares no `resources` (a nearer
   * LockedNamespace's `defaultResources` wins).
   * @default - none: a hardened container without `resources` is an error naming the prop
   */
  readonly defaultResources?: DefaultResources;
  /**
   * Namespaces managed elsewhere (`['*']` for every namespace), e.g. namespaces a platform team creates: the
   * namespace-level rules (default deny, quota, limit range, admission labels) do not judge them.
   * @default - every namespace the scope's objects use is judged
   */
  readonly externalNamespaces?: string[];
  /**
   * The scope is part of what runs in the cluster (its roles or policies live elsewhere): what rules that judge
   * absence find missing (a dangling binding, a missing PodDisruptionBudget, ...) never fails synth; it is listed
   * as a warning when synth fails for another reason.
   * @default false
   */
  readonly partial?: boolean;
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

/** The policy of the options (empty without one). */
export function policyOf(options: EnforceOptions = {}): HardenedConfig {
  return options.policy?._config ?? {};
}

/** Engine options for enforce options (shared with the hardened workloads' self-check): the options over the policy. */
export function engineOptions(options: EnforceOptions = {}): EngineOptions {
  const policy = policyOf(options);
  const base = policyEngineOptions(policy, {
    ...(options.level !== undefined ? { level: judgingLevel(options.level, 'EnforceOptions.level') } : {}),
    ...(options.minSeverity !== undefined ? { minSeverity: options.minSeverity } : {}),
    ...(options.skip ? { skip: options.skip } : {}),
    ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: checkedVersion(options.kubernetesVersion) } : {}),
    ...(options.externalNamespaces !== undefined ? { externalNamespaces: checkedExternal(options.externalNamespaces) } : {}),
    ...(options.partial ? { partial: true } : {}),
  });
  const imagePolicy = options.imagePolicy ? parseImagePolicy(options.imagePolicy) : base.settings?.imagePolicy;
  const waivable = options.waivable ?? policy.waivable;
  const engine: EngineOptions = {
    ...base,
    level: base.level ?? 'restricted',
    minSeverity: base.minSeverity ?? Severity.LOW,
    skip: base.skip ?? [],
    lockedRules: [...new Set([...(policy.lockedRules ?? []), ...(options.lockedRules ?? [])])],
    // Validated like the policy file, so a typo fails at enforce() instead of being ignored.
    settings: { ...base.settings, ...(imagePolicy ? { imagePolicy } : {}) },
    ...(waivable ? { waiverPolicy: waivable } : {}),
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

/** External namespaces are validated like the CLI's `--external-namespaces`: a typo must not widen what passes. */
function checkedExternal(names: readonly string[]): string[] {
  const error = externalNamespacesError(names);
  if (error) throw new Error(`Hardening.enforce: externalNamespaces: ${error}`);
  return [...names];
}

/**
 * The policy's exemptions and grants, as the CLI applies them; a grant with a path covers only the objects built
 * under it (CI and admission, which see no construct paths, relax the whole namespace). Shared by the enforcement
 * and the hardened workloads' self-check, so a workload the policy exempts passes both.
 */
export function applyPolicyExemptions(
  result: CheckResult,
  policy: HardenedConfig,
  constructPath: (f: Finding) => string | undefined,
  judgement: ExemptionJudgement,
): CheckResult {
  const locked = policy.lockedRules ?? [];
  const everywhere = { ...policy, grants: (policy.grants ?? []).filter((g) => g.path === undefined) };
  let out = applyExemptions(result, [...(policy.exemptions ?? []), ...grantExemptions(everywhere)], locked, judgement).result;
  for (const grant of (policy.grants ?? []).filter((g) => g.path !== undefined)) {
    const exemptions = grantExemptions({ ...policy, grants: [grant] });
    const inside = out.findings.filter((f) => underPath(constructPath(f), grant.path!));
    const applied = applyExemptions({ ...out, findings: inside }, exemptions, locked, judgement).result;
    const findings = [...out.findings.filter((f) => !inside.includes(f)), ...applied.findings].sort(compareFindingsOf(out.findings));
    out = { ...out, findings, waived: applied.waived };
  }
  return out;
}

/** Keeps the engine's order of findings after a subset was re-filtered. */
function compareFindingsOf(order: readonly Finding[]): (a: Finding, b: Finding) => number {
  return (a, b) => order.indexOf(a) - order.indexOf(b);
}

export function underPath(path: string | undefined, prefix: string): boolean {
  return path !== undefined && (path === prefix || path.startsWith(`${prefix}/`));
}
