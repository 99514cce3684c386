/** Validates synthesized objects against the Kubernetes schema of their kind (kubernetes-models). */
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { LimitRange, Namespace, Pod, ResourceQuota, Service, ServiceAccount } from 'kubernetes-models/v1';

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  Deployment,
  StatefulSet,
  NetworkPolicy,
  Namespace,
  LimitRange,
  ResourceQuota,
  Service,
  ServiceAccount,
  Pod,
};

/** Throws on the first object that does not validate, or whose kind the test does not know. */
export function validateAll(objects: any[]): void {
  for (const object of objects) {
    const Model = MODELS[object.kind];
    if (!Model) throw new Error(`no schema model for kind ${object.kind}`);
    try {
      new Model(object).validate();
    } catch (e) {
      throw new Error(`${object.kind}/${object.metadata?.name}: ${(e as Error).message}`);
    }
  }
}
