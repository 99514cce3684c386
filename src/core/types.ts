/**
 * Plain data types shared by the rule catalog, the engine, the reporters and the CLI.
 * Nothing here depends on cdk8s: the engine judges JSON objects from any source.
 */

/** How bad a finding is. Ordered: critical > high > medium > low. */
export enum Severity {
  CRITICAL = 'critical',
  HIGH = 'high',
  MEDIUM = 'medium',
  LOW = 'low',
}

/** Severities from the most to the least severe. */
export const SEVERITY_ORDER: readonly Severity[] = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW];

/** Numeric rank of a severity (critical = 3, low = 0): higher is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.length - 1 - SEVERITY_ORDER.indexOf(severity);
}

/** Parses a severity name (case-insensitive); undefined when the name is not a severity. */
export function parseSeverity(name: string): Severity | undefined {
  const lower = name.toLowerCase();
  return SEVERITY_ORDER.find((s) => s === lower);
}

/**
 * The Pod Security Standards level a check belongs to. Judging at `baseline` leaves out only the controls of the
 * standards' restricted profile (rules with `references.pss` at `restricted`); every rule outside the standards
 * (RBAC, network, namespace, image, workload) runs at both levels.
 */
export type Level = 'baseline' | 'restricted';

/** A Kubernetes object as plain JSON. Fields are read defensively: input may be malformed. */
export interface K8sObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: unknown;
  [key: string]: unknown;
}

/** Where an object came from, when it was read from a file. */
export interface SourceLocation {
  /** File path as given by the user ('-' for stdin). */
  readonly file: string;
  /** 1-based line of the object's first line in the file. */
  readonly line?: number;
  /** 0-based index of the YAML document (or List item) in the file. */
  readonly documentIndex?: number;
  /** 1-based last line of the object in the file, when known (SARIF regions). */
  readonly endLine?: number;
}

/** An object handed to the engine, with its optional source location. */
export interface CheckInput {
  readonly object: K8sObject;
  readonly source?: SourceLocation;
}

/** A waiver recorded on an object: rule id plus the reason a human gave, and who answers for it until when. */
export interface Waiver {
  /**
   * The rule waived: a catalog id. In TypeScript write `RuleId.POD_PRIVILEGED` (a misspelt member fails to
   * compile); other languages and YAML give the id string.
   */
  readonly ruleId: string;
  /** Why the control is weakened: one line of at least 10 visible characters. */
  readonly reason: string;
  /**
   * The last day the waiver holds (ISO `YYYY-MM-DD`, UTC): from the next day the finding is reported again, with
   * the date it expired on.
   * @default - it never expires (unless the organisation's waiver governance requires a date)
   */
  readonly expires?: string;
  /** Who answers for the waiver (a team, a person). @default - none */
  readonly owner?: string;
  /** The ticket that tracks removing it. @default - none */
  readonly ticket?: string;
}

/** A waiver that names a finding but does not cover it, and why (the sentence is also in the finding's message). */
export interface RefusedWaiver {
  readonly waiver: Waiver;
  readonly why: string;
}

/** Where a waiver was written: by a construct, by hand as an annotation, in a config file, or as a peer tool's exemption. */
export type WaiverSource = 'construct' | 'annotation' | 'config' | 'peer';

/** A waiver whose rule finds nothing on its object: stale, worth deleting. */
export interface UnusedWaiver {
  readonly waiver: Waiver;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
}

/** One rule violated by one object (or reported as waived). */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** JSON path into the object, e.g. `spec.template.spec.containers[0].securityContext.privileged`. */
  readonly path: string;
  readonly message: string;
  /** How to fix it (the rule's remediation unless the check said something more specific). */
  readonly remediation: string;
  readonly file?: string;
  readonly line?: number;
  /** Set when a waiver on the object covers this finding: it is reported but does not fail a check. */
  readonly waiver?: Waiver;
  /** Set when a waiver names this finding but is not honoured today (expired, or short of the governance). */
  readonly refusedWaiver?: RefusedWaiver;
}

/** A problem with the input itself rather than with its security (not an object, unreadable waiver, ...). */
export interface InputProblem {
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly kind?: string;
  readonly name?: string;
}

/** Everything one engine run found. */
export interface CheckResult {
  /** Violations not covered by a waiver, sorted by file, line, kind, namespace, name, rule, path. */
  readonly findings: Finding[];
  /** Violations covered by a waiver, same order. */
  readonly waived: Finding[];
  /** Input that could not be judged (reported, never silently skipped). */
  readonly problems: InputProblem[];
  /** Number of objects judged. */
  readonly objectCount: number;
  /** Ids of the rules that ran. */
  readonly rulesRun: string[];
  /** Waivers whose rule ran on their object and found nothing there (see the governance's `unused`). */
  readonly unusedWaivers?: UnusedWaiver[];
  /** Facts about how the input was read that change no verdict (namespace-less objects read as `default`, ...). */
  readonly notes?: string[];
  /**
   * Scans of partial sets (`partial`): what rules that judge absence found missing from the scanned input. It may
   * exist outside it, so these are warnings, never findings (set only when the scan is partial).
   */
  readonly warnings?: Finding[];
}

/** One violation a check returns: where in the object and what is wrong. */
export interface Violation {
  /** JSON path into the object (`spec.template.spec.containers[0].securityContext`). */
  readonly path: string;
  readonly message: string;
  /** A fix more specific than the rule's remediation, when the check knows one. */
  readonly remediation?: string;
}
