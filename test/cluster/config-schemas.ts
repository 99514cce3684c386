/**
 * JSON schemas for the configuration files the cluster constructs write. These kinds are not in
 * kubernetes-models (they are not served by the API server), so the schemas are written here from the Go types:
 * - audit.k8s.io/v1 Policy: k8s.io/apiserver/pkg/apis/audit/v1/types.go (Policy, PolicyRule, GroupResources);
 * - apiserver.config.k8s.io/v1 EncryptionConfiguration: k8s.io/apiserver/pkg/apis/apiserver/v1/types.go
 *   (ResourceConfiguration, ProviderConfiguration, AESConfiguration, SecretboxConfiguration, KMSConfiguration);
 * - apiserver.config.k8s.io/v1beta1 AuthenticationConfiguration: same package, v1beta1 (jwt, anonymous);
 * - kubelet.config.k8s.io/v1beta1 KubeletConfiguration and kubeadm.k8s.io/v1beta4 ClusterConfiguration: only
 *   the fields the library writes, closed (additionalProperties: false), so a misspelt field fails. They are
 *   a subset of the real types, not the whole of them.
 * The first three are complete for the fields they declare, with the enums the API server validates.
 */

const stringArray = { type: 'array', items: { type: 'string', minLength: 1 } };
const typeMeta = (apiVersion: string, kind: string) => ({
  apiVersion: { const: apiVersion },
  kind: { const: kind },
});
const objectMeta = { type: 'object', properties: { name: { type: 'string' }, annotations: { type: 'object' }, labels: { type: 'object' } } };
const stages = { type: 'array', items: { enum: ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] } };

export const AUDIT_POLICY_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'rules'],
  additionalProperties: false,
  properties: {
    ...typeMeta('audit.k8s.io/v1', 'Policy'),
    metadata: objectMeta,
    omitStages: stages,
    omitManagedFields: { type: 'boolean' },
    rules: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['level'],
        additionalProperties: false,
        properties: {
          level: { enum: ['None', 'Metadata', 'Request', 'RequestResponse'] },
          users: stringArray,
          userGroups: stringArray,
          verbs: stringArray,
          resources: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: { group: { type: 'string' }, resources: stringArray, resourceNames: stringArray },
            },
          },
          namespaces: stringArray,
          nonResourceURLs: { type: 'array', items: { type: 'string', pattern: '^/' } },
          omitStages: stages,
          omitManagedFields: { type: 'boolean' },
        },
        not: { required: ['resources', 'nonResourceURLs'] },
      },
    },
  },
};

const keys = {
  type: 'object',
  required: ['keys'],
  additionalProperties: false,
  properties: {
    keys: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['name', 'secret'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 }, secret: { type: 'string', minLength: 1 } } },
    },
  },
};

