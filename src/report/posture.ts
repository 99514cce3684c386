/**
 * The Markdown posture report (`cdk8s-hardened report`): a list of section renderers, each a small
 * function of the scan, so that an area can contribute or replace its own section.
 */
import { cell, findingsTable, waiversTable } from './markdown';
import { CheckReport, countBySeverity, problemText, summaryLine, reportNotes, warningText } from './model';
import { analyzeReachability, groupFlows, ReachabilityResult, toMarkdownSection } from '../analysis/network';
import { AccessMatrix } from '../analysis/rbac/access-matrix';
import { groupBy } from '../core/group-by';
import { isObject } from '../core/json';
import { Finding, K8sObject, SEVERITY_ORDER } from '../core/types';
import { workloadKind } from '../core/workload-kinds';

export interface PostureSection {
  /** Section heading (level 2). */
  readonly title: string;
  /** Markdown lines of the section body. */
  render(report: CheckReport): string[];
}

export const summarySection: PostureSection = {
  title: 'Summary',
  render(report) {
    const { findings, waived, problems } = report.result;
    const verdict = problems.length > 0 ? 'INCOMPLETE (some input could not be judged)' : findings.length > 0 ? 'FAILING' : 'PASSING';
    const areaOf = (f: Finding) => report.rules.find((r) => r.id === f.ruleId)?.area ?? f.ruleId.split('-')[0];
    const areas = [...new Set([...report.rules.map((r) => r.area), ...findings.map(areaOf)])];
    const byArea = groupBy(findings, areaOf);
    const lines = [
      `**Posture: ${verdict}.** ${summaryLine(report)}.`,
      '',
      ...reportNotes(report).flatMap((note) => [`${note}.`, '']),
      ...(report.result.warnings ?? []).flatMap((f) => [`${warningText(f)} (missing from the partial input; it may exist elsewhere).`, '']),
      `| Area | ${SEVERITY_ORDER.join(' | ')} | Total | Waived |`,
      `| --- | ${SEVERITY_ORDER.map(() => '---:').join(' | ')} | ---: | ---: |`,
    ];
    const waivedByArea = groupBy(waived, areaOf);
    for (const area of areas) {
      const counts = countBySeverity(byArea.get(area) ?? []);
      const total = (byArea.get(area) ?? []).length;
      lines.push(`| ${cell(area)} | ${SEVERITY_ORDER.map((s) => counts[s]).join(' | ')} | ${total} | ${(waivedByArea.get(area) ?? []).length} |`);
    }
    const all = countBySeverity(findings);
    lines.push(`| **all** | ${SEVERITY_ORDER.map((s) => all[s]).join(' | ')} | ${findings.length} | ${waived.length} |`);
    return lines;
  },
};

export const findingsSection: PostureSection = {
  title: 'Findings',
  render(report) {
    return report.result.findings.length === 0 ? ['No findings.'] : findingsTable(report.result.findings);
  },
};

export const waiversSection: PostureSection = {
  title: 'Waivers',
  render(report) {
    const { waived } = report.result;
    if (waived.length === 0) return ['No waivers: every control applies as written.'];
    return ['Controls weakened on purpose, with the reason recorded on the object (or in the scanner config):', '', ...waiversTable(waived)];
  },
};

/** The objects of the scan that have an identity (what the analyses read). */
function judgedObjects(report: CheckReport): K8sObject[] {
  return report.inputs.map((i) => i.object).filter((o) => isObject(o) && typeof o.kind === 'string');
}

/** Runs an analysis for a section; a failure is reported in the section, never as a crash of the report. */
function guardedSection(what: string, render: () => string[]): string[] {
  try {
    return render();
  } catch (e) {
    return [`The ${what} could not be computed: ${cell((e as Error).message)}`];
  }
}

