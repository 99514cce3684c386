/**
 * docs/cis-coverage.md, generated from the code: the settings tables of the cluster constructs, the
 * implicit kubeadm coverage and the rule catalog's CIS references. Items nothing covers are listed with the
 * reason. Regenerate with `npx tsx scripts/cis-coverage.ts`; a test fails when the committed file is stale.
 */
import { AuditPolicy } from './audit-policy';
import { AuditWebhookConfig } from './audit-webhook';
import { ApiServerAuthenticationConfig } from './authentication-config';
import { ControlPlaneConfig, KUBEADM_IMPLICIT_COVERAGE } from './control-plane-config';
import { EncryptionConfig } from './encryption-config';
import { KubeletConfig } from './kubelet-config';
import { TracedSetting } from '../../analysis/cluster/traced-setting';
import { CIS_BENCHMARK, CIS_BENCHMARK_VERSIONS, CisBenchmarkVersion, CisItem, cisReferencesByVersion, cisSectionOf } from '../../core/cis';
import { ALL_RULES } from '../../rules';
import type { Rule } from '../../rules/rule';

/** Every setting the cluster constructs write, in file order. */
export function allClusterSettings(): TracedSetting[] {
  return [
    ...ControlPlaneConfig.settings(),
    ...ApiServerAuthenticationConfig.settings(),
    ...AuditPolicy.settings(),
    ...EncryptionConfig.settings(),
    ...KubeletConfig.settings(),
    ...AuditWebhookConfig.settings(),
  ];
}

const NODE_FILES =
  'Permissions and ownership of a file on the node: the library writes file contents, not file modes. Check with kube-bench on each node.';

/** Why an item is not covered, for items no setting, kubeadm default or rule covers. */
export const CIS_NOT_COVERED: Readonly<Record<string, string>> = {
  '1.2.9': 'EventRateLimit needs an admission configuration file with limits sized to the cluster; ControlPlaneConfig does not write one (it can enable the plugin through additionalAdmissionPlugins).',
  '3.1.1': 'How people authenticate is an identity-provider decision (OIDC through AuthenticationConfiguration jwt issuers); the library does not configure it.',
  '3.1.2': 'How people authenticate is an identity-provider decision; service account tokens given to people are an operational practice, not a file setting.',
  '3.1.3': 'Bootstrap tokens are kubeadm\'s node-join mechanism; keeping them away from people is an operational practice (short TTLs: kubeadm token create --ttl).',
  '4.2.7': '--hostname-override is a kubelet command-line flag, not a KubeletConfiguration field; keep it out of the kubelet unit file.',
  '4.3.1': 'KubeProxyConfiguration is not generated; kube-proxy\'s default metricsBindAddress (127.0.0.1:10249) satisfies the item as long as it is not changed.',
  '5.3.1': 'Whether the CNI enforces NetworkPolicy is a property of the cluster\'s network plugin, not of any manifest.',
  '5.4.2': 'External secret storage is an architecture decision outside the manifests.',
  '5.7.1': 'Administrative boundaries between namespaces are an organisational decision.',
};

/** Generic reason for a policies item no catalog rule references yet. */
const NO_RULE_YET = 'No catalog rule references this item yet.';

/** How the library covers one benchmark item. */
export interface ItemCoverage {
  readonly item: CisItem;
  readonly settings: TracedSetting[];
  readonly implicit?: string;
  readonly rules: string[];
  /** Set when nothing covers the item. */
  readonly notCovered?: string;
}

/** The v1.10 benchmark (the numbering of the code). */
const V110 = CIS_BENCHMARK_VERSIONS.find((b) => b.version === CIS_BENCHMARK.version)!;

