/**
 * Validates synthesized objects against the Kubernetes OpenAPI schema of their apiVersion and kind
 * (kubernetes-models). Shared by every area's tests: an object of a kind the map does not know is an error,
 * so a new kind cannot slip through unvalidated.
 */
import { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { RuntimeClass } from 'kubernetes-models/node.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import {
  ConfigMap,
  LimitRange,
  Namespace,
  PersistentVolumeClaim,
  Pod,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';

type Model = new (data: any) => { validate(): void };

const MODELS: Record<string, Model> = {
  'v1/ConfigMap': ConfigMap,
  'v1/LimitRange': LimitRange,
  'v1/Namespace': Namespace,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Pod': Pod,
  'v1/ReplicationController': ReplicationController,
  'v1/ResourceQuota': ResourceQuota,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/DaemonSet': DaemonSet,
  'apps/v1/Deployment': Deployment,
  'apps/v1/ReplicaSet': ReplicaSet,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/CronJob': CronJob,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'node.k8s.io/v1/RuntimeClass': RuntimeClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': ValidatingAdmissionPolicy,
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': ValidatingAdmissionPolicyBinding,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': CustomResourceDefinition,
};

/** Whether the map has a schema for the object's apiVersion and kind. */
export function hasK8sSchema(object: any): boolean {
  return MODELS[`${object?.apiVersion}/${object?.kind}`] !== undefined;
}

/**
 * The schema error of one object (`<apiVersion>/<kind> <name>: <message>`), or undefined when it validates.
 * An apiVersion/kind without a schema here is an error too. Never throws: for scripts that report every error.
 */
export function k8sSchemaError(object: any): string | undefined {
  const key = `${object?.apiVersion}/${object?.kind}`;
  const model = MODELS[key];
  if (!model) return `no Kubernetes schema for ${key} (add it to test/util/k8s-schema.ts)`;
  try {
    new model(object).validate();
    return undefined;
  } catch (e) {
    return `${key} ${object.metadata?.name}: ${(e as Error).message}`;
  }
}

/** Throws on the first object that does not validate, or whose apiVersion/kind has no schema here. */
export function validateK8sObjects(objects: readonly any[]): void {
  for (const object of objects) {
    const error = k8sSchemaError(object);
    if (error !== undefined) throw new Error(error);
  }
}