/** Who can do what, from the Roles, ClusterRoles and bindings of the scan (src/analysis/rbac). */
export const rbacSection: PostureSection = {
  title: 'RBAC access matrix',
  render(report) {
    return guardedSection('RBAC access matrix', () => {
      const objects = judgedObjects(report);
      if (!objects.some((o) => RBAC_KINDS.includes(o.kind as string))) return ['No Roles, ClusterRoles or bindings in the input: no access is granted by it.'];
      return AccessMatrix.fromObjects(objects).toMarkdown().trimEnd().split('\n');
    });
  },
};

/**
 * Bounds of the network section. Without NetworkPolicies every workload reaches every other one, so the
 * flows grow with the square of the workloads: past these sizes the analysis or its drawing would swamp
 * the report (and the machine), and the section says so instead.
 */
export const MAX_NETWORK_WORKLOADS = 300;
export const MAX_DRAWN_CONNECTIONS = 500;

/** The flows NetworkPolicies allow between the workloads of the scan, as a Mermaid graph (src/analysis/network). */
export const networkSection: PostureSection = {
  title: 'Allowed network flows',
  render(report) {
    return guardedSection('network flow graph', () => {
      const objects = judgedObjects(report);
      const workloads = objects.filter((o) => workloadKind(o.kind as string) !== undefined).length;
      if (workloads > MAX_NETWORK_WORKLOADS) {
        return [
          `${workloads} workloads: more than ${MAX_NETWORK_WORKLOADS}, so the flow analysis is left out to keep the report bounded.`,
          'Report one namespace or application at a time to see its flows.',
        ];
      }
      const result = analyzeReachability(objects);
      const connections = groupFlows(result.flows).length;
      if (connections > MAX_DRAWN_CONNECTIONS) return tooManyToDraw(result, connections);
      const heading = '## Allowed network flows';
      const lines = toMarkdownSection(result, heading).trimEnd().split('\n');
      // The network module renders its own heading; the report writes every heading itself.
      return lines[0] === heading ? lines.slice(lines[1] === '' ? 2 : 1) : lines;
    });
  },
};

/** Counts and isolation gaps without the graph, when the connections are too many to draw. */
function tooManyToDraw(result: ReachabilityResult, connections: number): string[] {
  const open = result.isolation.filter((i) => !i.ingressIsolated || !i.egressIsolated);
  const lines = [
    `${result.isolation.length} workloads, ${connections} permitted connections (client, server) under NetworkPolicy:`,
    `more than ${MAX_DRAWN_CONNECTIONS}, too many to draw. Report one namespace or application at a time to see the graph.`,
  ];
  if (open.length > 0) {
    lines.push('', `Workloads not isolated by any NetworkPolicy (${open.length}):`, '');
    for (const i of open) {
      const directions = [!i.ingressIsolated ? 'ingress' : undefined, !i.egressIsolated ? 'egress' : undefined].filter(Boolean).join(' and ');
      lines.push(`- ${cell(i.workload)}: ${directions}`);
    }
  }
  return lines;
}

const RBAC_KINDS = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

export const problemsSection: PostureSection = {
  title: 'Input problems',
  render(report) {
    const { problems } = report.result;
    if (problems.length === 0) return ['None: every input was read and judged.'];
    return ['This input could not be judged; the posture above is incomplete until it is fixed:', '', ...problems.map((p) => `- ${cell(problemText(p))}`)];
  },
};

/** The report's sections, in order. */
export const POSTURE_SECTIONS: readonly PostureSection[] = [
  summarySection,
  findingsSection,
  waiversSection,
  rbacSection,
  networkSection,
  problemsSection,
];

export function renderPosture(report: CheckReport, sections: readonly PostureSection[] = POSTURE_SECTIONS): string {
  const out = ['# Security posture report', '', `Generated by cdk8s-hardened ${report.toolVersion} over ${report.result.objectCount} objects.`, ''];
  for (const section of sections) out.push(`## ${section.title}`, '', ...section.render(report), '');
  return out.join('\n');
}