export const ENCRYPTION_CONFIGURATION_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'resources'],
  additionalProperties: false,
  properties: {
    ...typeMeta('apiserver.config.k8s.io/v1', 'EncryptionConfiguration'),
    resources: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['resources', 'providers'],
        additionalProperties: false,
        properties: {
          resources: stringArray,
          providers: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              minProperties: 1,
              maxProperties: 1,
              additionalProperties: false,
              properties: {
                aesgcm: keys,
                aescbc: keys,
                secretbox: keys,
                identity: { type: 'object', additionalProperties: false },
                kms: {
                  type: 'object',
                  required: ['name', 'endpoint'],
                  additionalProperties: false,
                  properties: {
                    apiVersion: { enum: ['v1', 'v2'] },
                    name: { type: 'string', minLength: 1 },
                    endpoint: { type: 'string', pattern: '^unix:///' },
                    cachesize: { type: 'integer' },
                    timeout: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

export const AUTHENTICATION_CONFIGURATION_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind'],
  additionalProperties: false,
  properties: {
    ...typeMeta('apiserver.config.k8s.io/v1beta1', 'AuthenticationConfiguration'),
    jwt: { type: 'array', items: { type: 'object' } },
    anonymous: {
      type: 'object',
      required: ['enabled'],
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        conditions: { type: 'array', items: { type: 'object', required: ['path'], additionalProperties: false, properties: { path: { type: 'string', pattern: '^/' } } } },
      },
    },
  },
};

const duration = { type: 'string', pattern: '^(\\d+h)?(\\d+m)?(\\d+s)?$' };

export const KUBELET_CONFIGURATION_SUBSET_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind'],
  additionalProperties: false,
  properties: {
    ...typeMeta('kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration'),
    authentication: {
      type: 'object',
      additionalProperties: false,
      properties: {
        anonymous: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
        webhook: { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' }, cacheTTL: duration } },
        x509: { type: 'object', additionalProperties: false, properties: { clientCAFile: { type: 'string' } } },
      },
    },
    authorization: {
      type: 'object',
      additionalProperties: false,
      properties: { mode: { enum: ['AlwaysAllow', 'Webhook'] }, webhook: { type: 'object' } },
    },
    readOnlyPort: { type: 'integer', minimum: 0, maximum: 65535 },
    streamingConnectionIdleTimeout: duration,
    makeIPTablesUtilChains: { type: 'boolean' },
    eventRecordQPS: { type: 'integer', minimum: 0 },
    rotateCertificates: { type: 'boolean' },
    serverTLSBootstrap: { type: 'boolean' },
    tlsCertFile: { type: 'string' },
    tlsPrivateKeyFile: { type: 'string' },
    tlsCipherSuites: stringArray,
    tlsMinVersion: { enum: ['VersionTLS10', 'VersionTLS11', 'VersionTLS12', 'VersionTLS13'] },
    podPidsLimit: { type: 'integer' },
    seccompDefault: { type: 'boolean' },
    protectKernelDefaults: { type: 'boolean' },
  },
};

const args = {
  type: 'array',
  items: { type: 'object', required: ['name', 'value'], additionalProperties: false, properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }, value: { type: 'string' } } },
};

export const KUBEADM_CLUSTER_CONFIGURATION_SUBSET_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'kubernetesVersion'],
  additionalProperties: false,
  properties: {
    ...typeMeta('kubeadm.k8s.io/v1beta4', 'ClusterConfiguration'),
    kubernetesVersion: { type: 'string', pattern: '^v\\d+\\.\\d+\\.\\d+$' },
    clusterName: { type: 'string' },
    controlPlaneEndpoint: { type: 'string' },
    apiServer: {
      type: 'object',
      additionalProperties: false,
      properties: {
        extraArgs: args,
        extraVolumes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'hostPath', 'mountPath'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
              hostPath: { type: 'string', pattern: '^/' },
              mountPath: { type: 'string', pattern: '^/' },
              readOnly: { type: 'boolean' },
              pathType: { enum: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] },
            },
          },
        },
      },
    },
    controllerManager: { type: 'object', additionalProperties: false, properties: { extraArgs: args } },
    scheduler: { type: 'object', additionalProperties: false, properties: { extraArgs: args } },
    etcd: {
      type: 'object',
      additionalProperties: false,
      properties: { local: { type: 'object', additionalProperties: false, properties: { extraArgs: args } } },
    },
  },
};

/** Schema per kind, for tests that validate whatever the constructs write. */
const absolutePath = { type: 'string', pattern: '^/' };

/**
 * The audit webhook's kubeconfig (clientcmd v1 Config), as AuditWebhookConfig writes it: file paths only, no
 * inline `*-data`, token or password fields. clientcmd decodes kubeconfigs leniently, so cdk8s's metadata is tolerated.
 */
export const AUDIT_WEBHOOK_KUBECONFIG_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'clusters', 'users', 'contexts', 'current-context'],
  additionalProperties: false,
  properties: {
    ...typeMeta('v1', 'Config'),
    'metadata': { type: 'object' },
    'clusters': {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'cluster'],
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          cluster: { type: 'object', required: ['server'], additionalProperties: false, properties: { 'server': { type: 'string', pattern: '^https://' }, 'certificate-authority': absolutePath } },
        },
      },
    },
    'users': {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'user'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, user: { type: 'object', additionalProperties: false, properties: { 'client-certificate': absolutePath, 'client-key': absolutePath } } },
      },
    },
    'contexts': {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'context'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, context: { type: 'object', required: ['cluster', 'user'], additionalProperties: false, properties: { cluster: { type: 'string' }, user: { type: 'string' } } } },
      },
    },
    'current-context': { type: 'string' },
  },
};

export const CONFIG_SCHEMAS: Record<string, object> = {
  Config: AUDIT_WEBHOOK_KUBECONFIG_SCHEMA,
  Policy: AUDIT_POLICY_SCHEMA,
  EncryptionConfiguration: ENCRYPTION_CONFIGURATION_SCHEMA,
  AuthenticationConfiguration: AUTHENTICATION_CONFIGURATION_SCHEMA,
  KubeletConfiguration: KUBELET_CONFIGURATION_SUBSET_SCHEMA,
  ClusterConfiguration: KUBEADM_CLUSTER_CONFIGURATION_SUBSET_SCHEMA,
};
