/**
 * The variables every pod rule's CEL is written against. A policy for a pod rule matches Pods and the
 * workload kinds that carry a pod template; these variables pick the pod (template) out of whichever
 * object arrives, so one expression judges a Pod and a Deployment's template alike, as the TypeScript
 * engine does with PodView.
 */
import type { AdmissionVariable } from '../rule';

/** Where each kind keeps its pod template, as a CEL expression over `object`. */
export const POD_TEMPLATE_EXPRESSION =
  "object.kind == 'Pod' ? object : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template : object.kind == 'PodTemplate' ? object.template : object.spec.template";

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
