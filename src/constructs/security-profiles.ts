/**
 * Kernel security profiles the hardened workloads set on every pod. cdk8s-plus-27 has no props for them,
 * so the pod-hardening core writes them into the pod spec with JSON patches.
 */

/** A kernel security profile: its type (`RuntimeDefault`, `Localhost`, `Unconfined`) and, for `Localhost`, its name. */
export abstract class KernelSecurityProfile {
  protected constructor(
    /** `RuntimeDefault`, `Localhost` or `Unconfined`. */
    public readonly type: string,
    /** The profile on the node, for `Localhost` profiles. */
    public readonly localhostProfile?: string,
  ) {}

  /** The Kubernetes JSON of the profile (securityContext field). */
  public toJson(): Record<string, string> {
    return this.localhostProfile === undefined ? { type: this.type } : { type: this.type, localhostProfile: this.localhostProfile };
  }
}

/** Throws unless a Localhost profile is named. */
function requireProfileName(name: string, what: string): string {
  if (name.trim() === '') throw new Error(what);
  return name;
}

/** A seccomp profile for the pod (`securityContext.seccompProfile`), inherited by every container. */
export class SeccompProfile extends KernelSecurityProfile {
  /** The container runtime's default profile: the Pod Security Standards `restricted` floor. */
  public static readonly RUNTIME_DEFAULT = new SeccompProfile('RuntimeDefault');

  /** No seccomp filtering. Violates the `restricted` standard: synth fails unless the seccomp rule is waived. */
  public static readonly UNCONFINED = new SeccompProfile('Unconfined');

  /** A profile file on the node, relative to the kubelet's seccomp directory (`profiles/audit.json`). */
  public static localhost(localhostProfile: string): SeccompProfile {
    return new SeccompProfile('Localhost', requireProfileName(localhostProfile, 'SeccompProfile.localhost needs the path of the profile file relative to the kubelet seccomp directory'));
  }

  private constructor(type: string, localhostProfile?: string) {
    super(type, localhostProfile);
  }
}

/** An AppArmor profile for the pod (`securityContext.appArmorProfile`, Kubernetes >= 1.30). */
export class AppArmorProfile extends KernelSecurityProfile {
  /** The container runtime's default profile. */
  public static readonly RUNTIME_DEFAULT = new AppArmorProfile('RuntimeDefault');

  /** No AppArmor confinement: synth fails unless the AppArmor rule is waived. */
  public static readonly UNCONFINED = new AppArmorProfile('Unconfined');

  /** A profile loaded on the node under this name. */
  public static localhost(localhostProfile: string): AppArmorProfile {
    return new AppArmorProfile('Localhost', requireProfileName(localhostProfile, 'AppArmorProfile.localhost needs the name of a profile loaded on the node'));
  }

  private constructor(type: string, localhostProfile?: string) {
    super(type, localhostProfile);
  }

  /** The value of the legacy per-container annotation (`runtime/default`, `localhost/<name>`, `unconfined`). */
  public toAnnotationValue(): string {
    if (this.type === 'Localhost') return `localhost/${this.localhostProfile}`;
    return this.type === 'RuntimeDefault' ? 'runtime/default' : 'unconfined';
  }
}

/** Where the AppArmor profile is written. */
export enum AppArmorMode {
  /** `securityContext.appArmorProfile` on the pod (Kubernetes >= 1.30). */
  FIELD = 'field',
  /** The legacy annotation `container.apparmor.security.beta.kubernetes.io/<container>` (clusters before 1.30). */
  ANNOTATION = 'annotation',
  /** Both the field and the legacy annotation (clusters being upgraded across 1.30). */
  FIELD_AND_ANNOTATION = 'field-and-annotation',
}

/** SELinux labels for the pod (`securityContext.seLinuxOptions`). */
export interface SeLinuxOptions {
  /** SELinux level (`s0:c123,c456`). @default - not set */
  readonly level?: string;
  /** SELinux role. The Pod Security Standards forbid setting it. @default - not set */
  readonly role?: string;
  /** SELinux type: `container_t`, `container_init_t`, `container_kvm_t` or `container_engine_t` pass the standards. @default - not set */
  readonly type?: string;
  /** SELinux user. The Pod Security Standards forbid setting it. @default - not set */
  readonly user?: string;
}
