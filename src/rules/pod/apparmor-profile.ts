import { Severity } from '../../core/types';
import { celString } from '../kit/cel';
import { podRule } from '../rule';
import { explicitProfileCel, explicitProfileViolations } from './support';

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
  admission: {
    validations: [
      { expression: explicitProfileCel('appArmorProfile'), message: 'an AppArmor profile type is not RuntimeDefault or Localhost' },
      {
        expression:
          `!has(variables.podMeta.annotations) || variables.podMeta.annotations.all(k, !k.startsWith(${celString(ANNOTATION_PREFIX)}) || ` +
          "variables.podMeta.annotations[k] in ['', 'runtime/default'] || variables.podMeta.annotations[k].startsWith('localhost/'))",
        message: 'an AppArmor annotation sets a profile other than runtime/default or localhost/<profile>',
      },
    ],
  },
  check(pod) {
    const violations = explicitProfileViolations(pod, 'appArmorProfile');
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
