/**
 * The shape of a catalog rule. One rule per file under src/rules/<area>/, collected by the area's index.ts.
 * A rule is data (id, severity, rationale, references) plus a pure check; the engine decides which
 * objects a rule sees, applies waivers and builds findings.
 */
import type { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import type { ScannedImage } from '../analysis/images/scan-reports';
import type { PermissionMatch } from '../analysis/rbac/dangerous';
import type { ObjectIndex } from '../core/object-index';
import type { K8sObject, Level, Severity, Violation } from '../core/types';
import type { ObjectView, PodView } from '../core/views';
import { WORKLOAD_KINDS } from '../core/workload-kinds';

/** Where a rule comes from and what it matches in other tools. Every field is optional. */
export interface RuleReferences {
  /** Pod Security Standards check id, exactly as upstream spells it (e.g. `capabilities_restricted`). */
  readonly pss?: string;
  /**
   * CIS Kubernetes Benchmark items in v1.10 numbering (e.g. `5.2.7`, comma separated). The catalog, SARIF and
   * docs/cis-coverage.md derive every other mapped version's numbers from it (src/core/cis.ts).
   */
  readonly cis?: string;
  /** CIS items that only v1.11 and later number, in v1.12 numbering (e.g. `1.2.30`). */
  readonly cisLater?: string;
  /** NSA/CISA Kubernetes Hardening Guide section. */
  readonly nsa?: string;
  /** kube-linter check name. */
  readonly kubeLinter?: string;
  /** Polaris check id. */
  readonly polaris?: string;
  /** kubesec rule id. */
  readonly kubesec?: string;
  /** kube-score test id. */
  readonly kubeScore?: string;
  /** Kyverno policy name (kyverno/policies). */
  readonly kyverno?: string;
  /** Further reading (documentation URLs). */
  readonly links?: readonly string[];
}

export type { Violation } from '../core/types';

/** A violation found by a cross-object rule: it names the object it belongs to. */
export interface ObjectViolation extends Violation {
  readonly object: K8sObject;
}

/**
 * Settings that tune rules (an organisation's image policy, ...). Each area adds its own optional field;
 * the CLI reads them from `--config` and `Hardening.enforce` from its options.
 */
export interface RuleSettings {
  /**
   * True when the objects are a complete set (a whole synth output or a whole directory), so that
   * cross-object rules may report references to objects missing from it.
   * @default true
   */
  readonly completeSet?: boolean;
  /**
   * The organisation's image policy (allowed registries and repositories, digests, pull policies and
   * secrets). Validate user input with `parseImagePolicy`. Without it: digests required, `latest` never,
   * any registry allowed.
   */
  readonly imagePolicy?: ImagePolicySettings;
  /**
   * The Kubernetes version the manifests are applied to (`1.30`): decides which API versions are removed or
   * deprecated. Validate user input with `kubernetesVersionError`.
   * @default '1.30' (the library's minimum)
   */
  readonly kubernetesVersion?: string;
  /**
   * Image scanners' results (`check --scan-report`, read with `parseScanReport`) for the scan gate,
   * image-known-vulnerabilities. Undefined: the gate does not run (it reports nothing).
   */
  readonly scanReports?: readonly ScannedImage[];
  /** Lowest vulnerability severity the scan gate reports. @default Severity.CRITICAL */
  readonly vulnerabilitySeverity?: Severity;
}

/** What every check receives besides its subject. */
export interface RuleContext {
  /** Every object in the run, for cross-object rules and lookups. */
  readonly index: ObjectIndex;
  readonly settings: RuleSettings;
}

/** Catalog metadata shared by every rule. */
export interface RuleMetadata {
  /** Stable, kebab-case, area-prefixed id (`pod-run-as-non-root`). Never reused for another meaning. */
  readonly id: string;
  /** One line, imperative or descriptive (`Containers must not run privileged`). */
  readonly title: string;
  /** Folder under src/rules, also the id prefix area (`pod`, `image`, `namespace`, `network`, `rbac`, ...). */
  readonly area: string;
  readonly severity: Severity;
  /** `baseline` rules run at both levels; `restricted` Pod Security Standards controls (with `references.pss`) only at `restricted` (the default); other rules at both. */
  readonly level: Level;
  /** Kinds the rule judges (for docs and filtering). Pod rules list the workload kinds. */
  readonly kinds: readonly string[];
  /** Why it matters: the threat it defends against. */
  readonly rationale: string;
  /** How to fix a violation, in the terms of both plain YAML and the library's constructs. */
  readonly remediation: string;
  readonly references: RuleReferences;
  /**
   * Rules this one replaces at its level. The Pod Security Standards replace four baseline checks with
   * stricter restricted ones; at `restricted` the replaced rules do not run, so one problem is reported once.
   */
  readonly overrides?: readonly string[];
  /**
   * True for set rules that report something missing from the set (a binding to a role that is not there, a
   * namespace without a default-deny policy, a workload no PodDisruptionBudget selects). A scan of a partial set
   * (`--partial`) reports their findings as warnings about the scanned input, never as findings.
   */
  readonly judgesAbsence?: boolean;
  /**
   * True for rules that judge a namespace's own setup (its default-deny policies, quota, limit range, admission
   * labels). Namespaces managed elsewhere (`--external-namespaces`) are not judged by them, and the report says so.
   */
  readonly namespaceLevel?: boolean;
  /**
   * Kinds on which a hardened construct accepts a waiver of this rule (host access: only node agents, `DaemonSet`).
   * Unset: waivable on every kind it judges. A waiver elsewhere is refused with a hint to use such a kind.
   */
  readonly waivableOn?: readonly string[];
  /**
   * False for rules that do not apply to pods that run to completion (Jobs, CronJobs): liveness and readiness
   * probes. The hardened batch constructs record a waiver for them. @default true
   */
  readonly appliesToBatch?: boolean;
}

/** Whether the hardened constructs accept a waiver of `rule` on a `kind` object (see `waivableOn`). */
export function waivableOnKind(rule: RuleMetadata, kind: string): boolean {
  return rule.waivableOn === undefined || rule.waivableOn.includes(kind);
}

/** A rule judged on every pod spec: Pods and the pod templates of workload controllers. */
export interface PodRule extends RuleMetadata {
  readonly scope: 'pod';
  check(pod: PodView, context: RuleContext): Violation[];
}

/** A rule judged on one object at a time, for the kinds it lists. */
export interface ObjectRule extends RuleMetadata {
  readonly scope: 'object';
  check(object: ObjectView, context: RuleContext): Violation[];
}

/** A rule judged on the whole set of objects (a namespace without a NetworkPolicy, a dangling binding). */
export interface SetRule extends RuleMetadata {
  readonly scope: 'set';
  check(context: RuleContext): ObjectViolation[];
}

export type Rule = PodRule | ObjectRule | SetRule;

/** Kinds whose objects carry a pod spec (the engine expands them for pod rules): every row of the workload-kinds table. */
export { WORKLOAD_KINDS };

/** Declares a pod rule; `kinds` defaults to every workload kind. */
export function podRule(rule: Omit<PodRule, 'scope' | 'kinds'> & { kinds?: readonly string[] }): PodRule {
  return { ...rule, scope: 'pod', kinds: rule.kinds ?? WORKLOAD_KINDS };
}

/**
 * Gives a rule an admission spec computed on first use, for specs derived from large tables (the bootstrap roles):
 * a scan never reads it, the policy builder and the docs do. The property stays enumerable, so spreads and
 * `JSON.stringify` see it as before.
 */
export function lazyAdmission<R extends Rule>(rule: R, build: () => AdmissionSpec): R {
  let spec: AdmissionSpec | undefined;
  Object.defineProperty(rule, 'admission', { enumerable: true, get: () => (spec ??= build()) });
  return rule;
}

/** Declares a single-object rule. */
export function objectRule(rule: Omit<ObjectRule, 'scope'>): ObjectRule {
  return { ...rule, scope: 'object' };
}

/** Declares a cross-object rule. */
export function setRule(rule: Omit<SetRule, 'scope'>): SetRule {
  return { ...rule, scope: 'set' };
}

/**
 * One CEL check run at admission (ValidatingAdmissionPolicy, admissionregistration.k8s.io/v1). The expression
 * sees `object`, `oldObject`, `request` and `variables` and must be true for the object to be admitted.
 */
export interface AdmissionValidation {
  readonly expression: string;
  /** One line saying what is wrong; the policy builder prefixes the rule id and appends the remediation. */
  readonly message: string;
  /**
   * CEL string that says more precisely what is wrong (which containers), evaluated only when the check
   * fails; the API server falls back to `message` when it cannot be evaluated.
   */
  readonly messageExpression?: string;
}

/** A named CEL value (`variables.<name>`) computed once per admission request, before the validations. */
export interface AdmissionVariable {
  readonly name: string;
  readonly expression: string;
}

/**
 * How a rule is enforced at admission. Pod rules are written against the shared pod variables
 * (`variables.podSpec`, `variables.allContainers`, ... see src/rules/kit/pod-variables.ts), so one expression
 * judges Pods and every workload template. A rule without `admission` is listed as not enforced at admission.
 */
export interface AdmissionSpec {
  /** Variables of this rule only, evaluated after the shared ones. */
  readonly variables?: readonly AdmissionVariable[];
  readonly validations: readonly AdmissionValidation[];
}

/** Optional catalog fields read by the admission builder (src/admission). */
export interface RuleMetadata {
  /** CEL that judges the rule on one object at admission; unset when it cannot be judged there. */
  readonly admission?: AdmissionSpec;
  /** Why the rule is not enforced at admission (for rules without `admission`; shown by docs and the CLI). */
  readonly notAtAdmission?: string;
}

/** Why a rule gets no admission policy, or undefined when it has CEL (shared by the policy builder and the docs). */
export function notAtAdmissionReason(rule: RuleMetadata & { readonly scope: Rule['scope'] }): string | undefined {
  if (rule.admission) return undefined;
  if (rule.notAtAdmission) return rule.notAtAdmission;
  if (rule.scope === 'set') return 'judged on the whole set of objects; admission sees one object at a time';
  return 'no CEL expression in the catalog yet';
}

/** Optional catalog fields read by the RBAC classification, AuditedServiceAccount and docs/rbac.md. */
export interface RuleMetadata {
  /**
   * What an RBAC permission rule matches in a Role's rules (probes, wildcards, verbs dangerous on any resource):
   * the rule's own data, matched by src/analysis/rbac/dangerous.ts and compiled to its admission CEL.
   */
  readonly rbac?: PermissionMatch;
}
