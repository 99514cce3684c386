/** The Pod Security Standards levels, shared by LockedNamespace (admission labels), Hardening.enforce and AdmissionPolicies. */
export enum PodSecurityLevel {
  /** Heavily restricted, current pod hardening best practice (plus the library's additions when judging). The default. */
  RESTRICTED = 'restricted',
  /** Prevents known privilege escalations. */
  BASELINE = 'baseline',
  /** Unrestricted. Only a namespace's admission labels can be privileged (with a waiver); nothing is judged at this level. */
  PRIVILEGED = 'privileged',
}

/**
 * The level a check judges at: privileged judges nothing, so asking for it is an error naming the fix
 * (skip rules, or waive them on the objects that need it).
 */
export function judgingLevel(level: PodSecurityLevel | undefined, where: string): 'baseline' | 'restricted' {
  if (level === undefined || level === PodSecurityLevel.RESTRICTED) return 'restricted';
  if (level === PodSecurityLevel.BASELINE) return 'baseline';
  throw new Error(`${where}: level ${String(level)} cannot be judged; use PodSecurityLevel.BASELINE or RESTRICTED, and skip or waive the rules that do not apply`);
}
