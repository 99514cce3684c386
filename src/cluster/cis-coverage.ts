/**
 * docs/cis-coverage.md, generated from the code: the settings tables of the cluster constructs, the
 * implicit kubeadm coverage and the rule catalog's CIS references. Items nothing covers are listed with the
 * reason. Regenerate with `npx tsx scripts/cis-coverage.ts`; a test fails when the committed file is stale.
 */
import { AuditPolicy } from './audit-policy';
import { ApiServerAuthenticationConfig } from './authentication-config';
import { CIS_BENCHMARK, CIS_ITEMS, CIS_SECTIONS, CisItem, cisSectionOf } from './cis';
import { ControlPlaneConfig, KUBEADM_IMPLICIT_COVERAGE } from './control-plane-config';
import { EncryptionConfig } from './encryption-config';
import { KubeletConfig } from './kubelet-config';
import { TracedSetting } from './traced-setting';
import { ALL_RULES } from '../rules';
import type { Rule } from '../rules/rule';

/** Every setting the cluster constructs write, in file order. */
export function allClusterSettings(): TracedSetting[] {
  return [
    ...ControlPlaneConfig.settings(),
    ...ApiServerAuthenticationConfig.settings(),
    ...AuditPolicy.settings(),
    ...EncryptionConfig.settings(),
    ...KubeletConfig.settings(),
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

function cisIdsOf(rule: Rule): string[] {
  return (rule.references.cis ?? '').split(/[\s,;]+/).filter((x) => x !== '');
}

/** Coverage of every item of sections 1 to 5. */
export function cisCoverage(rules: readonly Rule[] = ALL_RULES): ItemCoverage[] {
  const settings = allClusterSettings();
  return CIS_ITEMS.map((item) => {
    const bySetting = settings.filter((s) => s.cis.includes(item.id));
    const implicit = KUBEADM_IMPLICIT_COVERAGE.find((c) => c.cis === item.id)?.how;
    const byRule = rules.filter((r) => cisIdsOf(r).includes(item.id)).map((r) => r.id);
    const covered = bySetting.length > 0 || implicit !== undefined || byRule.length > 0;
    let notCovered: string | undefined;
    if (!covered) {
      if (item.id.startsWith('1.1.') || item.id.startsWith('4.1.')) notCovered = NODE_FILES;
      else notCovered = CIS_NOT_COVERED[item.id] ?? (item.id.startsWith('5.') ? NO_RULE_YET : undefined);
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

/** The Markdown of docs/cis-coverage.md. */
export function renderCisCoverage(rules: readonly Rule[] = ALL_RULES): string {
  const coverage = cisCoverage(rules);
  const covered = coverage.filter((c) => !c.notCovered);
  const lines: string[] = [
    '# CIS Kubernetes Benchmark coverage',
    '',
    '<!-- Generated by `npx tsx scripts/cis-coverage.ts` from src/cluster and the rule catalog. Do not edit. -->',
    '',
    `Benchmark: ${CIS_BENCHMARK.name} ${CIS_BENCHMARK.version} (kube-bench profile \`${CIS_BENCHMARK.kubeBenchProfile}\`, written for Kubernetes ${CIS_BENCHMARK.kubernetesVersions}); every CIS number in the library uses this version.`,
    'The library targets Kubernetes 1.32+; settings that later benchmark versions number (1.2.30, 4.2.14 in v1.11+) are listed under "Settings without a benchmark item".',
    'Sections 1 (control plane), 2 (etcd), 3 (control plane configuration), 4 (worker nodes) and 5 (policies).',
    '',
    `Of ${coverage.length} items, ${covered.length} are covered: ` +
      `${coverage.filter((c) => c.settings.length > 0).length} by a setting the library writes, ` +
      `${coverage.filter((c) => c.implicit).length} by a kubeadm default the library keeps, ` +
      `${coverage.filter((c) => c.rules.length > 0).length} by a catalog rule (some by more than one). ` +
      `${coverage.length - covered.length} are not covered; each says why.`,
    '',
    'A setting is written by a construct (ControlPlaneConfig, ApiServerAuthenticationConfig, AuditPolicy, EncryptionConfig, KubeletConfig);',
    'a catalog rule judges manifests and configuration files wherever they come from (synth, `cdk8s-hardened check`).',
    'Covering an item means the generated configuration satisfies it; confirm the running cluster with kube-bench.',
    '',
  ];
  for (const section of CIS_SECTIONS) {
    const items = coverage.filter((c) => cisSectionOf(c.item.id) === section.id);
    if (items.length === 0) continue;
    lines.push(`## ${section.id} ${section.title}`, '', '| Item | Title | Assessment | Coverage | How |', '| --- | --- | --- | --- | --- |');
    for (const c of items) {
      const status = c.notCovered ? 'not covered' : 'covered';
      lines.push(`| ${c.item.id} | ${cell(c.item.title)} | ${c.item.assessment} | ${status} | ${cell(c.notCovered ?? how(c))} |`);
    }
    lines.push('');
  }
  lines.push('## Settings without a benchmark item', '', 'Settings the library writes for reasons the benchmark does not number.', '', '| File | Component | Setting | Value | Reason |', '| --- | --- | --- | --- | --- |');
  for (const s of allClusterSettings().filter((x) => x.cis.length === 0)) {
    lines.push(`| ${cell(s.file)} | ${s.component} | \`${cell(s.setting)}\` | \`${cell(s.value)}\` | ${cell(s.reason)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
