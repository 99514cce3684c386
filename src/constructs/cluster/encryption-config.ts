import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configFileObject } from './config-file';
import { ClusterFile, TracedSetting } from '../../analysis/cluster/traced-setting';

const ENV_VARIABLE = /^[A-Z_][A-Z0-9_]*$/;
const KEY_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A key of an aesgcm, aescbc or secretbox provider. The library never holds key material: a key is a
 * reference, written to the file as `${VARIABLE}` and substituted when the operator installs the file
 * (for example `envsubst` fed from a secret store). Installing the file unsubstituted makes the API server
 * fail to start, loudly, rather than encrypt with a known value.
 */
export class EncryptionKey {
  /** A key whose base64 value is substituted at install time from the environment variable `variable`. */
  public static fromEnvironment(name: string, variable: string): EncryptionKey {
    if (!KEY_NAME.test(name)) throw new Error(`encryption key name "${name}" must be lowercase alphanumeric with dashes`);
    if (!ENV_VARIABLE.test(variable)) throw new Error(`encryption key "${name}": "${variable}" is not an environment variable name (A-Z, 0-9, _)`);
    return new EncryptionKey(name, variable);
  }

  private constructor(
    /** Name of the key in the file. */
    public readonly name: string,
    /** Environment variable that holds the base64 key at install time. */
    public readonly variable: string,
  ) {}

  /** The placeholder written in place of the key material. */
  public get placeholder(): string {
    return '${' + this.variable + '}';
  }
}

/** Options of a KMS v2 provider (envelope encryption through a KMS plugin on the control plane node). */
export interface KmsV2Options {
  /** Name of the provider (unique in the file). */
  readonly name: string;
  /** gRPC endpoint of the KMS plugin, a unix socket (`unix:///var/run/kms-plugin/socket.sock`). */
  readonly endpoint: string;
  /**
   * How long the API server waits for the plugin.
   * @default '3s'
   */
  readonly timeout?: string;
}

/** One encryption provider of an EncryptionConfiguration. */
export class EncryptionProvider {
  /** Envelope encryption with a key held by an external KMS (recommended: no key on the node). */
  public static kmsV2(options: KmsV2Options): EncryptionProvider {
    if (!KEY_NAME.test(options.name)) throw new Error(`KMS provider name "${options.name}" must be lowercase alphanumeric with dashes`);
    if (!/^unix:\/\/\/.+/.test(options.endpoint)) throw new Error(`KMS provider "${options.name}": endpoint "${options.endpoint}" must be a unix socket (unix:///path)`);
    const timeout = options.timeout ?? '3s';
    if (!/^\d+(ms|s|m)$/.test(timeout)) throw new Error(`KMS provider "${options.name}": timeout "${timeout}" is not a duration like 3s`);
    return new EncryptionProvider('kms', `kms v2 "${options.name}"`, { kms: { apiVersion: 'v2', name: options.name, endpoint: options.endpoint, timeout } }, []);
  }

  /** AES-GCM with keys substituted at install time. Rotate keys well before 2^32 writes per key. */
  public static aesGcm(keys: EncryptionKey[]): EncryptionProvider {
    return EncryptionProvider.withKeys('aesgcm', keys);
  }

  /** AES-CBC with keys substituted at install time (weaker than aesgcm and kms; kept for existing clusters). */
  public static aesCbc(keys: EncryptionKey[]): EncryptionProvider {
    return EncryptionProvider.withKeys('aescbc', keys);
  }

  /** XSalsa20-Poly1305 with keys substituted at install time. */
  public static secretbox(keys: EncryptionKey[]): EncryptionProvider {
    return EncryptionProvider.withKeys('secretbox', keys);
  }

