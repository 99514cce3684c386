import { containerContextPath, containerSecurityContext, describeContainer, isSet, podContextPath, podSecurityContext, show } from './support';
import { asObject, JsonObject } from '../../core/json';
import { Severity } from '../../core/types';
import { celList, everyContainer, present } from '../kit/cel';
import { podRule, Violation } from '../rule';

/** SELinux types container runtimes use for ordinary containers (empty = the runtime's choice). */
const ALLOWED_TYPES: ReadonlySet<unknown> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** Fields that must stay unset: a custom SELinux user or role. */
const FORBIDDEN_FIELDS: readonly string[] = ['user', 'role'];

/** The violations of one seLinuxOptions object; `where` names its owner, `pathOf` builds field paths. */
function optionViolations(options: JsonObject, where: string, pathOf: (field: string) => string): Violation[] {
  const violations: Violation[] = [];
  const type = options.type;
  if (isSet(type) && !ALLOWED_TYPES.has(type)) {
    violations.push({
      path: pathOf('seLinuxOptions.type'),
      message: `${where} sets securityContext.seLinuxOptions.type to ${show(type)} (allowed: container_t, container_init_t, container_kvm_t, container_engine_t)`,
    });
  }
  for (let i = 0; i < FORBIDDEN_FIELDS.length; i++) {
    const field = FORBIDDEN_FIELDS[i];
    const value = options[field];
    if (isSet(value) && value !== '') {
      violations.push({
        path: pathOf(`seLinuxOptions.${field}`),
        message: `${where} sets securityContext.seLinuxOptions.${field} to ${show(value)} (it must not be set)`,
      });
    }
  }
  return violations;
}

/** CEL: one seLinuxOptions object (at `options`, present) sets no user or role and an allowed type. */
function optionsCel(options: string): string {
  return (
    `(!has(${options}.type) || ${options}.type in ${celList([...ALLOWED_TYPES] as string[])}) && ` +
    `(!has(${options}.user) || ${options}.user == '') && (!has(${options}.role) || ${options}.role == '')`
  );
}

/** A custom SELinux user, role or type can lift the confinement the runtime's container type gives. */
export default podRule({
  id: 'pod-selinux-options',
  title: 'SELinux options must not set a custom user, role or a non-container type',
  area: 'pod',
  severity: Severity.MEDIUM,
  level: 'baseline',
  rationale:
    'On SELinux hosts the container types (container_t, ...) confine what a container process may touch on the node. A custom type such as spc_t (super-privileged container) or a custom user or role escapes that confinement.',
  remediation:
    'Remove seLinuxOptions.user and seLinuxOptions.role, and leave seLinuxOptions.type unset or set it to container_t, container_init_t, container_kvm_t or container_engine_t (level may be set).',
  references: {
    pss: 'seLinuxOptions',
    cis: '5.7.3',
    nsa: 'Kubernetes Pod security: Hardening container environments',
    kyverno: 'disallow-selinux',
  },
  admission: {
    validations: [
      { expression: `!has(variables.podSecurityContext.seLinuxOptions) || ${optionsCel('variables.podSecurityContext.seLinuxOptions')}`, message: 'the pod sets a custom SELinux user, role or type' },
      everyContainer({
        ok: `!(${present('c', 'securityContext.seLinuxOptions')}) || ${optionsCel('c.securityContext.seLinuxOptions')}`,
        problem: 'sets a custom SELinux user, role or type',
      }),
    ],
  },
  check(pod) {
    const violations: Violation[] = [];
    const podOptions = podSecurityContext(pod).seLinuxOptions;
    if (isSet(podOptions)) {
      violations.push(...optionViolations(asObject(podOptions), 'pod', (field) => podContextPath(pod, field)));
    }
    const containers = pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const container = containers[i];
      const options = containerSecurityContext(container).seLinuxOptions;
      if (!isSet(options)) continue;
      violations.push(...optionViolations(asObject(options), describeContainer(container), (field) => containerContextPath(container, field)));
    }
    return violations;
  },
});
