import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { PRIVILEGED_DEPLOYMENT } from './helpers';
import { asObject } from '../../src/core/json';
import { Severity } from '../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects, selectRules } from '../../src/engine/engine';
import { parseManifests } from '../../src/engine/load';
import { render } from '../../src/report';
import type { CheckReport } from '../../src/report/model';
import { renderPosture } from '../../src/report/posture';
import { buildSarif } from '../../src/report/sarif';
import { objectRule, podRule, Rule } from '../../src/rules/rule';

// A small catalog of its own (so catalog changes elsewhere do not move these snapshots), with several
// severities so each reporter's mapping is exercised.
const privileged = podRule({
  id: 'test-privileged',
  title: 'Containers must not run privileged',
  area: 'test',
  severity: Severity.CRITICAL,
  level: 'baseline',
  rationale: 'Privileged containers own the node.',
  remediation: 'Remove securityContext.privileged.',
  references: { cis: '5.2.2' },
  check: (pod) => pod.containers.filter((c) => asObject(c.container.securityContext).privileged === true).map((c) => ({ path: `${c.path}.securityContext.privileged`, message: `container "${c.name}" runs privileged` })),
});
const latestTag = podRule({
  id: 'test-image-latest',
  title: 'Images must not use latest',
  area: 'test',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale: 'Mutable tags change under you.',
  remediation: 'Pin the image by digest.',
  references: {},
  check: (pod) => pod.containers.filter((c) => String(c.container.image).endsWith(':latest')).map((c) => ({ path: `${c.path}.image`, message: `container "${c.name}" uses <latest> & "friends"` })),
});
const serviceNodePort = objectRule({
  id: 'test-service-nodeport',
  title: 'Services must not be NodePort',
  area: 'test',
  severity: Severity.LOW,
  level: 'baseline',
  kinds: ['Service'],
  rationale: 'NodePorts open every node.',
  remediation: 'Use ClusterIP behind an ingress.',
  references: {},
  check: (svc) => (asObject(svc.object.spec).type === 'NodePort' ? [{ path: 'spec.type', message: 'Service | is a NodePort' }] : []),
});
const CATALOG: Rule[] = [privileged, latestTag, serviceNodePort];

const MANIFESTS = `${PRIVILEGED_DEPLOYMENT.replace('image: nginx', 'image: nginx:latest')}---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
---
apiVersion: v1
kind: Pod
metadata:
  name: agent
  annotations:
    ${WAIVERS_ANNOTATION}: '[{"ruleId":"test-privileged","reason":"node agent needs raw devices"}]'
spec:
  containers:
    - name: agent
      image: agent@sha256:abc
      securityContext: {privileged: true}
`;

function reportOf(text: string, file = 'manifests/app.yaml', extraProblems = true): CheckReport {
  const parsed = parseManifests(text, file);
  const result = checkObjects(parsed.inputs, { catalog: CATALOG });
  const problems = extraProblems ? [...parsed.problems, { file: 'manifests/broken.yaml', line: 3, message: 'manifests/broken.yaml:3:1: invalid YAML: bad indentation' }] : parsed.problems;
  return { result: { ...result, problems: [...problems, ...result.problems] }, inputs: parsed.inputs, rules: selectRules({ catalog: CATALOG }), toolVersion: '1.2.3' };
}

const REPORT = reportOf(MANIFESTS);

