/**
 * The variables every pod rule's CEL is written against. A policy for a pod rule matches Pods and the
 * workload kinds that carry a pod template; these variables pick the pod (template) out of whichever
 * object arrives, so one expression judges a Pod and a Deployment's template alike, as the TypeScript
 * engine does with PodView.
 */
import { addToGroup } from '../../core/group-by';
import { WORKLOAD_KIND_TABLE } from '../../core/workload-kinds';
import type { AdmissionVariable } from '../rule';

/** `object.spec.template` for `['spec', 'template']`, `object` for a Pod's own `[]`. */
function celPath(path: readonly string[]): string {
  return ['object', ...path].join('.');
}

/**
 * Where each kind keeps its pod template, as a CEL expression over `object`, from the workload-kinds table:
 * the kinds whose template is not at `spec.template` are tested in table order, `spec.template` is the rest.
 */
function podTemplateExpression(): string {
  const DEFAULT = 'spec.template';
  const branches = new Map<string, string[]>();
  for (const row of WORKLOAD_KIND_TABLE) {
    const path = row.templatePath.join('.');
    if (path === DEFAULT) continue;
    addToGroup(branches, path, row.kind);
  }
  const tests = [...branches].map(([path, kinds]) => {
    const test = kinds.length === 1 ? `object.kind == '${kinds[0]}'` : `object.kind in [${kinds.map((k) => `'${k}'`).join(', ')}]`;
    return `${test} ? ${celPath(path === '' ? [] : path.split('.'))} : `;
  });
  return `${tests.join('')}${celPath(DEFAULT.split('.'))}`;
}

/** Where each kind keeps its pod template, as a CEL expression over `object`. */
export const POD_TEMPLATE_EXPRESSION = podTemplateExpression();

/**
 * The kinds whose template may be absent (a Rollout with `spec.workloadRef`), as a matchCondition expression that
 * is false for such an object without a template: it has no pod spec of its own, as for the engine. Undefined when
 * the table has no such kind.
 */
export const HAS_POD_TEMPLATE_EXPRESSION: string | undefined = (() => {
  const optional = WORKLOAD_KIND_TABLE.filter((row) => row.templateOptional);
  if (optional.length === 0) return undefined;
  return optional.map((row) => {
    const parent = row.templatePath.slice(0, -1);
    const last = row.templatePath[row.templatePath.length - 1];
    return `(object.kind != '${row.kind}' || has(${celPath(parent)}.${last}))`;
  }).join(' && ');
})();

/** Shared variables, in evaluation order (later ones read earlier ones). */
export const POD_VARIABLES: readonly AdmissionVariable[] = [
  { name: 'podTemplate', expression: POD_TEMPLATE_EXPRESSION },
  { name: 'podMeta', expression: 'has(variables.podTemplate.metadata) ? variables.podTemplate.metadata : {}' },
  { name: 'podSpec', expression: 'has(variables.podTemplate.spec) ? variables.podTemplate.spec : {}' },
  { name: 'podSecurityContext', expression: 'has(variables.podSpec.securityContext) ? variables.podSpec.securityContext : {}' },
  { name: 'containers', expression: 'has(variables.podSpec.containers) ? variables.podSpec.containers : []' },
  { name: 'initContainers', expression: 'has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []' },
  { name: 'ephemeralContainers', expression: 'has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : []' },
  // Regular, init and ephemeral containers, as PodView.containers.
  { name: 'allContainers', expression: 'variables.containers + variables.initContainers + variables.ephemeralContainers' },
  { name: 'isWindows', expression: "has(variables.podSpec.os) && has(variables.podSpec.os.name) && variables.podSpec.os.name == 'windows'" },
  // hostUsers: false runs the pod in a user namespace (the standards relax some checks for it).
  { name: 'userNamespace', expression: 'has(variables.podSpec.hostUsers) && variables.podSpec.hostUsers == false' },
];
