/**
 * What the admission rules share (not a rule): how the library names its own policies and bindings, and the
 * webhook facts. Every object named `<rule-id>.hardened.cdk8s.io` is one of the library's admission objects.
 */
import { asArray, asObject, asString } from '../../core/json';

/** The suffix of every ValidatingAdmissionPolicy and binding the library generates (policyName in src/admission). */
export const HARDENED_SUFFIX = '.hardened.cdk8s.io';

/** The label and annotation family the engine and the admission policies trust: waivers, exemption labels, api access. */
export const HARDENED_FAMILY = 'hardened.cdk8s.io';

export function isHardenedName(name: string | undefined): name is string {
  return name !== undefined && name.endsWith(HARDENED_SUFFIX) && name.length > HARDENED_SUFFIX.length;
}

/** The rule id a hardened policy name stands for. */
export function ruleIdOf(name: string): string {
  return name.slice(0, -HARDENED_SUFFIX.length);
}

/**
 * Host names that a webhook's `clientConfig.url` may use and still stay inside the cluster: Service DNS names.
 * One pattern for TypeScript and CEL (RE2 and JavaScript read it alike).
 */
export const IN_CLUSTER_URL_PATTERN = '^https://[a-z0-9-]+\\.[a-z0-9-]+\\.svc(\\.[a-z0-9.-]+)?(:[0-9]+)?(/.*)?$';
const IN_CLUSTER_URL = new RegExp(IN_CLUSTER_URL_PATTERN);

export function urlInCluster(url: string): boolean {
  return IN_CLUSTER_URL.test(url);
}

/** The resources a webhook rule names that cover pods: `*`, `*\/*`, `pods` and pods subresources. */
export function wideResources(rule: unknown): string[] {
  return asArray(asObject(rule).resources)
    .map((r) => asString(r))
    .filter((r): r is string => r !== undefined && (r === '*' || r.startsWith('*/') || r === 'pods' || r.startsWith('pods/')));
}
