/**
 * Configuration files that are not API objects: the kubelet, kubeadm and API server read them from disk, and
 * their types carry no ObjectMeta. They are judged like any object (rules under src/rules/cluster), but a
 * missing `metadata` or `metadata.name` is normal for them, not an input problem.
 */
const CONFIG_FILE_API_GROUPS: readonly string[] = ['kubelet.config.k8s.io', 'kubeadm.k8s.io', 'apiserver.config.k8s.io'];

/** True when the apiVersion belongs to a configuration-file API group (`kubelet.config.k8s.io/v1beta1`). */
export function isConfigFileApiVersion(apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return CONFIG_FILE_API_GROUPS.includes(group);
}

/** Why a rule on these files has no admission policy: the API server never admits them (docs/rules.md, Admission). */
export const CONFIG_FILE_NOT_ADMITTED = 'it judges a node or control-plane configuration file, not an object the API server admits';
