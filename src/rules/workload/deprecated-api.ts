import { apiStatus, kubernetesMinor, LIFECYCLE_KINDS, lifecycleOf } from './api-lifecycle';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

/** A deprecated version still works today and breaks on the upgrade that removes it: say so while there is time. */
export default objectRule({
  id: 'workload-deprecated-api',
  title: 'Objects should not use an API version deprecated in the targeted Kubernetes version',
  area: 'workload',
  severity: Severity.LOW,
  level: 'restricted',
  kinds: LIFECYCLE_KINDS,
  rationale:
    'A deprecated API version is still served, with a warning on every request, until the release that removes it; then the manifest is rejected (see workload-removed-api). Migrating while both versions are served is a routine change; migrating after the upgrade is an outage. Deprecated GA APIs (v1 ComponentStatus, v1 Endpoints) are not removed but no longer maintained.',
  remediation:
    'Move the object to the replacement named in the finding before upgrading to the release that removes the version. The targeted Kubernetes version is --kubernetes-version (CLI) or kubernetesVersion (config file, plugin property, Hardening.enforce).',
  references: {
    links: ['https://kubernetes.io/docs/reference/using-api/deprecation-guide/'],
  },
  notAtAdmission: 'The API server itself returns a deprecation warning to the client for every request with a deprecated version.',
  check(object, context) {
    const api = lifecycleOf(object.apiVersion, object.kind);
    const minor = kubernetesMinor(context.settings.kubernetesVersion);
    if (!api || apiStatus(api, minor) !== 'deprecated') return [];
    const until = api.removedIn === undefined ? 'still served' : `removed in 1.${api.removedIn}`;
    return [{
      path: 'apiVersion',
      message: `${api.apiVersion} ${api.kind} is deprecated since Kubernetes 1.${api.deprecatedIn} and ${until} (targeted: 1.${minor})`,
      remediation: `Migrate to ${api.replacement}.`,
    }];
  },
});
