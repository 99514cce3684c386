import { Severity } from '../../core/types';
import { everyContainer, fieldIs } from '../kit/cel';
import { podRule } from '../rule';
import { containerContextPath, containerSecurityContext, describeContainer, isSet, show } from './support';

/** An immutable root file system stops an intruder from dropping tools or changing binaries in the container. */
export default podRule({
  id: 'pod-read-only-root-filesystem',
  title: 'Containers must run with a read-only root file system',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'restricted',
  rationale:
    'With a writable root file system an attacker who gets code execution can download tools, plant persistence or modify the application. A read-only root keeps the container as built; writable scratch space comes from explicit emptyDir mounts.',
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir where the application writes (for example /tmp). HardenedDeployment does both. Windows pods (spec.os.name: windows) are exempt: the field is Linux-only.',
  references: {
    cis: '5.7.3',
    nsa: 'Kubernetes Pod security: Immutable container file systems',
    kubeLinter: 'no-read-only-root-fs',
    polaris: 'notReadOnlyRootFilesystem',
    kubesec: 'ReadOnlyRootFilesystem',
    kubeScore: 'container-security-context-readonlyrootfilesystem',
    kyverno: 'require-ro-rootfs',
  },
  admission: {
    validations: [everyContainer({
      unless: 'variables.isWindows',
      ok: fieldIs('c', 'securityContext.readOnlyRootFilesystem', 'true'),
      problem: 'does not set securityContext.readOnlyRootFilesystem: true',
    })],
  },
  check(pod) {
    // The API rejects readOnlyRootFilesystem on Windows pods, so they cannot satisfy the rule.
    if (pod.isWindows) return [];
    return pod.containers.flatMap((container) => {
      const value = containerSecurityContext(container).readOnlyRootFilesystem;
      if (value === true) return [];
      return [{
        path: containerContextPath(container, 'readOnlyRootFilesystem'),
        message: isSet(value)
          ? `${describeContainer(container)} sets securityContext.readOnlyRootFilesystem to ${show(value)} (it must be true)`
          : `${describeContainer(container)} does not set securityContext.readOnlyRootFilesystem: true`,
      }];
    });
  },
});
