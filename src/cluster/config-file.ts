import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * Creates the ApiObject of a configuration file whose type has no ObjectMeta (EncryptionConfiguration,
 * KubeletConfiguration, kubeadm ClusterConfiguration, AuthenticationConfiguration). cdk8s always writes
 * `metadata`; the components decode these files strictly or warn on unknown fields, so it is removed.
 */
export function configFileObject(scope: Construct, apiVersion: string, kind: string, body: Record<string, unknown>): ApiObject {
  const obj = new ApiObject(scope, 'Resource', { apiVersion, kind, ...body });
  obj.addJsonPatch(JsonPatch.remove('/metadata'));
  return obj;
}

/** `5m`, `1h30m`, `90s`: a Go duration made of whole units (what the kubelet and API server accept). */
export const DURATION_PATTERN = /^(\d+h)?(\d+m)?(\d+s)?$/;

/** True when the Go duration is zero or not a duration at all. */
export function isZeroOrInvalidDuration(value: string): boolean {
  if (value === '' || !DURATION_PATTERN.test(value)) return true;
  return (value.match(/\d+/g) ?? []).every((n) => Number(n) === 0);
}
