/**
 * The facts the docs may quote, computed from the catalog: rule ids, counts (`<!-- count: KEY -->N`) and
 * complete rule lists (`<!-- rule-list: AREA -->` ... `<!-- /rule-list -->`). Conventions: docs/development.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './doc-blocks';
import { buildAdmissionPolicies, policyName } from '../../src/admission/policies';
import type { Level } from '../../src/core/types';
import { ALL_RULES } from '../../src/rules';

export const RULE_IDS: ReadonlySet<string> = new Set(ALL_RULES.map((r) => r.id));
const AREAS = [...new Set(ALL_RULES.map((r) => r.area))];
/** The id prefixes the catalog uses (`pod`, `ns`, `rbac`, ...): a token with one of them may be a rule id. */
const PREFIXES = [...new Set(ALL_RULES.map((r) => r.id.split('-')[0]))].sort();

/**
 * Tokens that look like rule ids but name something else. Each needs a reason; anything else that looks
 * like a rule id must be one.
 */
export const NOT_RULE_IDS: Record<string, string> = {
  'cluster-admin': 'the built-in ClusterRole',
  'cluster-admin-role-binding': "kube-linter's check name",
  'cluster-policies': 'a chart name in docs/admission.md',
};

/** The count keys the docs may quote, and their values. */
export function countValues(): Map<string, number> {
  const values = new Map<string, number>();
  const add = (key: string, n: number) => values.set(key, n);
  add('rules', ALL_RULES.length);
  add('rules-cel', ALL_RULES.filter((r) => r.admission).length);
  for (const area of AREAS) {
    add(`rules:${area}`, ALL_RULES.filter((r) => r.area === area).length);
    add(`rules-cel:${area}`, ALL_RULES.filter((r) => r.area === area && r.admission).length);
  }
  for (const level of ['baseline', 'restricted'] as Level[]) {
    const policies = buildAdmissionPolicies({ level }).policies;
    add(`policies:${level}`, policies.length);
    for (const area of AREAS) {
      add(`policies:${level}:${area}`, policies.filter((p) => ALL_RULES.find((r) => policyName(r.id) === (p.metadata as { name?: string } | undefined)?.name)?.area === area).length);
    }
  }
  const fixtures = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'pss', 'index.json'), 'utf8')) as unknown[];
  add('pss-fixtures', fixtures.length);
  return values;
}

/** The value of a count expression: keys and integers joined by `*` (e.g. `rules-cel:pod*pss-fixtures*3`). */
export function evaluateCount(expression: string, values: Map<string, number>): number {
  return expression.split('*').map((term) => term.trim()).reduce((product, term) => {
    if (/^\d+$/.test(term)) return product * Number(term);
    const value = values.get(term);
    if (value === undefined) throw new Error(`unknown count key "${term}" (keys: ${[...values.keys()].sort().join(', ')})`);
    return product * value;
  }, 1);
}

export interface QuotedCount {
  readonly file: string;
  readonly line: number;
  readonly expression: string;
  readonly quoted: number;
}

const COUNT_MARKER = /<!--\s*count:\s*([^>]*?)\s*-->\s*(\d[\d,]*)/g;

/** Every marked count of a Markdown text. */
export function quotedCounts(file: string, markdown: string): QuotedCount[] {
  const counts: QuotedCount[] = [];
  markdown.split('\n').forEach((text, i) => {
    for (const m of text.matchAll(COUNT_MARKER)) {
      counts.push({ file, line: i + 1, expression: m[1], quoted: Number(m[2].replace(/,/g, '')) });
    }
  });
  return counts;
}

/**
 * Numbers followed by "rules" or "policies" (up to two words between) that carry no count marker: a count
 * the docs quote must be tested, so it must be marked.
 */
export function unmarkedCounts(file: string, markdown: string): string[] {
  const found: string[] = [];
  markdown.split('\n').forEach((text, i) => {
    // Up to two words between the number and the noun ("27 pod rules", "38 admission policies"), not a clause.
    const pattern = /(?<![\w.,>-])(\d[\d,]*)\s+(?:(?!(?:when|if|the|of|and|or|to|for)\b)[A-Za-z`-]+\s+){0,2}(?:rules|policies)\b/g;
    for (const m of text.matchAll(pattern)) {
      const before = text.slice(0, m.index);
      if (/-->\s*$/.test(before)) continue;
      found.push(`${file}:${i + 1}: "${m[0]}" quotes a count without a <!-- count: KEY --> marker`);
    }
  });
  return found;
}

export interface NamedRuleId {
  readonly file: string;
  readonly line: number;
  readonly token: string;
}

const PREFIX_GROUP = `(?:${PREFIXES.join('|')})-[a-z0-9]+(?:-[a-z0-9]+)*`;
/** A prefixed token between backticks or quotes. */
const QUOTED_ID = new RegExp(`[\`'"](${PREFIX_GROUP})[\`'"]`, 'g');
/** A prefixed token after the word "rule"/"rules" (also in lists: "rules pod-a, pod-b and pod-c"). */
const PROSE_ID = new RegExp(`\\brules?\\s+(?:id\\s+)?((?:\`?${PREFIX_GROUP}\`?(?:,\\s*|\\s+and\\s+|\\s+or\\s+)?)+)`, 'g');
const ANY_ID = new RegExp(PREFIX_GROUP, 'g');

/** Tokens a text names as rule ids: quoted prefixed tokens and prefixed tokens after "rule". */
export function namedRuleIds(file: string, text: string): NamedRuleId[] {
  const named: NamedRuleId[] = [];
  text.split('\n').forEach((line, i) => {
    const tokens = new Set<string>();
    for (const m of line.matchAll(QUOTED_ID)) tokens.add(m[1]);
    for (const m of line.matchAll(PROSE_ID)) for (const t of m[1].matchAll(ANY_ID)) tokens.add(t[0]);
    for (const token of tokens) named.push({ file, line: i + 1, token });
  });
  return named;
}

/** Rule lists: regions that must name exactly the rules of an area. */
export interface RuleList {
  readonly file: string;
  readonly line: number;
  readonly area: string;
  readonly named: ReadonlySet<string>;
}

export function ruleLists(file: string, markdown: string): RuleList[] {
  const lists: RuleList[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /<!--\s*rule-list:\s*([a-z-]+)\s*-->/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/<!--\s*\/rule-list\s*-->/.test(lines[end])) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: <!-- rule-list: ${open[1]} --> without <!-- /rule-list -->`);
    const named = new Set<string>();
    for (const line of lines.slice(i + 1, end)) {
      // The first cell of a table row names its rule; elsewhere only catalog ids count (not `cluster-admin`).
      const firstCell = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
      for (const m of firstCell.matchAll(QUOTED_ID)) named.add(m[1]);
      for (const m of line.matchAll(QUOTED_ID)) if (RULE_IDS.has(m[1])) named.add(m[1]);
    }
    lists.push({ file, line: i + 1, area: open[1], named });
    i = end;
  }
  return lists;
}

/** The ids of an area, in catalog order. */
export function areaRuleIds(area: string): string[] {
  if (!AREAS.includes(area)) throw new Error(`unknown area "${area}" (areas: ${AREAS.join(', ')})`);
  return ALL_RULES.filter((r) => r.area === area).map((r) => r.id);
}