test('the fixture produces one finding per severity kind and one waiver', () => {
  expect(REPORT.result.findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([
    ['test-image-latest', 'medium', 1],
    ['test-privileged', 'critical', 1],
    ['test-service-nodeport', 'low', 15],
  ]);
  expect(REPORT.result.waived.map((f) => [f.ruleId, f.name, f.waiver?.reason])).toEqual([['test-privileged', 'agent', 'node agent needs raw devices']]);
});

describe('json', () => {
  test('one object: findings, waived findings with their reason, objects not judged, input problems, notes', () => {
    const extra = `---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: tls
  namespace: shop
`;
    const json = JSON.parse(render('json', reportOf(MANIFESTS + extra)));
    expect(Object.keys(json)).toEqual(['findings', 'waived', 'warnings', 'notJudged', 'problems', 'notes']);
    expect(json.warnings).toEqual([]);
    const brief = (f: { ruleId: string; kind: string; name: string; line?: number | null }) => [f.ruleId, f.kind, f.name, f.line];
    expect(json.findings.map(brief)).toEqual(REPORT.result.findings.map(brief));
    expect(Object.keys(json.findings[0])).toEqual(['ruleId', 'severity', 'file', 'line', 'kind', 'namespace', 'name', 'path', 'message', 'remediation']);
    expect(json.waived).toEqual([expect.objectContaining({ ruleId: 'test-privileged', name: 'agent', reason: 'node agent needs raw devices' })]);
    expect(json.notJudged).toEqual([{ kind: 'Certificate', namespace: 'shop', name: 'tls', file: 'manifests/app.yaml', line: expect.any(Number) }]);
    expect(json.problems).toEqual([{ file: 'manifests/broken.yaml', line: 3, message: 'manifests/broken.yaml:3:1: invalid YAML: bad indentation' }]);
    expect(json.notes).toEqual([]);
  });
});

describe('sarif', () => {
  const schemaPath = path.join(__dirname, '../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  // The official schema is draft-04: ajv 8 reads it once `id` is spelled `$id` and the draft marker is dropped;
  // one of its patterns (language tags) is not valid with the u flag, hence unicodeRegExp: false.
  const { $schema: _draft, id, ...schema } = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile({ ...schema, $id: id });
  const log = JSON.parse(render('sarif', REPORT));

  test('validates against the SARIF 2.1.0 schema', () => {
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    // and a clean, problem-free run too
    expect(validate(buildSarif(reportOf('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n', 'p.yaml', false)))).toBe(true);
  });

  test('objects no rule judged and reading notes are note notifications, and validate', () => {
    const unjudged = reportOf('apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: c, namespace: shop}\n', 'c.yaml', false);
    const sarif = buildSarif({ ...unjudged, result: { ...unjudged.result, notes: ['1 namespaced object was read as namespace "default"'] } });
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    expect(sarif.runs[0].invocations![0].toolExecutionNotifications!.map((n) => [n.level, n.message.text])).toEqual([
      ['note', 'Certificate shop/c was not judged: no selected rule judges kind Certificate'],
      ['note', '1 namespaced object was read as namespace "default"'],
    ]);
    expect(sarif.runs[0].invocations![0].executionSuccessful).toBe(true);
  });

  test('a scan with the whole catalog validates too (every rule descriptor, real findings)', () => {
    const parsed = parseManifests(MANIFESTS, 'manifests/app.yaml');
    const result = checkObjects(parsed.inputs);
    expect(result.findings.length).toBeGreaterThan(0);
    const full = buildSarif({ result, inputs: parsed.inputs, rules: selectRules(), toolVersion: '1.2.3' });
    expect(full.runs[0].tool.driver.rules?.map((r) => r.id)).toEqual(selectRules().map((r) => r.id));
    expect(validate(full) ? [] : validate.errors).toEqual([]);
  });

  test('rules carry metadata and help links to the docs/rules.md anchors', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(['test-privileged', 'test-image-latest', 'test-service-nodeport']);
    expect(rules[0]).toMatchObject({
      id: 'test-privileged',
      name: 'TestPrivileged',
      shortDescription: { text: 'Containers must not run privileged' },
      helpUri: 'https://github.com/cdk8s-hardened/cdk8s-hardened/blob/main/docs/rules.md#test-privileged',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5', 'tags': ['security', 'kubernetes', 'test', 'CIS-1.12/5.2.2', 'CIS-1.10/5.2.2'], 'cis': { 'v1.12.0': ['5.2.2'], 'v1.10.0': ['5.2.2'] } },
    });
  });

  test('results have the file and line region of their object, levels by severity, waivers as suppressions', () => {
    const results = log.runs[0].results;
    const summary = results.map((r: any) => {
      const physical = r.locations[0].physicalLocation;
      return [r.ruleId, r.level, physical.artifactLocation.uri, physical.region, r.suppressions?.[0]?.justification];
    });
    expect(summary).toEqual([
      ['test-image-latest', 'warning', 'manifests/app.yaml', { startLine: 1, endLine: 13 }, undefined],
      ['test-privileged', 'error', 'manifests/app.yaml', { startLine: 1, endLine: 13 }, undefined],
      ['test-service-nodeport', 'note', 'manifests/app.yaml', { startLine: 15, endLine: 21 }, undefined],
      ['test-privileged', 'error', 'manifests/app.yaml', { startLine: 23, endLine: 33 }, 'node agent needs raw devices'],
    ]);
    expect(results[1].locations[0].logicalLocations[0].fullyQualifiedName).toBe('shop/Deployment/web');
    expect(results[1].ruleIndex).toBe(0);
  });

  test('input problems are error notifications of an unsuccessful run', () => {
    expect(log.runs[0].invocations[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error', message: { text: expect.stringContaining('invalid YAML') }, locations: [{ physicalLocation: { region: { startLine: 3 } } }] }],
    });
  });

  test('snapshot', () => {
    expect(log.runs[0].results).toMatchSnapshot();
  });
});

describe('junit', () => {
  const xml = render('junit', REPORT);

  test('one test case per object x applicable rule, failures, skipped waivers and input errors', () => {
    const cases = xml.match(/<testcase [^>]*>/g) ?? [];
    // Deployment: test-privileged + test-image-latest; Service: test-service-nodeport; Pod: the two pod rules; one input problem.
    expect(cases).toHaveLength(6);
    expect(xml).toContain('<testsuites name="cdk8s-hardened" tests="6" failures="3" errors="1" skipped="1">');
    expect(xml).toContain('<testcase classname="manifests/app.yaml.Deployment shop/web" name="test-privileged">');
    expect(xml).toContain('<skipped message="waived: node agent needs raw devices"/>');
    expect(xml).toContain('<testcase classname="manifests/app.yaml.Pod agent" name="test-image-latest"/>');
    // Markup in messages is escaped.
    expect(xml).toContain('uses &lt;latest&gt; &amp; &quot;friends&quot;');
  });

  test('is well-formed: every opened element is closed', () => {
    const stack: string[] = [];
    for (const tag of xml.match(/<\/?[a-z]+[^>]*>/g) ?? []) {
      if (tag.endsWith('/>')) continue;
      if (tag.startsWith('</')) expect(stack.pop()).toBe(tag.slice(2, -1));
      else stack.push(tag.slice(1).split(/[ >]/)[0]);
    }
    expect(stack).toEqual([]);
  });

  test('snapshot', () => {
    expect(xml).toMatchSnapshot();
  });
});

describe('markdown and text', () => {
  test('markdown escapes table cells and links rules to their docs', () => {
    const md = render('markdown', REPORT);
    expect(md).toContain('**INCOMPLETE**');
    expect(md).toContain('| low | [test-service-nodeport](https://github.com/cdk8s-hardened/cdk8s-hardened/blob/main/docs/rules.md#test-service-nodeport) | Service shop/web | manifests/app.yaml:15 | `spec.type` | Service \\| is a NodePort |');
    expect(md).toContain('## Waived');
    expect(md).toMatchSnapshot();
  });

  test('text groups findings by file and object', () => {
    const text = render('text', REPORT);
    expect(text).toMatchSnapshot();
    expect(text.indexOf('Deployment shop/web (line 1)')).toBeLessThan(text.indexOf('Service shop/web (line 15)'));
    // One heading per object; the by-rule blocks list it again under each rule.
    expect(text.match(/^ {2}Deployment shop\/web/gm)).toHaveLength(1);
  });

  test('text for triage: worst first within an object, each remediation once per rule with its objects, a summary line per rule', () => {
    const second = PRIVILEGED_DEPLOYMENT.replace('name: web', 'name: api').replace('image: nginx', 'image: nginx:latest');
    const text = render('text', reportOf(`${MANIFESTS}---\n${second}`, 'manifests/app.yaml', false));
    const web = text.slice(text.indexOf('  Deployment shop/web (line 1)'));
    // The engine orders by rule id (image-latest before privileged); triage puts the critical one first.
    expect(web.indexOf('CRITICAL test-privileged')).toBeLessThan(web.indexOf('MEDIUM   test-image-latest'));
    expect(text.match(/fix: Remove securityContext\.privileged\./g)).toHaveLength(1);
    expect(text.match(/fix: Pin the image by digest\./g)).toHaveLength(1);
    expect(text).toContain('By rule (3 rules)');
    expect(text).toContain('  CRITICAL test-privileged: 2 findings on 2 objects\n             fix: Remove securityContext.privileged.\n               Deployment shop/web at spec.template.spec.containers[0].securityContext.privileged (manifests/app.yaml:1)\n               Deployment shop/api at spec.template.spec.containers[0].securityContext.privileged');
    expect(text).toContain('  LOW      test-service-nodeport: 1 finding on 1 object');
    // Rules are listed worst first.
    expect(text.indexOf('test-privileged: 2 findings')).toBeLessThan(text.indexOf('test-image-latest: 2 findings'));
    expect(text.indexOf('test-image-latest: 2 findings')).toBeLessThan(text.indexOf('test-service-nodeport: 1 finding'));
  });

  test('posture report counts findings by area and severity', () => {
    const md = renderPosture(REPORT);
    expect(md).toContain('| test | 1 | 0 | 1 | 1 | 3 | 1 |');
    expect(md).toContain('| **all** | 1 | 0 | 1 | 1 | 3 | 1 |');
  });
});
