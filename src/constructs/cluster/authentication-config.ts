import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { configFileObject } from './config-file';
import { HEALTH_PROBE_PATHS } from '../../analysis/cluster/authentication';
import { ClusterFile, TracedSetting } from '../../analysis/cluster/traced-setting';


/** Properties of an ApiServerAuthenticationConfig. */
export interface ApiServerAuthenticationConfigProps {
  /**
   * Paths that anonymous requests may reach; every other anonymous request is rejected (401). Only health
   * endpoints are accepted.
   * @default ['/healthz', '/livez', '/readyz']
   */
  readonly anonymousHealthPaths?: string[];
}

/**
 * The API server's AuthenticationConfiguration (apiserver.config.k8s.io/v1beta1, Kubernetes 1.32+), the file
 * passed as `--authentication-config`. It turns anonymous authentication off for every path except the health
 * endpoints. `--anonymous-auth=false` alone also turns off the anonymous health checks that kubeadm's static
 * pod probes depend on, so the API server would be restarted in a loop; this file keeps CIS 1.2.1's intent
 * (no anonymous access to the API) without breaking the probes. Use it with ControlPlaneConfig's default
 * `AnonymousAuth.HEALTH_PROBES_ONLY`.
 */
export class ApiServerAuthenticationConfig extends Construct {
  /** Where the installation guide puts the file (`--authentication-config`). */
  public static readonly CONFIG_FILE = '/etc/kubernetes/authn/authentication-config.yaml';

  /** What the file sets, with the CIS items it satisfies (for docs/cis-coverage.md). */
  public static settings(): TracedSetting[] {
    return [
      {
        file: ClusterFile.AUTHENTICATION_CONFIGURATION,
        component: 'kube-apiserver',
        setting: 'anonymous.conditions',
        value: HEALTH_PROBE_PATHS.join(','),
        cis: ['1.2.1'],
        reason: 'Anonymous requests reach only the health endpoints; every API path needs credentials.',
      },
    ];
  }

  /** The synthesized AuthenticationConfiguration. */
  public readonly apiObject: ApiObject;

  public constructor(scope: Construct, id: string, props: ApiServerAuthenticationConfigProps = {}) {
    super(scope, id);
    const paths = props.anonymousHealthPaths ?? [...HEALTH_PROBE_PATHS];
    if (paths.length === 0) {
      throw new Error(`${this.node.path}: anonymousHealthPaths is empty; use ControlPlaneConfig with AnonymousAuth.DISABLED instead of an empty allow-list`);
    }
    for (const p of paths) {
      if (!HEALTH_PROBE_PATHS.includes(p)) {
        throw new Error(`${this.node.path}: anonymous access to "${p}" is not allowed (CIS 1.2.1); only ${HEALTH_PROBE_PATHS.join(', ')} may be reached without credentials`);
      }
    }
    this.apiObject = configFileObject(this, 'apiserver.config.k8s.io/v1beta1', 'AuthenticationConfiguration', {
      anonymous: { enabled: true, conditions: [...new Set(paths)].sort().map((path) => ({ path })) },
    });
  }
}
