/** Builders for the supply-chain and workload rule tests: plain JSON objects, as read from YAML. */
import type { K8sObject } from '../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects, EngineOptions } from '../../src/engine/engine';
import { problemsBesidesTypeErrors } from '../util/problems';

export const DIGEST = `sha256:${'ab'.repeat(32)}`;
export const PINNED = `registry.example.com/team/app@${DIGEST}`;

type Json = Record<string, unknown>;

/** A container that passes every supply-chain and workload rule. */
export function container(overrides: Json = {}): Json {
  return { name: 'app', image: PINNED, ports: [{ containerPort: 8080 }], ...overrides };
}

/** A Deployment (replicas 1 unless given) with pod labels app=web. */
export interface DeploymentSpec {
  readonly replicas?: number;
  readonly pod?: Json;
  readonly containers?: Json[];
  readonly name?: string;
  readonly namespace?: string;
  readonly annotations?: Record<string, string>;
}

export function deployment(spec: DeploymentSpec = {}): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name ?? 'web', namespace: spec.namespace ?? 'shop', ...(spec.annotations ? { annotations: spec.annotations } : {}) },
    spec: {
      ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}),
      selector: { matchLabels: { app: 'web' } },
      template: {
        // Waivers go where every judge reads pod-rule waivers (the pod template), and on the workload, as the constructs write them.
        metadata: { labels: { app: 'web' }, ...(spec.annotations ? { annotations: spec.annotations } : {}) },
        spec: { containers: spec.containers ?? [container()], ...spec.pod },
      },
    },
  };
}

export function pod(spec: Json, metadata: Json = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', ...metadata }, spec };
}

export function pdb(spec: Json, name = 'web', namespace: string | undefined = 'shop'): K8sObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, ...(namespace ? { namespace } : {}) }, spec };
}

export function waive(ruleId: string, reason = 'reviewed by the platform team'): Record<string, string> {
  return { [WAIVERS_ANNOTATION]: JSON.stringify([{ ruleId, reason }]) };
}

/** Runs one rule (or `options.rules`) over the objects and returns the result; asserts no rule threw on the input. */
export function run(ruleId: string, objects: K8sObject[], options: EngineOptions = {}) {
  const inputs = objects.map((object) => ({ object }));
  const result = checkObjects(inputs, { rules: [ruleId], ...options });
  expect(problemsBesidesTypeErrors(inputs, result)).toEqual([]);
  return result;
}

/** Paths of the unwaived findings. */
export function paths(ruleId: string, objects: K8sObject[], options: EngineOptions = {}): string[] {
  return run(ruleId, objects, options).findings.map((f) => f.path);
}
