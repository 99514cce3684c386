/**
 * JSON: one object that says everything a run found, so a script never mistakes "not judged" for "passed":
 * the findings that fail the check, the waived findings with their reasons, the warnings of a partial scan, the objects no rule judged, the input
 * problems and the notes on how the input was read. Every key is always present, in this order.
 */
import { unjudgedObjects, type CheckReport } from './model';
import type { Finding } from '../core/types';

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

export interface JsonWaivedFinding extends JsonFinding {
  readonly reason: string;
  /** The waiver's optional fields, present only when it has them. */
  readonly expires?: string;
  readonly owner?: string;
  readonly ticket?: string;
}

export interface JsonUnjudgedObject {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly file: string | null;
  readonly line: number | null;
}

export interface JsonProblem {
  readonly file: string | null;
  readonly line: number | null;
  readonly message: string;
}

export interface JsonReport {
  readonly findings: JsonFinding[];
  readonly waived: JsonWaivedFinding[];
  /** What rules that judge absence found missing from a partial scan's input (`--partial`): never findings. */
  readonly warnings: JsonFinding[];
  readonly notJudged: JsonUnjudgedObject[];
  readonly problems: JsonProblem[];
  readonly notes: string[];
}

function jsonFinding(f: Finding): JsonFinding {
  return {
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
  };
}

export function renderJson(report: CheckReport): string {
  const { result } = report;
  const json: JsonReport = {
    findings: result.findings.map(jsonFinding),
    waived: result.waived.map((f) => ({
      ...jsonFinding(f),
      reason: f.waiver?.reason ?? '',
      ...(f.waiver?.expires !== undefined ? { expires: f.waiver.expires } : {}),
      ...(f.waiver?.owner !== undefined ? { owner: f.waiver.owner } : {}),
      ...(f.waiver?.ticket !== undefined ? { ticket: f.waiver.ticket } : {}),
    })),
    warnings: (result.warnings ?? []).map(jsonFinding),
    notJudged: unjudgedObjects(report).map((o) => ({
      kind: o.kind,
      namespace: o.namespace ?? null,
      name: o.name,
      file: o.file ?? null,
      line: o.line ?? null,
    })),
    problems: result.problems.map((p) => ({ file: p.file ?? null, line: p.line ?? null, message: p.message })),
    notes: [...(result.notes ?? [])],
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
