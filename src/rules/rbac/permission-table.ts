/**
 * docs/rbac.md's table of dangerous RBAC permissions, rendered from the rules' own data (`rbac`: probes, wildcards,
 * verbs), the binding classification (src/analysis/rbac/dangerous.ts) and the rules' metadata, so the guide cannot drift from what synth, the checker and admission enforce.
 * test/rbac/rbac-doc.test.ts fails when the file is stale; `npx tsx scripts/rbac-doc.ts` rewrites it.
 */
import { RBAC_RULES } from './index';
import { dangerousBuiltinRoles } from './permissions';
import { BOOTSTRAP_POLICY_VERSION } from '../../analysis/rbac/bootstrap-policy';
import { BUILTIN_ADMIN_ROLES, PUBLIC_SUBJECTS, RbacRuleId } from '../../analysis/rbac/dangerous';
import { formatCisReferences } from '../../core/cis';
import { addToGroup } from '../../core/group-by';
import type { Rule } from '../rule';

export const PERMISSION_TABLE_BEGIN = '<!-- BEGIN dangerous-permissions: generated from the rule files under src/rules/rbac by `npx tsx scripts/rbac-doc.ts`, do not edit -->';
export const PERMISSION_TABLE_END = '<!-- END dangerous-permissions -->';

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** What each rule finds, in words derived from the classification data. */
function finds(rule: Rule): string {
  const parts: string[] = [];
  if (rule.rbac?.wildcards) parts.push('`*` in verbs, apiGroups or resources (also `*/sub`), a nonResourceURL ending in `*`');
  if (rule.rbac?.anyResourceVerbs) parts.push(`the verbs ${rule.rbac.anyResourceVerbs.map(code).join(', ')} on any resource`);
  // Probes with the same group and verbs are one phrase: "create/update/patch on apps deployments, statefulsets".
  const phrases = new Map<string, string[]>();
  for (const probe of rule.rbac?.probes ?? []) {
    const key = `${probe.verbs.map(code).join('/')} on ${probe.apiGroup === '' ? 'core' : code(probe.apiGroup)}`;
    addToGroup(phrases, key, `${code(probe.resource)}${probe.unlessResourceNames ? ' (without resourceNames)' : ''}`);
  }
  for (const [key, resources] of phrases) parts.push(`${key} ${resources.join(', ')}`);
  const adminRoles = Object.keys(BUILTIN_ADMIN_ROLES).filter((name) => BUILTIN_ADMIN_ROLES[name] === rule.id);
  if (adminRoles.length > 0) parts.push(`a binding to the built-in ClusterRole ${adminRoles.map(code).join(' or ')}`);
  if (rule.id === RbacRuleId.BUILTIN_ROLE_BINDING) {
    const names = dangerousBuiltinRoles();
    parts.push(
      `a binding to one of the ${names.length} other built-in ClusterRoles whose grants in the bootstrap policy (${BOOTSTRAP_POLICY_VERSION}) ` +
        `include a permission above: ${names.map(code).join(', ')}`,
    );
  }
  if (rule.id === RbacRuleId.ANONYMOUS_BINDING) {
    parts.push(`a binding subject ${PUBLIC_SUBJECTS.map((s) => `${s.kind} ${code(s.prefix ? `${s.name}*` : s.name)}`).join(', ')}`);
  }
  if (rule.id === RbacRuleId.DEFAULT_SA_BINDING) parts.push('a binding subject ServiceAccount `default`');
  if (rule.id === RbacRuleId.CLUSTER_WIDE_BINDING) parts.push('every ClusterRoleBinding');
  if (rule.id === RbacRuleId.DANGLING_BINDING) parts.push('a binding to a Role, ClusterRole (not built in) or ServiceAccount missing from a complete set');
  if (rule.id === RbacRuleId.AGGREGATE_ALL) parts.push('an aggregationRule selector the built-in cluster-admin matches (`{}` matches every ClusterRole)');
  if (rule.id === RbacRuleId.AGGREGATE_BUILTIN) parts.push('an aggregationRule selector that matches built-in ClusterRoles with a permission above (`aggregate-to-edit`, `aggregate-to-admin`)');
  if (rule.id === RbacRuleId.AGGREGATE_SELECTOR) parts.push('any other aggregationRule selector, reported with the ClusterRoles it collects in the set');
  if (parts.length === 0) throw new Error(`docs/rbac.md: no description of what ${rule.id} finds`);
  return parts.join('; ');
}

function references(rule: Rule): string {
  const r = rule.references;
  return [
    ...[formatCisReferences(r)].filter((x): x is string => x !== undefined),
    ...(r.kubeLinter ? [`kube-linter ${code(r.kubeLinter)}`] : []),
    ...(r.kyverno ? [`Kyverno ${code(r.kyverno)}`] : []),
    ...(r.nsa ? ['NSA/CISA'] : []),
  ].join(', ');
}

/** The generated section of docs/rbac.md, markers included. */
export function renderPermissionTable(): string {
  const lines = [
    PERMISSION_TABLE_BEGIN,
    '| rule id | severity | dangerous when | admission | references |',
    '| --- | --- | --- | --- | --- |',
    ...RBAC_RULES.map(
      (rule) =>
        `| ${code(rule.id)} | ${rule.severity} | ${cell(finds(rule))} | ${rule.admission ? 'CEL' : 'set rule (not at admission)'} | ${cell(references(rule))} |`,
    ),
    PERMISSION_TABLE_END,
  ];
  return lines.join('\n');
}

/** `doc` with its generated section replaced; throws when the markers are missing. */
export function updatePermissionTable(doc: string): string {
  const begin = doc.indexOf(PERMISSION_TABLE_BEGIN);
  const end = doc.indexOf(PERMISSION_TABLE_END);
  if (begin < 0 || end < begin) throw new Error('docs/rbac.md has no dangerous-permissions markers');
  return doc.slice(0, begin) + renderPermissionTable() + doc.slice(end + PERMISSION_TABLE_END.length);
}
