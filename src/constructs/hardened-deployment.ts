import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadAvailabilityProps, WorkloadHardeningProps } from './workload-props';

export interface HardenedDeploymentProps extends kplus.DeploymentProps, WorkloadHardeningProps, WorkloadAvailabilityProps {}

const TRAITS: WorkloadTraits = {
  construct: 'HardenedDeployment',
  kind: 'Deployment',
  templatePath: ['spec', 'template'],
  batch: false,
};

/**
 * A cdk8s-plus-27 Deployment whose pods pass the whole rule catalog by default: non-root UID/GID 65532,
 * no privilege escalation, every capability dropped, seccomp and AppArmor RuntimeDefault, read-only root
 * filesystem with an emptyDir at /tmp, its own ServiceAccount without a mounted token, a PodDisruptionBudget and
 * topology spread when replicated. Every prop and method of `kplus.Deployment` stays available; containers,
 * init containers and volumes added at any time are hardened when it is serialized, and the result is judged.
 */
export class HardenedDeployment extends kplus.Deployment {
  constructor(scope: Construct, id: string, props: HardenedDeploymentProps = {}) {
    const hardening = new PodHardening(scope, id, TRAITS, props);
    super(scope, id, hardening.workloadProps(props));
    hardening.finish(this, { replicas: this.replicas ?? 2, availability: props });
  }
}
