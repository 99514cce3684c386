/** Props every hardened workload shares, on top of the cdk8s-plus-27 props of its kind. */
import type { Size } from 'cdk8s';
import type { DedicatedNodes, DisruptionBudgetOptions, PodAntiAffinity, TopologySpread } from './placement';
import type { IRuntimeClass } from './runtime-class';
import type { AppArmorMode, AppArmorProfile, SeccompProfile, SeLinuxOptions } from './security-profiles';
import type { Waiver } from '../core/types';

/** Security props of every hardened workload. */
export interface WorkloadHardeningProps {
  /**
   * Controls deliberately weakened, each with the reason. Recorded in the `hardened.cdk8s.io/waivers`
   * annotation of the workload and its pod template; an unknown rule id or a reason shorter than
   * 10 characters fails synth.
   * @default - no waivers
   */
  readonly waivers?: Waiver[];
  /**
   * Team or person accountable for the workload's identity (annotation `hardened.cdk8s.io/owner` of the
   * AuditedServiceAccount created for it). Required unless the chart carries the label `hardened.cdk8s.io/owner`
   * (every LockedNamespace does) or `serviceAccount` is given.
   * @default - the owner label of the enclosing chart
   */
  readonly owner?: string;
  /**
   * What the workload's identity is for (annotation `hardened.cdk8s.io/purpose`).
   * @default - "Identity of <construct> <path>"
   */
  readonly purpose?: string;
  /** @default SeccompProfile.RUNTIME_DEFAULT */
  readonly seccompProfile?: SeccompProfile;
  /** @default AppArmorProfile.RUNTIME_DEFAULT */
  readonly appArmorProfile?: AppArmorProfile;
  /** @default AppArmorMode.FIELD */
  readonly appArmorMode?: AppArmorMode;
  /** @default - not set */
  readonly seLinuxOptions?: SeLinuxOptions;
  /** Run the pods in a sandboxed runtime (gVisor, Kata). @default - the cluster's default runtime */
  readonly runtimeClass?: IRuntimeClass;
  /** Keep the pods on dedicated nodes (nodeSelector + toleration). @default - any node */
  readonly dedicatedNodes?: DedicatedNodes;
  /**
   * Size limit of the emptyDir mounted at `/tmp` in every container (the root filesystem is read-only).
   * @default Size.mebibytes(64)
   */
  readonly tmpSizeLimit?: Size;
}

/** Availability props of replicated workloads (Deployment, StatefulSet). */
export interface WorkloadAvailabilityProps {
  /** @default - maxUnavailable 1 when there is more than one replica */
  readonly disruptionBudget?: DisruptionBudgetOptions;
  /** @default TopologySpread.PREFERRED (when there is more than one replica) */
  readonly topologySpread?: TopologySpread;
  /** @default PodAntiAffinity.NONE */
  readonly podAntiAffinity?: PodAntiAffinity;
}
