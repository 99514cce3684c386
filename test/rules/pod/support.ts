/** Builders and runners shared by the pod rule tests (not a test file itself). */
import type { CheckResult, K8sObject } from '../../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../../src/core/waivers';
import { checkObjects } from '../../../src/engine/engine';
import { findRule } from '../../../src/rules';
import type { Rule } from '../../../src/rules/rule';
import { problemsBesidesTypeErrors } from '../../util/problems';

export type Json = Record<string, unknown>;

/** A container that passes every pod rule at restricted. */
export function hardenedContainer(name: string, extra: Json = {}): Json {
  return {
    name,
    image: 'registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    ...extra,
  };
}

/** A pod spec that passes every pod rule at restricted. */
export function hardenedSpec(extra: Json = {}): Json {
  return {
    serviceAccountName: 'app',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [hardenedContainer('app')],
    volumes: [{ name: 'tmp', emptyDir: {} }],
    ...extra,
  };
}

/** A Pod named `p` in namespace `ns`. */
export function pod(spec: Json, metadata: Json = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', ...metadata }, spec };
}

/** A Deployment named `d` whose template has the given spec and template metadata. */
export function deployment(spec: Json, templateMetadata: Json = {}): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'ns' },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: { metadata: { labels: { app: 'd' }, ...templateMetadata }, spec },
    },
  };
}

/** Metadata carrying a waiver for one rule. */
export function waiverMetadata(ruleId: string, reason = 'documented exception for this test'): Json {
  return { annotations: { [WAIVERS_ANNOTATION]: JSON.stringify([{ ruleId, reason }]) } };
}

export function rule(id: string): Rule {
  const found = findRule(id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

/**
 * Runs one rule alone (at its own level, so an overridden baseline rule still runs) over the objects. The engine's
 * type errors of a deliberately malformed object are expected (test/check/shape*.test.ts asserts them); any other
 * problem, a rule that could not evaluate above all, fails the test.
 */
export function run(id: string, ...objects: K8sObject[]): CheckResult {
  const selected = rule(id);
  const inputs = objects.map((object) => ({ object }));
  const result = checkObjects(inputs, { catalog: [selected], level: selected.level });
  const unexpected = problemsBesidesTypeErrors(inputs, result);
  if (unexpected.length > 0) throw new Error(`unexpected problems: ${JSON.stringify(unexpected)}`);
  return result;
}

/** The findings of one rule over one object, as path and message. */
export function violations(id: string, object: K8sObject): Array<{ path: string; message: string }> {
  return run(id, object).findings.map((f) => ({ path: f.path, message: f.message }));
}

