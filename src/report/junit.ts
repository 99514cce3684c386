/**
 * JUnit XML for CI test reports: one test suite per file, one test case per object x applicable rule
 * (a failure when the rule found something, skipped when waived), a skipped `not-judged` case per object no rule
 * judges, and an error case per input problem.
 */
import { CheckReport, objectLabel, rulesFor } from './model';
import { addToGroup } from '../core/group-by';
import { isObject } from '../core/json';
import { Finding, InputProblem } from '../core/types';
import { viewObject } from '../core/views';
import type { Rule } from '../rules/rule';

interface ObjectCase {
  readonly label: string;
  readonly kind: string;
  readonly rules: readonly Rule[];
  readonly findings: Map<string, Finding[]>;
  readonly waived: Map<string, Finding>;
}

export function renderJunit(report: CheckReport): string {
  const { findings, waived, problems } = report.result;
  const key = (file: string | undefined, line: number | undefined, kind: string, ns: string | undefined, name: string) =>
    [file ?? '', line ?? '', kind, ns ?? '', name].join('\u0000');

  // Test cases per file, per object, in input order.
  const suites = new Map<string, Map<string, ObjectCase>>();
  for (const input of report.inputs) {
    if (!isObject(input.object)) continue; // not an object: reported as an input problem
    const view = viewObject(input.object, input.source);
    if (view.kind === '') continue; // no kind: reported as an input problem, and judged by no rule
    const file = input.source?.file ?? '(no file)';
    const cases = suites.get(file) ?? new Map<string, ObjectCase>();
    suites.set(file, cases);
    cases.set(key(input.source?.file, input.source?.line, view.kind, view.namespace, view.name), {
      // A nameless object is judged (and its missing name is an input problem): its findings need a case too.
      label: objectLabel({ ...view, name: view.name || '(no name)' }),
      kind: view.kind,
      rules: rulesFor(report, view),
      findings: new Map(),
      waived: new Map(),
    });
  }
  const caseOf = (f: Finding) => suites.get(f.file ?? '(no file)')?.get(key(f.file, f.line, f.kind, f.namespace, f.name));
  for (const f of findings) {
    const c = caseOf(f);
    if (c) addToGroup(c.findings, f.ruleId, f);
  }
  for (const f of waived) caseOf(f)?.waived.set(f.ruleId, f);

  let total = 0;
  let failures = 0;
  let skipped = 0;
  const body: string[] = [];
  for (const [file, cases] of suites) {
    const lines: string[] = [];
    let suiteTests = 0;
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const c of cases.values()) {
      if (c.rules.length === 0) {
        // No selected rule judges the object: a skipped case, so the report never shows it as passed.
        suiteTests++;
        suiteSkipped++;
        lines.push(`    <testcase classname="${xml(`${file}.${c.label}`)}" name="not-judged"><skipped message="${xml(`not judged: no selected rule judges kind ${c.kind}`)}"/></testcase>`);
      }
      for (const rule of c.rules) {
        suiteTests++;
        const attrs = `classname="${xml(`${file}.${c.label}`)}" name="${xml(rule.id)}"`;
        const failed = c.findings.get(rule.id);
        const waiver = c.waived.get(rule.id);
        if (failed) {
          suiteFailures++;
          const text = failed.map((f) => `${f.message}\n  at ${f.path}\n  fix: ${f.remediation}`).join('\n');
          lines.push(`    <testcase ${attrs}>`);
          lines.push(`      <failure type="${xml(rule.severity)}" message="${xml(failed[0].message)}">${xml(text)}</failure>`);
          lines.push('    </testcase>');
        } else if (waiver) {
          suiteSkipped++;
          lines.push(`    <testcase ${attrs}><skipped message="${xml(`waived: ${waiver.waiver?.reason ?? ''}`)}"/></testcase>`);
        } else {
          lines.push(`    <testcase ${attrs}/>`);
        }
      }
    }
    total += suiteTests;
    failures += suiteFailures;
    skipped += suiteSkipped;
    body.push(`  <testsuite name="${xml(file)}" tests="${suiteTests}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">`, ...lines, '  </testsuite>');
  }
  if (problems.length > 0) {
    total += problems.length;
    body.push(`  <testsuite name="input problems" tests="${problems.length}" failures="0" errors="${problems.length}" skipped="0">`);
    problems.forEach((p: InputProblem, i) => {
      body.push(`    <testcase classname="${xml(p.file ?? '(no file)')}" name="input-${i + 1}"><error message="${xml(p.message)}"/></testcase>`);
    });
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cdk8s-hardened" tests="${total}" failures="${failures}" errors="${problems.length}" skipped="${skipped}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

/** Escapes text for XML and drops characters XML 1.0 cannot hold (input may be binary garbage). */
export function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

