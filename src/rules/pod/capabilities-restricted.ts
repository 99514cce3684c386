import { containerContextPath, containerSecurityContext, describeContainer, listField, show } from './support';
import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { everyContainer, present } from '../kit/cel';
import { podRule, Violation } from '../rule';

/** Least privilege for capabilities: drop everything, add back at most NET_BIND_SERVICE. */
export default podRule({
  id: 'pod-capabilities-restricted',
  title: 'Containers must drop ALL capabilities and add back only NET_BIND_SERVICE',
  area: 'pod',
  severity: Severity.HIGH,
  level: 'restricted',
  overrides: ['pod-capabilities-baseline'],
  rationale:
    'Even the runtime default capabilities (NET_RAW, DAC_OVERRIDE, SETUID, ...) let an attacker spoof packets, bypass file permissions or change identity. Dropping all of them leaves the kernel a much smaller attack surface.',
  remediation:
    'Set securityContext.capabilities.drop: ["ALL"] on every container and remove every entry of capabilities.add except NET_BIND_SERVICE. HardenedDeployment does this by default. Windows pods (spec.os.name: windows) are exempt.',
  references: {
    pss: 'capabilities_restricted',
    cis: '5.2.8, 5.2.10',
    nsa: 'Kubernetes Pod security: Pod security enforcement',
    polaris: 'insecureCapabilities',
    kubesec: 'CapDropAll',
    kyverno: 'disallow-capabilities-strict',
  },
  admission: {
    validations: [
      everyContainer({
        unless: 'variables.isWindows',
        ok: `${present('c', 'securityContext.capabilities.drop')} && 'ALL' in c.securityContext.capabilities.drop`,
        problem: 'does not drop ALL capabilities',
      }),
      everyContainer({
        unless: 'variables.isWindows',
        ok: `!(${present('c', 'securityContext.capabilities.add')}) || c.securityContext.capabilities.add.all(cap, cap == 'NET_BIND_SERVICE')`,
        problem: 'adds a capability other than NET_BIND_SERVICE',
      }),
    ],
  },
  check(pod) {
    // Linux capabilities do not exist on Windows; the standards exempt Windows pods (1.25+).
    if (pod.isWindows) return [];
    const violations: Violation[] = [];
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      const capabilities = asObject(containerSecurityContext(container).capabilities);
      const drop = listField(capabilities.drop);
      if (!drop.items.includes('ALL')) {
        violations.push({
          path: containerContextPath(container, 'capabilities.drop'),
          message: drop.malformed
            ? `${describeContainer(container)} sets securityContext.capabilities.drop to ${show(capabilities.drop)}, which is not a list`
            : `${describeContainer(container)} does not drop ALL capabilities`,
        });
      }
      const add = listField(capabilities.add);
      if (add.malformed) {
        violations.push({
          path: containerContextPath(container, 'capabilities.add'),
          message: `${describeContainer(container)} sets securityContext.capabilities.add to ${show(capabilities.add)}, which is not a list`,
        });
      }
      const addItems = add.items;
      for (let index = 0; index < addItems.length; index++) {
        const capability = addItems[index];
        if (capability === 'NET_BIND_SERVICE') continue;
        violations.push({
          path: containerContextPath(container, `capabilities.add[${index}]`),
          message: `${describeContainer(container)} adds capability ${show(capability)} (only NET_BIND_SERVICE may be added)`,
        });
      }
    }
    return violations;
  },
});
