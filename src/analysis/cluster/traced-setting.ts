/**
 * A setting of a cluster configuration file together with the reason the library chose its value and the
 * CIS Kubernetes Benchmark items it satisfies. Each cluster construct builds its file from a table of these,
 * and docs/cis-coverage.md is generated from the same tables, so what the docs claim is what the files contain.
 */

/** The configuration files the cluster constructs write, with how an operator installs each. */
export enum ClusterFile {
  AUDIT_POLICY = 'audit Policy (audit.k8s.io/v1)',
  ENCRYPTION_CONFIGURATION = 'EncryptionConfiguration (apiserver.config.k8s.io/v1)',
  AUTHENTICATION_CONFIGURATION = 'AuthenticationConfiguration (apiserver.config.k8s.io/v1beta1)',
  KUBELET_CONFIGURATION = 'KubeletConfiguration (kubelet.config.k8s.io/v1beta1)',
  KUBEADM_CLUSTER_CONFIGURATION = 'kubeadm ClusterConfiguration (kubeadm.k8s.io/v1beta4)',
  AUDIT_WEBHOOK_KUBECONFIG = 'audit webhook kubeconfig (v1 Config)',
}

/** One setting in one file. */
export interface TracedSetting {
  readonly file: ClusterFile;
  /** The component that reads the setting (`kube-apiserver`, `kubelet`, `etcd`, ...). */
  readonly component: string;
  /** The flag (`--profiling`) or configuration field (`authentication.anonymous.enabled`). */
  readonly setting: string;
  /** The value the library writes, as text. */
  readonly value: string;
  /** CIS Kubernetes Benchmark items (see cis.ts for the version) this setting satisfies; empty when none. */
  readonly cis: string[];
  /** Items only CIS v1.11+ numbers (v1.12: 1.2.30, 4.2.14). @default - none */
  readonly cis112Only?: string[];
  /** Why: the attack or failure the setting prevents. */
  readonly reason: string;
}

/**
 * A benchmark item satisfied without a setting of the library: kubeadm's own defaults (the certificate paths it
 * generates and wires), or a flag no construct can set. The library keeps those defaults and never overrides
 * them; kube-bench verifies them on the node.
 */
export interface ImplicitCoverage {
  readonly cis: string;
  readonly how: string;
}
