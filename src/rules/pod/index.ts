/** Pod and container rules: the Pod Security Standards (baseline and restricted) and the library's additions. */
import allowPrivilegeEscalation from './allow-privilege-escalation';
import apparmorProfile from './apparmor-profile';
import automountServiceAccountToken from './automount-service-account-token';
import capabilitiesBaseline from './capabilities-baseline';
import capabilitiesRestricted from './capabilities-restricted';
import criticalPriorityClass from './critical-priority-class';
import defaultServiceAccount from './default-service-account';
import hostNamespaces from './host-namespaces';
import hostPathVolumes from './host-path-volumes';
import hostPorts from './host-ports';
import hostProbesLifecycle from './host-probes-lifecycle';
import livenessProbe from './liveness-probe';
import privileged from './privileged';
import procMount from './proc-mount';
import procMountRestricted from './proc-mount-restricted';
import readOnlyRootFilesystem from './read-only-root-filesystem';
import readinessProbe from './readiness-probe';
import resourceLimits from './resource-limits';
import resourceRequests from './resource-requests';
import restrictedVolumes from './restricted-volumes';
import runAsHighUid from './run-as-high-uid';
import runAsNonRoot from './run-as-non-root';
import runAsUser from './run-as-user';
import seccompBaseline from './seccomp-baseline';
import seccompRestricted from './seccomp-restricted';
import selinuxOptions from './selinux-options';
import shareProcessNamespace from './share-process-namespace';
import sysctls from './sysctls';
import tolerateAllTaints from './tolerate-all-taints';
import windowsHostProcess from './windows-host-process';
import type { Rule } from '../rule';

/** Pod Security Standards, baseline level (policy version v1.37), in the order of the standard. */
const PSS_BASELINE: readonly Rule[] = [
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  hostProbesLifecycle,
  apparmorProfile,
  selinuxOptions,
  procMount,
  seccompBaseline,
  sysctls,
  windowsHostProcess,
];

/** Pod Security Standards, restricted level: four of these override a baseline rule (see `overrides`). */
const PSS_RESTRICTED: readonly Rule[] = [
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];

/** The library's additions on top of the standards (level restricted). */
const HARDENING: readonly Rule[] = [
  readOnlyRootFilesystem,
  resourceRequests,
  resourceLimits,
  automountServiceAccountToken,
  defaultServiceAccount,
  livenessProbe,
  readinessProbe,
  runAsHighUid,
  shareProcessNamespace,
  tolerateAllTaints,
  criticalPriorityClass,
];

export const POD_RULES: readonly Rule[] = [...PSS_BASELINE, ...PSS_RESTRICTED, ...HARDENING];
