/** Wrapping a Pod Security Standards fixture pod as workload templates. */
import type { K8sObject } from '../../src/core/types';

function template(pod: K8sObject): Record<string, unknown> {
  const metadata = (pod.metadata ?? {}) as Record<string, unknown>;
  return { metadata: { ...metadata, labels: { ...(metadata.labels as object), app: 'x' } }, spec: pod.spec };
}

/** The pod as the template of a Deployment. */
export function deploymentOf(pod: K8sObject): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: (pod.metadata as any)?.name ?? 'x' },
    spec: { selector: { matchLabels: { app: 'x' } }, template: template(pod) },
  };
}

/** The pod as the job template of a CronJob. */
export function cronJobOf(pod: K8sObject): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: (pod.metadata as any)?.name ?? 'x' },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: template(pod) } } },
  };
}
