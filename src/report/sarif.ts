/**
 * SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs): rule metadata with help links to
 * docs/rules.md, one result per finding with the file and line region of its object, waived findings as
 * suppressed results, input problems as error notifications of an unsuccessful run, and objects no rule judged as
 * note notifications.
 */
import * as path from 'path';
import type * as sarif from 'sarif';
import { CheckReport, PROJECT_URL, ruleHelpUri, unjudgedObjects, unjudgedText, warningText } from './model';
import { cisReferencesByVersion } from '../core/cis';
import { Finding, InputProblem, Severity } from '../core/types';
import type { Rule } from '../rules/rule';

const LEVEL: Record<Severity, sarif.ReportingConfiguration.level> = {
  [Severity.CRITICAL]: 'error',
  [Severity.HIGH]: 'error',
  [Severity.MEDIUM]: 'warning',
  [Severity.LOW]: 'note',
};

/** GitHub code scanning ranks security results by this score (0.1-10). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  [Severity.CRITICAL]: '9.5',
  [Severity.HIGH]: '8.0',
  [Severity.MEDIUM]: '5.5',
  [Severity.LOW]: '3.0',
};

export interface SarifOptions {
  /** Directory that relative artifact URIs are resolved against. @default process.cwd() */
  readonly baseDir?: string;
}

export function buildSarif(report: CheckReport, options: SarifOptions = {}): sarif.Log {
  const baseDir = options.baseDir ?? process.cwd();
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  // Findings carry the first line of their object; the inputs know where it ends.
  const endLines = new Map(report.inputs.map((i) => [`${i.source?.file}\u0000${i.source?.line}`, i.source?.endLine]));
  const withEnd = (f: Finding) => ({ ...f, endLine: endLines.get(`${f.file}\u0000${f.line}`) });
  const results: sarif.Result[] = [
    ...report.result.findings.map((f) => result(withEnd(f), ruleIndex, baseDir)),
    ...report.result.waived.map((f) => result(withEnd(f), ruleIndex, baseDir)),
  ];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cdk8s-hardened',
            version: report.toolVersion,
            semanticVersion: report.toolVersion,
            informationUri: PROJECT_URL,
            rules: report.rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileUri(baseDir, true) } },
        invocations: [
          {
            executionSuccessful: report.result.problems.length === 0,
            // Problems are errors of the run; objects no rule judged and reading notes are notes, so that a clean
            // run over custom resources never reads as "judged and passed".
            toolExecutionNotifications: [
              ...report.result.problems.map((p) => notification(p, baseDir)),
              ...unjudgedObjects(report).map((o) => notification({ message: unjudgedText(o), file: o.file, line: o.line, endLine: o.endLine }, baseDir, 'note')),
              ...(report.result.notes ?? []).map((message) => notification({ message }, baseDir, 'note')),
              // A partial scan's absences may exist outside the input: warnings of the run, not results.
              ...(report.result.warnings ?? []).map((f) => notification({ message: warningText(f), file: f.file, line: f.line }, baseDir, 'warning')),
            ],
          },
        ],
        results,
      },
    ],
  };
}

export function renderSarif(report: CheckReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(report, options), null, 2)}\n`;
}

function ruleDescriptor(rule: Rule): sarif.ReportingDescriptor {
  const cis = cisReferencesByVersion(rule.references);
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: rule.remediation, markdown: `${rule.remediation}\n\n[Rule documentation](${ruleHelpUri(rule.id)})` },
    helpUri: ruleHelpUri(rule.id),
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      // One tag per CIS item and version (`CIS-1.12/5.1.3`), so code scanning can filter by the benchmark a team follows.
      'tags': ['security', 'kubernetes', rule.area, ...cis.flatMap((v) => v.items.map((id) => `CIS-${v.short}/${id}`))],
      'security-severity': SECURITY_SEVERITY[rule.severity],
      'severity': rule.severity,
      'level': rule.level,
      'kinds': [...rule.kinds],
      ...(cis.length > 0 ? { cis: Object.fromEntries(cis.map((v) => [v.version, [...v.items]])) } : {}),
    },
  };
}

function result(f: Finding & { endLine?: number }, ruleIndex: Map<string, number>, baseDir: string): sarif.Result {
  const logical: sarif.LogicalLocation = {
    name: f.name,
    fullyQualifiedName: [f.namespace, f.kind, f.name].filter((x) => x).join('/'),
    kind: 'resource',
  };
  const r: sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex: ruleIndex.get(f.ruleId),
    level: LEVEL[f.severity],
    message: { text: `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}: ${f.message} (at ${f.path})` },
    locations: [{ ...physicalLocation(f, baseDir), logicalLocations: [logical] }],
    partialFingerprints: { 'cdk8sHardened/v1': [f.ruleId, f.kind, f.namespace ?? '', f.name, f.path].join('|') },
    properties: { severity: f.severity, kind: f.kind, namespace: f.namespace, name: f.name, path: f.path, remediation: f.remediation },
  };
  if (f.waiver) {
    // The waiver lives in the object's annotation (or the organisation's config): both are reviewed sources.
    return { ...r, suppressions: [{ kind: 'inSource', status: 'accepted', justification: f.waiver.reason }] };
  }
  return r;
}

function physicalLocation(at: { file?: string; line?: number; endLine?: number }, baseDir: string): Pick<sarif.Location, 'physicalLocation'> {
  if (!at.file) return {};
  const region: sarif.Region | undefined = at.line ? { startLine: at.line, endLine: Math.max(at.line, at.endLine ?? at.line) } : undefined;
  return { physicalLocation: { artifactLocation: artifactLocation(at.file, baseDir), ...(region ? { region } : {}) } };
}

function notification(p: InputProblem & { endLine?: number }, baseDir: string, level: sarif.Notification.level = 'error'): sarif.Notification {
  const location = physicalLocation(p, baseDir);
  return {
    level,
    message: { text: p.message },
    ...(location.physicalLocation ? { locations: [location] } : {}),
  };
}

function artifactLocation(file: string, baseDir: string): sarif.ArtifactLocation {
  if (file === '-') return { uri: 'stdin' };
  const absolute = path.resolve(baseDir, file);
  const relative = path.relative(baseDir, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileUri(absolute, false) };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

function pathToFileUri(p: string, directory: boolean): string {
  const segments = path.resolve(p).split(path.sep).map(encodeURIComponent).join('/');
  const uri = `file://${segments.startsWith('/') ? '' : '/'}${segments}`;
  return directory && !uri.endsWith('/') ? `${uri}/` : uri;
}
