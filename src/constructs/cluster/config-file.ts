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
