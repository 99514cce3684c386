/**
 * Container sizes a scope declares for the containers that state none. The library never invents a size: a hardened
 * container without `resources` is an error naming the prop unless the nearest scope (a LockedNamespace, a
 * `Hardening.enforce` or `Hardening.harden` scope) sets `defaultResources`. (cdk8s-plus would otherwise write 1 CPU
 * and 512Mi requests per container, which exhausts a LockedNamespace's default quota after two Deployments.)
 */
import type { Construct, IConstruct } from 'constructs';

/** Requests and limits written on every container of the scope that declares no `resources`. */
export interface DefaultResources {
  /** cpu request (`100m`). */
  readonly cpuRequest: string;
  /** memory request (`128Mi`). */
  readonly memoryRequest: string;
  /** cpu limit (`500m`). */
  readonly cpuLimit: string;
  /** memory limit (`256Mi`). */
  readonly memoryLimit: string;
}

const SCOPES = new WeakMap<IConstruct, { resources: DefaultResources; where: string }>();

/** Validates `resources` (quantities, request <= limit) and records them as the default of `scope`. */
export function registerDefaultResources(scope: Construct, resources: DefaultResources, where: string): void {
  checkDefaultResources(scope, resources, where);
  SCOPES.set(scope, { resources, where });
}

/** Throws naming the prop unless every field is a quantity and each request is at most its limit. */
export function checkDefaultResources(scope: Construct, resources: DefaultResources, where: string): void {
  const cpuRequest = quantity(scope, `${where}.cpuRequest`, resources.cpuRequest);
  const cpuLimit = quantity(scope, `${where}.cpuLimit`, resources.cpuLimit);
  const memoryRequest = quantity(scope, `${where}.memoryRequest`, resources.memoryRequest);
  const memoryLimit = quantity(scope, `${where}.memoryLimit`, resources.memoryLimit);
  if (cpuRequest > cpuLimit || memoryRequest > memoryLimit) {
    throw new Error(`${scope.node.path || 'the app'}: ${where} requests must not exceed their limits (cpu ${resources.cpuRequest} <= ${resources.cpuLimit}, `
      + `memory ${resources.memoryRequest} <= ${resources.memoryLimit})`);
  }
}

/** The default of the nearest scope enclosing `construct` (itself included) that sets one. */
export function nearestDefaultResources(construct: IConstruct): DefaultResources | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const found = SCOPES.get(scopes[i]);
    if (found) return found.resources;
  }
  return undefined;
}

/** The container `resources` JSON of a default. */
export function resourcesJson(resources: DefaultResources): Record<string, unknown> {
  return {
    limits: { cpu: resources.cpuLimit.trim(), memory: resources.memoryLimit.trim() },
    requests: { cpu: resources.cpuRequest.trim(), memory: resources.memoryRequest.trim() },
  };
}

const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const FACTORS: Record<string, number> = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** The numeric value of a Kubernetes quantity; throws naming the prop when it is not one. */
export function quantity(scope: Construct, prop: string, value: string): number {
  const match = QUANTITY.exec(value);
  if (!match) throw new Error(`${scope.node.path}: ${prop} "${value}" is not a Kubernetes quantity (e.g. 500m, 2, 512Mi, 4Gi)`);
  return Number(match[1]) * FACTORS[match[3] ?? ''];
}
