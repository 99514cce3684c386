/** Renders the rule catalog (`cdk8s-hardened rules`): text, JSON, and the Markdown of docs/rules.md. */
import { cell, code } from './markdown';
import { plural, ruleHelpUri } from './model';
import { cisReferencesByVersion, formatCisReferences } from '../core/cis';
import { groupBy } from '../core/group-by';
import { notAtAdmissionReason, Rule, RuleReferences } from '../rules/rule';

export const CATALOG_FORMATS = ['text', 'markdown', 'json'] as const;
export type CatalogFormat = (typeof CATALOG_FORMATS)[number];

/** The command that writes docs/rules.md (the docs test compares its output with the file). */
export const RULES_DOC_COMMAND = 'npm run --silent cli -- rules --format markdown > docs/rules.md';

const PSS_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

export function renderCatalog(rules: readonly Rule[], format: CatalogFormat): string {
  switch (format) {
    case 'text':
      return catalogText(rules);
    case 'json':
      return `${JSON.stringify(rules.map(catalogEntry), null, 2)}\n`;
    case 'markdown':
      return catalogMarkdown(rules);
  }
}

export function catalogEntry(rule: Rule) {
  return {
    id: rule.id,
    title: rule.title,
    area: rule.area,
    severity: rule.severity,
    level: rule.level,
    scope: rule.scope,
    kinds: [...rule.kinds],
    rationale: rule.rationale,
    remediation: rule.remediation,
    references: rule.references,
    // The CIS items in every mapped benchmark version, so a consumer need not know the renumbering.
    cisBenchmarks: cisReferencesByVersion(rule.references).map((v) => ({
      version: v.version,
      kubeBenchProfile: v.kubeBenchProfile,
      items: [...v.items],
    })),
    overrides: [...(rule.overrides ?? [])],
    helpUri: ruleHelpUri(rule.id),
  };
}

function catalogText(rules: readonly Rule[]): string {
  const idWidth = Math.max(4, ...rules.map((r) => r.id.length));
  const lines = [`${'RULE'.padEnd(idWidth)}  SEVERITY  LEVEL       TITLE`];
  for (const r of rules) lines.push(`${r.id.padEnd(idWidth)}  ${r.severity.padEnd(8)}  ${r.level.padEnd(10)}  ${r.title}`);
  lines.push('', `${plural(rules.length, 'rule')}. Details: cdk8s-hardened rules --format markdown, or ${ruleHelpUri('').replace(/#$/, '')}`);
  return `${lines.join('\n')}\n`;
}

function catalogMarkdown(rules: readonly Rule[]): string {
  const out: string[] = [
    '# Rule catalog',
    '',
    `<!-- Generated from src/rules by \`${RULES_DOC_COMMAND}\`. Do not edit by hand: test/cli/rules-doc.test.ts fails when this file is stale. -->`,
    '',
    `${plural(rules.length, 'rule')}. Every consumer (synth-time enforcement, \`cdk8s-hardened check\`, the cdk8s validation plugin, admission policies) judges with this same catalog.`,
    '',
    '- **Severity**: critical > high > medium > low. `--min-severity` hides findings below a severity.',
    '- **Level**: `--level baseline` leaves out only the restricted Pod Security Standards controls; every other rule runs at both levels.',
    '- **Waivers**: add `{"ruleId", "reason"}` to the `hardened.cdk8s.io/waivers` annotation, in its canonical form (JSON.stringify, reason of 10 characters or more on one line); on a workload, on its pod template. At admission a waiver counts only where the cluster\'s params permit it (docs/admission.md).',
    '- **Judges**: synth (`Hardening.enforce`), CLI (`cdk8s-hardened check`) and plugin (cdk8s `validations:`) run the whole catalog on the whole set of objects; admission (`AdmissionPolicies`) sees one object at a time, so a rule is enforced there only when it can be judged on one object (`set`: needs several objects; `no`: see the rule\'s section for why).',
    `- **Admission**: ${rules.filter((r) => !notAtAdmissionReason(r)).length} of ${rules.length} rules have a policy.`,
    '',
    '| Rule | Severity | Level | Synth | CLI | Plugin | Admission | Title |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| [${r.id}](#${r.id}) | ${r.severity} | ${r.level} | yes | yes | yes | ${admissionCell(r)} | ${cell(r.title)} |`),
    '',
  ];
  for (const [area, inArea] of groupBy(rules, (r) => r.area)) {
    out.push(`## Area: ${area}`, '');
    for (const r of inArea) {
      out.push(`### ${r.id}`, '', `**${cell(r.title)}**`, '');
      out.push(`- Severity: ${r.severity}`);
      out.push(`- Level: ${levelText(r)}`);
      out.push(`- Kinds: ${r.kinds.join(', ')}`);
      if (r.overrides && r.overrides.length > 0) out.push(`- Replaces, while it runs: ${r.overrides.map((o) => `[${o}](#${o})`).join(', ')}`);
      if (r.waivableOn) out.push(`- Waivable by the hardened constructs only on: ${r.waivableOn.join(', ')}`);
      if (r.appliesToBatch === false) out.push('- Batch pods (Job, CronJob): does not apply (appliesToBatch: false); a hardened batch construct records a waiver if the rule judges its kind');
      const notAtAdmission = notAtAdmissionReason(r);
      out.push(notAtAdmission ? `- Admission: not enforced (${cell(notAtAdmission)})` : `- Admission: ValidatingAdmissionPolicy ${code(`${r.id}.hardened.cdk8s.io`)}`);
      out.push('', `**Why.** ${r.rationale}`, '', `**Fix.** ${r.remediation}`, '');
      const refs = referenceList(r.references);
      if (refs.length > 0) out.push('**References.**', '', ...refs.map((x) => `- ${x}`), '');
    }
  }
  return out.join('\n');
}

/** The admission column: yes, set (needs several objects) or no (the section says why). */
function admissionCell(rule: Rule): string {
  if (!notAtAdmissionReason(rule)) return 'yes';
  return rule.scope === 'set' ? 'set' : 'no';
}

function referenceList(refs: RuleReferences): string[] {
  const list: string[] = [];
  if (refs.pss) list.push(`Pod Security Standards: [${code(refs.pss)}](${PSS_URL})`);
  const cis = formatCisReferences(refs);
  if (cis) list.push(`CIS Kubernetes Benchmark: ${cis}`);
  if (refs.nsa) list.push(`NSA/CISA Kubernetes Hardening Guide: ${refs.nsa}`);
  if (refs.kubeLinter) list.push(`kube-linter: ${code(refs.kubeLinter)}`);
  if (refs.polaris) list.push(`Polaris: ${code(refs.polaris)}`);
  if (refs.kubesec) list.push(`kubesec: ${code(refs.kubesec)}`);
  if (refs.kubeScore) list.push(`kube-score: ${code(refs.kubeScore)}`);
  if (refs.kyverno) list.push(`Kyverno policy: ${code(refs.kyverno)}`);
  for (const link of refs.links ?? []) list.push(`<${link}>`);
  return list;
}

/** When a rule runs: `--level baseline` leaves out only the restricted Pod Security controls. */
function levelText(rule: Rule): string {
  if (rule.level === 'baseline') return 'baseline (runs at baseline and restricted)';
  if (rule.references.pss !== undefined) return 'restricted (a restricted Pod Security control: runs at restricted only)';
  return 'restricted (outside the Pod Security Standards: runs at both levels)';
}