  private static withKeys(type: string, keys: EncryptionKey[]): EncryptionProvider {
    if (keys.length === 0) throw new Error(`${type} provider needs at least one key (EncryptionKey.fromEnvironment); the first key encrypts, the others only decrypt`);
    const names = keys.map((k) => k.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new Error(`${type} provider: key name "${duplicate}" is used twice`);
    return new EncryptionProvider(type, type, { [type]: { keys: keys.map((k) => ({ name: k.name, secret: k.placeholder })) } }, keys);
  }

  private constructor(
    /** Provider type (`kms`, `aesgcm`, `aescbc`, `secretbox`). */
    public readonly type: string,
    /** Human-readable description for errors and docs. */
    public readonly description: string,
    private readonly body: Record<string, any>,
    /** Keys referenced by the provider (none for kms). */
    public readonly keys: EncryptionKey[],
  ) {}

  /** The provider entry as written to the file. */
  public toJson(): Record<string, any> {
    return JSON.parse(JSON.stringify(this.body));
  }
}

/** Properties of an EncryptionConfig. */
export interface EncryptionConfigProps {
  /** The provider that encrypts new writes. There is no default: a secure one needs a KMS or a key from your secret store. */
  readonly provider: EncryptionProvider;
  /**
   * Providers that can still decrypt data written under an earlier configuration (during key rotation),
   * placed after `provider` and before `identity`.
   * @default - none
   */
  readonly previousProviders?: EncryptionProvider[];
  /**
   * Resources to encrypt at rest. Must include `secrets`.
   * @default ['secrets']
   */
  readonly resources?: string[];
}

/**
 * The API server's EncryptionConfiguration (apiserver.config.k8s.io/v1), the file passed as
 * `--encryption-provider-config`. The chosen provider comes first (it encrypts every new write), earlier
 * providers follow, and `identity` comes last so data written before encryption was enabled stays readable
 * until it is rewritten (`kubectl get secrets -A -o json | kubectl replace -f -`). `identity` is never first.
 */
export class EncryptionConfig extends Construct {
  /** Where the installation guide puts the file (`--encryption-provider-config`). */
  public static readonly CONFIG_FILE = '/etc/kubernetes/enc/encryption-config.yaml';

  /** What the file sets, with the CIS items it satisfies (for docs/cis-coverage.md). */
  public static settings(): TracedSetting[] {
    const file = ClusterFile.ENCRYPTION_CONFIGURATION;
    return [
      {
        file,
        component: 'kube-apiserver',
        setting: 'resources[].providers',
        value: 'kms v2, aesgcm, aescbc or secretbox first; identity last',
        cis: ['1.2.28'],
        reason: 'Secrets in etcd (and in etcd backups) are ciphertext; whoever reads the datastore does not read the credentials.',
      },
      {
        file,
        component: 'kube-apiserver',
        setting: 'keys[].secret',
        value: '${VARIABLE} placeholder substituted at install time',
        cis: [],
        reason: 'Key material never enters the repository or the synthesized output.',
      },
    ];
  }

  /** The synthesized EncryptionConfiguration. */
  public readonly apiObject: ApiObject;
  /** Environment variables the installer must set (one per key). */
  public readonly requiredVariables: string[];

  public constructor(scope: Construct, id: string, props: EncryptionConfigProps) {
    super(scope, id);
    if (!props || !(props.provider instanceof EncryptionProvider)) {
      throw new Error(`${this.node.path}: provider is required (EncryptionProvider.kmsV2(...) or EncryptionProvider.aesGcm([...]))`);
    }
    const resources = props.resources ?? ['secrets'];
    if (!resources.includes('secrets') && !resources.includes('*.*') && !resources.includes('*.')) {
      throw new Error(`${this.node.path}: resources must include "secrets" (CIS 1.2.28); got ${JSON.stringify(resources)}`);
    }
    const duplicateResource = resources.find((r, i) => resources.indexOf(r) !== i);
    if (duplicateResource) throw new Error(`${this.node.path}: resource "${duplicateResource}" is listed twice`);
    const providers = [props.provider, ...(props.previousProviders ?? [])];
    const kmsNames = providers.map((p) => JSON.stringify(p.toJson())).filter((p, i, all) => all.indexOf(p) !== i);
    if (kmsNames.length > 0) throw new Error(`${this.node.path}: the same provider is listed twice`);
    const variables = providers.flatMap((p) => p.keys.map((k) => k.variable));
    this.requiredVariables = [...new Set(variables)].sort();

    this.apiObject = configFileObject(this, 'apiserver.config.k8s.io/v1', 'EncryptionConfiguration', {
      resources: [{ resources: [...resources], providers: [...providers.map((p) => p.toJson()), { identity: {} }] }],
    });
  }
}
