import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadHardeningProps } from './workload-props';
import type { Waiver } from '../check/types';

export interface HardenedDaemonSetProps extends kplus.DaemonSetProps, WorkloadHardeningProps {}

const TRAITS: WorkloadTraits = {
  construct: 'HardenedDaemonSet',
  kind: 'DaemonSet',
  podSpecPointer: '/spec/template/spec',
  batch: false,
  hostAccessWaivable: true,
};

/**
 * A cdk8s-plus-27 DaemonSet with the same hardened pods as HardenedDeployment. It is the one workload where
 * host access (host namespaces, hostPath, host ports, privileged) may be waived, for node agents: each such
 * waiver is recorded in the output and still needs a reason.
 */
export class HardenedDaemonSet extends kplus.DaemonSet {
  constructor(scope: Construct, id: string, props: HardenedDaemonSetProps = {}) {
    const hardening = PodHardening.prepare(scope, id, TRAITS, props);
    super(scope, id, hardening.workloadProps(props));
    hardening.finish(this);
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
