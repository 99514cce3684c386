/**
 * Renderers for a reachability result: a Mermaid flowchart (one subgraph per namespace) and a Markdown table.
 * Both are deterministic: same input, same text.
 */
import { EndpointKind, NetworkEndpoint, NetworkFlow, ReachabilityResult } from './model';

/** `TCP 8080`, `TCP 8000-8100`, `UDP all`, `TCP http`, `any`. */
export function describePort(flow: NetworkFlow): string {
  if (flow.protocol === 'any') return 'any';
  if (flow.portName !== undefined) return `${flow.protocol} ${flow.portName}`;
  if (flow.port === undefined) return `${flow.protocol} all`;
  return flow.endPort === undefined ? `${flow.protocol} ${flow.port}` : `${flow.protocol} ${flow.port}-${flow.endPort}`;
}

/** Flows merged per (from, to) with their ports joined, in flow order. */
export function groupFlows(flows: readonly NetworkFlow[]): Array<{ from: string; to: string; ports: string[] }> {
  const groups = new Map<string, { from: string; to: string; ports: string[] }>();
  for (const flow of flows) {
    const key = `${flow.from}\u0000${flow.to}`;
    let group = groups.get(key);
    if (!group) {
      group = { from: flow.from, to: flow.to, ports: [] };
      groups.set(key, group);
    }
    group.ports.push(describePort(flow));
  }
  return [...groups.values()];
}

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function endpointLabel(endpoint: NetworkEndpoint): string {
  switch (endpoint.kind) {
    case EndpointKind.WORKLOAD:
      return `${endpoint.workloadKind ?? ''} ${endpoint.label}`.trim();
    default:
      return endpoint.label;
  }
}

/**
 * A Mermaid `flowchart LR`: workloads grouped in one subgraph per namespace, outside endpoints (any address,
 * CIDRs, selected pods outside the set) as separate nodes, one edge per (client, server) labelled with ports.
 * Workloads that take part in no flow are shown too, so an isolated workload is visible as such.
 */
export function toMermaid(result: ReachabilityResult): string {
  const ids = new Map<string, string>();
  result.endpoints.forEach((e, i) => ids.set(e.id, `n${i}`));
  const lines = ['flowchart LR'];
  const byNamespace = new Map<string, NetworkEndpoint[]>();
  const outside: NetworkEndpoint[] = [];
  for (const endpoint of result.endpoints) {
    if (endpoint.kind === EndpointKind.WORKLOAD && endpoint.namespace !== undefined) {
      const list = byNamespace.get(endpoint.namespace) ?? [];
      list.push(endpoint);
      byNamespace.set(endpoint.namespace, list);
    } else {
      outside.push(endpoint);
    }
  }
  let subgraph = 0;
  for (const namespace of [...byNamespace.keys()].sort()) {
    lines.push(`  subgraph ns${subgraph++}["namespace ${escapeMermaid(namespace)}"]`);
    for (const endpoint of byNamespace.get(namespace)!) lines.push(`    ${ids.get(endpoint.id)}["${escapeMermaid(endpointLabel(endpoint))}"]`);
    lines.push('  end');
  }
  for (const endpoint of outside) {
    // Outside endpoints get a distinct shape: they are not workloads of the analysed set.
    lines.push(`  ${ids.get(endpoint.id)}(["${escapeMermaid(endpointLabel(endpoint))}"])`);
  }
  for (const group of groupFlows(result.flows)) {
    const from = ids.get(group.from);
    const to = ids.get(group.to);
    if (!from || !to) continue;
    lines.push(`  ${from} -->|"${escapeMermaid(group.ports.join(', '))}"| ${to}`);
  }
  return lines.join('\n') + '\n';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A Markdown table: one row per (client, server) with its ports. */
export function toMarkdownTable(result: ReachabilityResult): string {
  const rows = ['| From | To | Ports |', '| --- | --- | --- |'];
  for (const group of groupFlows(result.flows)) {
    rows.push(`| ${escapeCell(group.from)} | ${escapeCell(group.to)} | ${escapeCell(group.ports.join(', '))} |`);
  }
  return rows.join('\n') + '\n';
}

/**
 * The network section of a Markdown report: a Mermaid diagram, the flow table, isolation gaps and input problems.
 * `heading` is the Markdown heading line (`## Network flows`).
 */
export function toMarkdownSection(result: ReachabilityResult, heading = '## Network flows'): string {
  const open = result.isolation.filter((i) => !i.ingressIsolated || !i.egressIsolated);
  const lines = [
    heading,
    '',
    `${result.isolation.length} workloads, ${groupFlows(result.flows).length} permitted connections (client, server) under NetworkPolicy,`,
    'assuming a CNI that enforces it. `any address` stands for everything outside the analysed workloads.',
    '',
    '```mermaid',
    toMermaid(result).trimEnd(),
    '```',
    '',
    toMarkdownTable(result).trimEnd(),
    '',
  ];
  if (open.length > 0) {
    lines.push('Workloads not isolated by any NetworkPolicy (all traffic allowed in that direction):', '');
    for (const i of open) {
      const directions = [!i.ingressIsolated ? 'ingress' : undefined, !i.egressIsolated ? 'egress' : undefined].filter(Boolean).join(' and ');
      lines.push(`- ${escapeCell(i.workload)}: ${directions}`);
    }
    lines.push('');
  }
  if (result.problems.length > 0) {
    lines.push('Input the analysis could not read (ignored, never widening access):', '');
    for (const problem of result.problems) lines.push(`- ${problem}`);
    lines.push('');
  }
  return lines.join('\n');
}
