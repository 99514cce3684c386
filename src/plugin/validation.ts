/**
 * The cdk8s CLI validation plugin: `cdk8s synth` runs it over the synthesized manifests when cdk8s.yaml
 * lists it under `validations:`, and fails synth on findings or unreadable manifests. Same engine, same
 * rules, same waivers and config as `cdk8s-hardened check`.
 *
 * The cdk8s CLI creates the class with `new HardenedValidation(properties)` and calls `validate(context)`
 * (cdk8s-cli src/plugins/validation.ts); the context type is the CLI's, so it is read structurally here.
 */
import { groupBy } from '../core/group-by';
import { Finding, Severity } from '../core/types';
import type { WaiverGovernanceOptions } from '../core/waiver-governance-options';
import { clockError } from '../core/waiver-judgement';
import type { WaiverPolicy } from '../core/waiver-policy';
import { findPolicyFile, HardenedConfig, loadConfig, parseConfig } from '../engine/config';
import { scan } from '../engine/scan';
import { problemText, ruleHelpUri, unjudgedObjects, unjudgedText, warningText } from '../report/model';

/** Properties of the plugin, from the `properties:` of its entry in cdk8s.yaml. */
export interface HardenedValidationProps {
  /**
   * Pod Security Standards level to judge at: `baseline` or `restricted`.
   * @default 'restricted'
   */
  readonly level?: string;
  /**
   * Report (and fail on) findings at or above this severity.
   * @default Severity.LOW
   */
  readonly minSeverity?: Severity;
  /**
   * Run only these rule ids.
   * @default - every rule of the level
   */
  readonly rules?: string[];
  /**
   * Skip these rule ids.
   * @default - none
   */
  readonly skip?: string[];
  /**
   * Rules whose waivers and exemptions are ignored.
   * @default - none
   */
  readonly lockedRules?: string[];
  /**
   * Namespace for namespaced objects without one, as `kubectl apply -n NAMESPACE` reads them (an object in another
   * namespace is then an input problem, as kubectl refuses it).
   * @default - objects without a namespace are read as `default`
   */
  readonly namespace?: string;
  /**
   * Kubernetes version the manifests target (`1.30`), for removed and deprecated API versions.
   * @default '1.30'
   */
  readonly kubernetesVersion?: string;
  /**
   * Where waivers are permitted (the same policy as the cluster's `AdmissionPolicies.waivable`): a waiver
   * elsewhere is not honoured.
   * @default - every waiver with a reason is honoured
   */
  readonly waivable?: WaiverPolicy;
  /**
   * Namespaces managed elsewhere (`['*']` for every namespace): the namespace-level rules (default deny, quota,
   * limit range, admission labels) do not judge them, and a note says so.
   * @default - every namespace the manifests use is judged
   */
  readonly externalNamespaces?: string[];
  /**
   * The manifests are part of what runs in the cluster: what rules that judge absence find missing (a dangling
   * binding, a missing PodDisruptionBudget, ...) is logged as a warning about the scanned input, never a violation.
   * @default false
   */
  readonly partial?: boolean;
  /**
   * The waiver governance (the config file's `waivers:`): fields waivers must carry, their longest lifetime, and
   * whether an unused waiver fails the validation.
   * @default - no demands; unused waivers are logged
   */
  readonly waivers?: WaiverGovernanceOptions;
  /**
   * Read kube-linter, Polaris and kube-score exemption annotations as waivers (the CLI's `--peer-exemptions`).
   * @default false
   */
  readonly peerExemptions?: boolean;
  /**
   * The day waiver expiry is judged on (`YYYY-MM-DD`, UTC; the CLI's `--today`).
   * @default - $CDK8S_HARDENED_TODAY, else today
   */
  readonly today?: string;
  /**
   * The organisation policy file (the CLI's `--policy`), relative to the directory `cdk8s synth` runs in.
   * Settings given here as properties override the file's.
   * @default - the nearest `.cdk8s-hardened.yaml` above the synthesized manifests, else above the working directory
   */
  readonly policyFile?: string;
  /**
   * Alias of `policyFile` (the name of earlier versions).
   * @default - see policyFile
   */
  readonly configFile?: string;
}

