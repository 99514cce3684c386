import { apiStatus, DEFAULT_KUBERNETES_VERSION, kubernetesMinor, LIFECYCLE_KINDS, lifecycleOf } from './api-lifecycle';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

/**
 * A manifest the API server no longer serves is refused on apply: in an upgrade it is the deployment that silently
 * stops (a PodDisruptionBudget or NetworkPolicy that never gets created leaves the workload unprotected).
 */
export default objectRule({
  id: 'workload-removed-api',
  title: 'Objects must use an API version the targeted Kubernetes version serves',
  area: 'workload',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: LIFECYCLE_KINDS,
  rationale:
    'Kubernetes stops serving beta API versions a few releases after their successor (extensions/v1beta1 workloads in 1.16, extensions and networking beta Ingress and rbac v1beta1 in 1.22, policy/v1beta1 PodSecurityPolicy and PodDisruptionBudget and batch/v1beta1 CronJob in 1.25, the flowcontrol betas in 1.26, 1.29 and 1.32, ...). The API server rejects such an object, so what the manifest declares (a disruption budget, a NetworkPolicy, RBAC) never exists in the cluster, and a pipeline that ignores the failed apply ships without it. PodSecurityPolicy has no successor at all: a cluster that relies on it enforces nothing after 1.25.',
  remediation:
    `Rewrite the object in the replacement API version named in the finding (kubectl convert, or the cdk8s-plus construct of the kind), and set the Kubernetes version you target: --kubernetes-version (CLI), kubernetesVersion (config file, plugin property, Hardening.enforce); the default is ${DEFAULT_KUBERNETES_VERSION}, the library's minimum.`,
  references: {
    links: ['https://kubernetes.io/docs/reference/using-api/deprecation-guide/', 'https://kubernetes.io/docs/reference/using-api/deprecation-policy/'],
  },
  notAtAdmission: 'The API server refuses a version it does not serve before admission runs, so no policy ever sees the object.',
  check(object, context) {
    const api = lifecycleOf(object.apiVersion, object.kind);
    const minor = kubernetesMinor(context.settings.kubernetesVersion);
    if (!api || apiStatus(api, minor) !== 'removed') return [];
    return [{
      path: 'apiVersion',
      message: `${api.apiVersion} ${api.kind} is not served since Kubernetes 1.${api.removedIn} (targeted: 1.${minor}): the API server rejects the object`,
      remediation: `Use ${api.replacement}.`,
    }];
  },
});
