import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadAvailabilityProps, WorkloadHardeningProps } from './workload-props';
import type { Waiver } from '../check/types';

export interface HardenedDeploymentProps extends kplus.DeploymentProps, WorkloadHardeningProps, WorkloadAvailabilityProps {}

const TRAITS: WorkloadTraits = {
  construct: 'HardenedDeployment',
  kind: 'Deployment',
  podSpecPointer: '/spec/template/spec',
  batch: false,
  hostAccessWaivable: false,
};

/**
 * A cdk8s-plus-27 Deployment whose pods pass the whole rule catalog by default: non-root UID/GID 65532,
 * no privilege escalation, every capability dropped, seccomp and AppArmor RuntimeDefault, read-only root
 * filesystem with an emptyDir at /tmp, its own ServiceAccount without a mounted token, a PodDisruptionBudget and
 * topology spread when replicated. Every prop and method of `kplus.Deployment` stays available; containers
 * and init containers added later are hardened too, and the final object is judged at synth.
 */
export class HardenedDeployment extends kplus.Deployment {
  constructor(scope: Construct, id: string, props: HardenedDeploymentProps = {}) {
    const hardening = PodHardening.prepare(scope, id, TRAITS, props);
    super(scope, id, hardening.workloadProps(props));
    hardening.finish(this, { replicas: this.replicas ?? 2, availability: props });
  }

  /** The waivers recorded on this workload, sorted by rule id. */
  public get waivers(): Waiver[] {
    return PodHardening.of(this).waivers;
  }

  /** Records a waiver after construction (same checks as the `waivers` prop). */
  public addWaiver(ruleId: string, reason: string): void {
    PodHardening.of(this).addWaiver({ ruleId, reason });
  }

  public addContainer(cont: kplus.ContainerProps): kplus.Container {
    return super.addContainer(PodHardening.of(this).containerProps(this, cont));
  }

  public attachContainer(cont: kplus.Container): void {
    PodHardening.of(this).attach(this, cont);
    super.attachContainer(cont);
  }

  public addInitContainer(cont: kplus.ContainerProps): kplus.Container {
    const hardening = PodHardening.of(this);
    return hardening.initContainerAdded(this, super.addInitContainer(hardening.containerProps(this, cont)));
  }
}
