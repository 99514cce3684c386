/**
 * One change the pod-hardening core makes to an object's JSON: shared by `Hardening.harden` (applied as a JSON
 * patch to an ApiObject) and `cdk8s-hardened fix` (applied to the YAML document, keeping its comments).
 */
export interface HardeningChange {
  /** JSON path of the field that is set, from the object's root (`['spec', 'template', 'spec', 'securityContext', 'runAsNonRoot']`). */
  readonly path: ReadonlyArray<string | number>;
  /** The value written at `path` (only ever written where the field is unset). */
  readonly value: unknown;
  /** The catalog rules the change satisfies. */
  readonly ruleIds: readonly string[];
  /** What the change does, for the change table (`runAsNonRoot: true on the pod`). */
  readonly description: string;
}