/** The cdk8s-hardened rule engine as a cdk8s CLI validation plugin. */
export class HardenedValidation {
  private readonly overrides: Partial<HardenedConfig>;
  private readonly policyFile?: string;
  private readonly today?: string;

  constructor(props: HardenedValidationProps = {}) {
    const { configFile, policyFile, today, ...settings } = props as HardenedValidationProps & Record<string, unknown>;
    if (configFile !== undefined && policyFile !== undefined && configFile !== policyFile) {
      throw new Error('cdk8s.yaml validation properties of cdk8s-hardened: policyFile and configFile name the same setting (configFile is its alias): give one');
    }
    if (today !== undefined) {
      const error = typeof today === 'string' ? clockError(today) : 'must be a date YYYY-MM-DD';
      if (error) throw new Error(`cdk8s.yaml validation properties of cdk8s-hardened: today: ${error}`);
      this.today = today;
    }
    // Properties come from YAML: validate them as strictly as a policy file (unknown keys are errors).
    this.overrides = definedOnly(parseConfig(settings, 'cdk8s.yaml validation properties of cdk8s-hardened'));
    this.policyFile = policyFile ?? configFile;
    // A named file is read now, so a typo fails before synth runs.
    if (this.policyFile) loadConfig(this.policyFile);
  }

  /** The policy: the named file or the nearest .cdk8s-hardened.yaml above the manifests, under the properties. */
  private configFor(manifests: readonly string[]): HardenedConfig {
    const file = this.policyFile ?? findPolicyFile(manifests);
    return { ...(file ? loadConfig(file) : {}), ...this.overrides };
  }

  /** Judges the synthesized manifests and reports findings as violations; input problems fail too. */
  public async validate(context: any): Promise<void> {
    const manifests: string[] = [...(context.manifests ?? [])];
    const flags = this.today !== undefined ? { today: this.today } : {};
    const { report, unusedExemptions } = await scan(manifests, { config: this.configFor(manifests), flags });
    const { findings, waived, problems } = report.result;

    for (const [ruleId, ruleFindings] of byRule(findings)) {
      const rule = report.rules.find((r) => r.id === ruleId);
      context.report.addViolation({
        ruleName: `${ruleId} (${ruleFindings[0].severity})`,
        recommendation: rule?.title ?? ruleFindings[0].message,
        fix: `${rule?.remediation ?? ruleFindings[0].remediation} See ${ruleHelpUri(ruleId)}`,
        violatingResources: ruleFindings.map((f) => ({
          resourceName: f.name,
          locations: [`${f.path}: ${f.message}`],
          manifestPath: f.file ?? '',
        })),
      });
    }
    if (problems.length > 0) {
      context.report.addViolation({
        ruleName: 'input-problem',
        recommendation: 'Every manifest must be readable YAML or JSON holding Kubernetes objects; this input could not be judged.',
        fix: 'Fix the manifests named below.',
        violatingResources: problems.map((p) => ({ resourceName: p.name ?? '(input)', locations: [problemText(p)], manifestPath: p.file ?? '' })),
      });
    }
    for (const f of waived) context.logger?.log?.(`waived: ${f.ruleId} on ${f.kind} ${f.name}: ${f.waiver?.reason ?? ''}`);
    for (const e of unusedExemptions) context.logger?.log?.(`config exemption for ${e.ruleId} matched no finding`);
    for (const o of unjudgedObjects(report)) context.logger?.log?.(`not judged: ${o.file ? `${o.file}: ` : ''}${unjudgedText(o)}`);
    for (const note of report.result.notes ?? []) context.logger?.log?.(`note: ${note}`);
    for (const f of report.result.warnings ?? []) context.logger?.log?.(warningText(f));

    context.report.submit(findings.length > 0 || problems.length > 0 ? 'failure' : 'success', {
      objects: String(report.result.objectCount),
      rules: String(report.result.rulesRun.length),
      findings: String(findings.length),
      waived: String(waived.length),
      problems: String(problems.length),
    });
  }
}

function byRule(findings: readonly Finding[]): Map<string, Finding[]> {
  return groupBy(findings, (f) => f.ruleId);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
