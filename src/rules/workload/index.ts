/**
 * Workload rules: availability (disruption budgets, spreading), host access and sensitive host mounts,
 * secrets in the environment and in ConfigMaps, exposed ports, and API versions the targeted Kubernetes no longer serves.
 */
import configMapSecretLiteral from './configmap-secret-literal';
import deprecatedApi from './deprecated-api';
import envSecretLiteral from './env-secret-literal';
import hostAccessOutsideDaemonSet from './host-access-outside-daemonset';
import hostPersistentVolume from './host-persistent-volume';
import pdbMissing from './pdb-missing';
import pdbNoDisruption from './pdb-no-disruption';
import privilegedPort from './privileged-port';
import removedApi from './removed-api';
import secretEnvVar from './secret-env-var';
import sensitiveHostMount from './sensitive-host-mount';
import sharedServiceAccount from './shared-service-account';
import spreadOrAntiAffinity from './spread-or-anti-affinity';
import sshPort from './ssh-port';
import type { Rule } from '../rule';

export const WORKLOAD_RULES: readonly Rule[] = [
  pdbMissing,
  pdbNoDisruption,
  spreadOrAntiAffinity,
  hostAccessOutsideDaemonSet,
  sensitiveHostMount,
  hostPersistentVolume,
  sharedServiceAccount,
  envSecretLiteral,
  configMapSecretLiteral,
  secretEnvVar,
  privilegedPort,
  sshPort,
  removedApi,
  deprecatedApi,
];
