import { Severity } from '../../core/types';
import { everyContainer, present } from '../kit/cel';
import { podRule, Violation } from '../rule';
import { containerContextPath, containerSecurityContext, describeContainer, isSet, podContextPath, podSecurityContext, show } from './support';

/** The lowest UID and GID the library accepts: below it IDs collide with users and groups of typical hosts. */
export const MIN_HIGH_ID = 10000;

/** The identity fields judged, container value over pod value. */
const FIELDS: readonly string[] = ['runAsUser', 'runAsGroup'];

/** A high, explicit UID/GID keeps a container from sharing an identity with a user or group of the node. */
export default podRule({
  id: 'pod-run-as-high-uid',
  title: 'Containers must run with an explicit runAsUser and runAsGroup of at least 10000',
  area: 'pod',
  severity: Severity.LOW,
  level: 'restricted',
  rationale:
    'Low UIDs and GIDs belong to system users and groups on the node (and 0 is root). A container escape or a shared host mount then acts with that identity. An explicit ID >= 10000 avoids the collision and does not depend on the image USER.',
  remediation:
    'Set securityContext.runAsUser and securityContext.runAsGroup to numbers >= 10000 on the pod (or on each container). HardenedDeployment defaults both. Windows pods (spec.os.name: windows) are exempt: the fields are Linux-only.',
  references: {
    nsa: 'Kubernetes Pod security: Non-root containers and rootless container engines',
    kubesec: 'RunAsUser, RunAsGroup',
    kubeScore: 'container-security-context-user-group-id',
  },
  admission: {
    validations: [everyContainer({
      unless: 'variables.isWindows',
      // The container's value wins over the pod's, as in the TypeScript check.
      ok: FIELDS.map((f) =>
        `(${present('c', `securityContext.${f}`)} ? c.securityContext.${f} >= ${MIN_HIGH_ID} : (has(variables.podSecurityContext.${f}) && variables.podSecurityContext.${f} >= ${MIN_HIGH_ID}))`).join(' && '),
      problem: `runs without runAsUser and runAsGroup of at least ${MIN_HIGH_ID}`,
    })],
  },
  check(pod) {
    if (pod.isWindows) return [];
    const podContext = podSecurityContext(pod);
    const violations: Violation[] = [];
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      const context = containerSecurityContext(container);
      for (let j = 0; j < FIELDS.length; j++) {
        const field = FIELDS[j];
        const own = isSet(context[field]);
        const value = own ? context[field] : podContext[field];
        if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_HIGH_ID) continue;
        const where = own ? 'its securityContext' : 'the pod securityContext';
        violations.push({
          path: own || !isSet(value) ? containerContextPath(container, field) : podContextPath(pod, field),
          message: !isSet(value)
            ? `${describeContainer(container)} has no ${field} (set it to ${MIN_HIGH_ID} or more)`
            : `${describeContainer(container)} runs with ${field} ${show(value)} from ${where} (it must be an integer >= ${MIN_HIGH_ID})`,
        });
      }
    }
    return violations;
  },
});
