import { Severity } from '../../core/types';
import { celString } from '../kit/cel';
import { objectRule } from '../rule';

/** Pod Security Admission label prefix. */
const PREFIX = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'audit', 'warn'] as const;
/** A pinned policy version: `v1.30` (the admission controller also accepts `latest`, which is what we reject). */
const VERSION = /^v1\.(\d+)$/;
/**
 * The oldest policy version whose `restricted` has every check it has today (capabilities, seccomp and runAsUser
 * joined between v1.19 and v1.23; Windows handling settled in v1.25): pinning an older one silently drops checks.
 */
export const MIN_FULL_RESTRICTED_VERSION = 'v1.25';

/** True for a pinned version at or after MIN_FULL_RESTRICTED_VERSION. */
export function isFullRestrictedVersion(version: string): boolean {
  const minor = VERSION.exec(version)?.[1];
  return minor !== undefined && Number(minor) >= Number(MIN_FULL_RESTRICTED_VERSION.slice(3));
}

/** RE2 for a pinned version at or after MIN_FULL_RESTRICTED_VERSION (v1.25): a regex, not int(), so no digit string overflows. */
const FULL_RESTRICTED_VERSION_RE2 = '^v1\\.0*(?:2[5-9]|[3-9][0-9]|[1-9][0-9]{2,})$';

/** The labels of the Namespace at admission, and one validation per mode (level, then version). */
const admissionLabels = 'has(object.metadata.labels) ? object.metadata.labels : {}';
const modeValidations = MODES.flatMap((mode) => {
  const level = celString(`${PREFIX}${mode}`);
  const version = celString(`${PREFIX}${mode}-version`);
  return [
    {
      expression: `${level} in variables.labels && variables.labels[${level}] == 'restricted'`,
      message: `namespace does not set ${PREFIX}${mode}: restricted`,
    },
    {
      expression: `${version} in variables.labels && variables.labels[${version}].matches(${celString(FULL_RESTRICTED_VERSION_RE2)})`,
      message: `namespace does not pin ${PREFIX}${mode}-version to ${MIN_FULL_RESTRICTED_VERSION} or later`,
    },
  ];
});

/** Pod Security Admission labels make the API server itself refuse pods weaker than the restricted standard. */
export default objectRule({
  id: 'ns-pod-security-labels',
  title: 'Namespaces must enforce, audit and warn at Pod Security Standard restricted, version pinned',
  area: 'namespace',
  severity: Severity.HIGH,
  level: 'restricted',
  namespaceLevel: true,
  kinds: ['Namespace'],
  rationale:
    'Pod Security Admission enforces the Pod Security Standards per namespace from its labels. Without `enforce: restricted` a manifest that skipped every check is still admitted; `audit` and `warn` make violations visible; an unpinned or `latest` version changes what is enforced when the cluster is upgraded.',
  remediation:
    'Label the namespace `pod-security.kubernetes.io/<mode>: restricted` and `pod-security.kubernetes.io/<mode>-version: v1.N` (N >= 25) for mode enforce, audit and warn. LockedNamespace sets all six; a weaker level needs a waiver for ns-pod-security-labels.',
  references: {
    cis: '5.2.1',
    nsa: 'Pod security: Pod Security Admission',
    links: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/', 'https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/'],
  },
  admission: {
    variables: [{ name: 'labels', expression: admissionLabels }],
    validations: modeValidations,
  },
  check(namespace) {
    const violations = [];
    for (const mode of MODES) {
      const level = namespace.labels[`${PREFIX}${mode}`];
      const version = namespace.labels[`${PREFIX}${mode}-version`];
      if (level !== 'restricted') {
        violations.push({
          path: `metadata.labels["${PREFIX}${mode}"]`,
          message: level === undefined ? `namespace has no ${PREFIX}${mode} label` : `${PREFIX}${mode} is "${level}", not "restricted"`,
        });
      }
      if (version !== undefined && VERSION.test(version) && !isFullRestrictedVersion(version)) {
        violations.push({
          path: `metadata.labels["${PREFIX}${mode}-version"]`,
          message: `${PREFIX}${mode}-version is "${version}": older than ${MIN_FULL_RESTRICTED_VERSION}, its restricted level lacks checks the current one has`,
        });
      } else if (version === undefined || !VERSION.test(version)) {
        violations.push({
          path: `metadata.labels["${PREFIX}${mode}-version"]`,
          message:
            version === undefined
              ? `${PREFIX}${mode}-version is not set (the admission controller then uses "latest")`
              : `${PREFIX}${mode}-version is "${version}", not a pinned version like v1.30`,
        });
      }
    }
    return violations;
  },
});
