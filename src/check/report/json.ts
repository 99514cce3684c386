/**
 * JSON: a stable array of the findings that fail the check (waived findings and input problems are not
 * findings; problems go to stderr and the exit code). Every key is always present, in this order.
 */
import type { CheckReport } from './model';

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly path: string;
  readonly message: string;
  readonly remediation: string;
}

export function renderJson(report: CheckReport): string {
  const findings: JsonFinding[] = report.result.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    file: f.file ?? null,
    line: f.line ?? null,
    kind: f.kind,
    namespace: f.namespace ?? null,
    name: f.name,
    path: f.path,
    message: f.message,
    remediation: f.remediation,
  }));
  return `${JSON.stringify(findings, null, 2)}\n`;
}