/** Coverage of every item of sections 1 to 5 of a benchmark version (default v1.10, the code's numbering). */
export function cisCoverage(rules: readonly Rule[] = ALL_RULES, benchmark: CisBenchmarkVersion = V110): ItemCoverage[] {
  const settings = allClusterSettings();
  const inVersion = (ids: readonly string[]) => ids.map((id) => benchmark.fromV110(id)).filter((id): id is string => id !== undefined);
  const itemsOf = (s: TracedSetting) => [...inVersion(s.cis), ...(benchmark.numbersLaterItems ? s.cis112Only ?? [] : [])];
  const notCoveredReasons = new Map(Object.entries(CIS_NOT_COVERED).flatMap(([id, why]) => {
    const mapped = benchmark.fromV110(id);
    return mapped === undefined ? [] : [[mapped, why] as const];
  }));
  // A rule's items in this version, from the same derivation the catalog and SARIF print.
  const itemsOfRule = (r: Rule) => cisReferencesByVersion(r.references).find((v) => v.version === benchmark.version)?.items ?? [];
  return benchmark.items.map((item) => {
    const bySetting = settings.filter((s) => itemsOf(s).includes(item.id));
    const implicit = KUBEADM_IMPLICIT_COVERAGE.find((c) => benchmark.fromV110(c.cis) === item.id)?.how;
    const byRule = rules.filter((r) => itemsOfRule(r).includes(item.id)).map((r) => r.id);
    const covered = bySetting.length > 0 || implicit !== undefined || byRule.length > 0;
    let notCovered: string | undefined;
    if (!covered) {
      if (item.id.startsWith('1.1.') || item.id.startsWith('4.1.')) notCovered = NODE_FILES;
      else notCovered = notCoveredReasons.get(item.id) ?? (item.id.startsWith('5.') ? NO_RULE_YET : undefined);
    }
    return { item, settings: bySetting, implicit, rules: byRule, notCovered };
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function how(c: ItemCoverage): string {
  const parts: string[] = [];
  for (const s of c.settings) parts.push(`${s.component} \`${s.setting}\` = \`${s.value}\` (${s.file.split(' (')[0]})`);
  if (c.implicit) parts.push(`kubeadm default: ${c.implicit}`);
  if (c.rules.length > 0) parts.push(`rule${c.rules.length > 1 ? 's' : ''} ${c.rules.map((r) => `\`${r}\``).join(', ')}`);
  return parts.join('; ');
}

function renderVersion(lines: string[], rules: readonly Rule[], benchmark: CisBenchmarkVersion): void {
  const coverage = cisCoverage(rules, benchmark);
  const covered = coverage.filter((c) => !c.notCovered);
  lines.push(
    `## ${CIS_BENCHMARK.name} ${benchmark.version}`,
    '',
    `kube-bench profile \`${benchmark.kubeBenchProfile}\`, which kube-bench's version map assigns to Kubernetes ${benchmark.kubernetesVersions}.`,
    '',
    `Of ${coverage.length} items, ${covered.length} are covered: ` +
      `${coverage.filter((c) => c.settings.length > 0).length} by a setting the library writes, ` +
      `${coverage.filter((c) => c.implicit).length} by a kubeadm default the library keeps, ` +
      `${coverage.filter((c) => c.rules.length > 0).length} by a catalog rule (some by more than one). ` +
      `${coverage.length - covered.length} are not covered; each says why.`,
    '',
  );
  for (const section of benchmark.sections) {
    const items = coverage.filter((c) => cisSectionOf(c.item.id) === section.id);
    if (items.length === 0) continue;
    lines.push(`### ${section.id} ${section.title} (${benchmark.version})`, '', '| Item | Title | Assessment | Coverage | How |', '| --- | --- | --- | --- | --- |');
    for (const c of items) {
      const status = c.notCovered ? 'not covered' : 'covered';
      lines.push(`| ${c.item.id} | ${cell(c.item.title)} | ${c.item.assessment} | ${status} | ${cell(c.notCovered ?? how(c))} |`);
    }
    lines.push('');
  }
  const numbered = (s: TracedSetting) =>
    s.cis.some((id) => benchmark.fromV110(id) !== undefined) || (benchmark.numbersLaterItems && (s.cis112Only ?? []).length > 0);
  lines.push(
    `### Settings without a benchmark item (${benchmark.version})`,
    '',
    'Settings the library writes for reasons this benchmark version does not number.',
    '',
    '| File | Component | Setting | Value | Reason |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const s of allClusterSettings().filter((x) => !numbered(x))) {
    lines.push(`| ${cell(s.file)} | ${s.component} | \`${cell(s.setting)}\` | \`${cell(s.value)}\` | ${cell(s.reason)} |`);
  }
  lines.push('');
}

/** The Markdown of docs/cis-coverage.md: one part per benchmark version, the one for the targeted Kubernetes versions first. */
export function renderCisCoverage(rules: readonly Rule[] = ALL_RULES): string {
  const lines: string[] = [
    '# CIS Kubernetes Benchmark coverage',
    '',
    '<!-- Generated by `npx tsx scripts/cis-coverage.ts` from src/constructs/cluster and the rule catalog. Do not edit. -->',
    '',
    `Benchmark versions: ${CIS_BENCHMARK_VERSIONS.map((b) => `${b.version} (\`${b.kubeBenchProfile}\`, Kubernetes ${b.kubernetesVersions})`).join(' and ')}.`,
    'The library targets Kubernetes 1.32+, which kube-bench checks with v1.12. The code writes every CIS number in v1.10 numbering',
    '(rule references, settings tables) and names the items only later versions have (1.2.30, 4.2.14) separately; each part below',
    'shows the numbers of its version. Sections 1 (control plane), 2 (etcd), 3 (control plane configuration), 4 (worker nodes) and 5 (policies).',
    '',
    'A setting is written by a construct (ControlPlaneConfig, ApiServerAuthenticationConfig, AuditPolicy, EncryptionConfig, KubeletConfig, AuditWebhookConfig);',
    'a catalog rule judges manifests and configuration files wherever they come from (synth, `cdk8s-hardened check`).',
    'Covering an item means the generated configuration satisfies it; confirm the running cluster with kube-bench.',
    '',
  ];
  for (const benchmark of CIS_BENCHMARK_VERSIONS) renderVersion(lines, rules, benchmark);
  return lines.join('\n');
}
