import { asObject } from '../../check/json';
import { Severity } from '../../check/types';
import { podRule, Violation } from '../rule';
import { containerContextPath, containerSecurityContext, describeContainer, isSet, podContextPath, podSecurityContext, show } from './support';

/** Profile types of the securityContext.appArmorProfile field that keep AppArmor on. */
const ALLOWED_TYPES: ReadonlySet<unknown> = new Set(['RuntimeDefault', 'Localhost']);
/** The deprecated per-container annotation form (`container.apparmor.security.beta.kubernetes.io/<container>`). */
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** An annotation value that keeps AppArmor on: unset, the runtime default or a named local profile. */
function allowedAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/** Turning AppArmor off (Unconfined) removes a mandatory access control layer around the container. */
export default podRule({
  id: 'pod-apparmor-profile',
  title: 'AppArmor must not be disabled',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'baseline',
  rationale:
    'The runtime default AppArmor profile denies writes to /proc and /sys, mounts and raw kernel interfaces. Setting the profile to Unconfined removes that layer, which several container escapes rely on.',
  remediation:
    'Set securityContext.appArmorProfile.type to RuntimeDefault (or Localhost with a localhostProfile) at pod or container level, or leave it unset; for the legacy annotation use "runtime/default" or "localhost/<profile>". HardenedDeployment sets RuntimeDefault.',
  references: {
    pss: 'appArmorProfile',
    nsa: 'Kubernetes Pod security: Hardening container environments',
    kubesec: 'ApparmorUnconfined',
    kyverno: 'restrict-apparmor-profiles',
  },
  check(pod) {
    const violations: Violation[] = [];
    const podProfile = podSecurityContext(pod).appArmorProfile;
    if (isSet(podProfile) && !ALLOWED_TYPES.has(asObject(podProfile).type)) {
      violations.push({
        path: podContextPath(pod, 'appArmorProfile.type'),
        message: `pod sets securityContext.appArmorProfile.type to ${show(asObject(podProfile).type)} (allowed: "RuntimeDefault", "Localhost")`,
      });
    }
    for (const container of pod.containers) {
      const profile = containerSecurityContext(container).appArmorProfile;
      if (isSet(profile) && !ALLOWED_TYPES.has(asObject(profile).type)) {
        violations.push({
          path: containerContextPath(container, 'appArmorProfile.type'),
          message: `${describeContainer(container)} sets securityContext.appArmorProfile.type to ${show(asObject(profile).type)} (allowed: "RuntimeDefault", "Localhost")`,
        });
      }
    }
    for (const [key, value] of Object.entries(pod.annotations)) {
      if (!key.startsWith(ANNOTATION_PREFIX) || allowedAnnotationValue(value)) continue;
      violations.push({
        path: `${pod.metadataPath}.annotations[${JSON.stringify(key)}]`,
        message: `annotation ${key} sets the AppArmor profile of container ${JSON.stringify(key.slice(ANNOTATION_PREFIX.length))} to ${JSON.stringify(value)} (allowed: "runtime/default", "localhost/<profile>")`,
      });
    }
    return violations;
  },
});
