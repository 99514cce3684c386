import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { JOB_DEFAULTS } from './hardened-job';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadHardeningProps } from './workload-props';
import type { Waiver } from '../check/types';

export interface HardenedCronJobProps extends kplus.CronJobProps, WorkloadHardeningProps {}

const TRAITS: WorkloadTraits = {
  construct: 'HardenedCronJob',
  kind: 'CronJob',
  podSpecPointer: '/spec/jobTemplate/spec/template/spec',
  batch: true,
  hostAccessWaivable: false,
};

/**
 * A cdk8s-plus-27 CronJob with hardened pods, `concurrencyPolicy: Forbid` (a slow run never overlaps the next)
 * and the HardenedJob defaults for each run (`ttlSecondsAfterFinished` only when no history limit is set:
 * cdk8s-plus rejects both together).
 */
export class HardenedCronJob extends kplus.CronJob {
  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    const hardening = PodHardening.prepare(scope, id, TRAITS, props);
    const keepsHistory = props.successfulJobsRetained !== undefined || props.failedJobsRetained !== undefined;
    super(scope, id, hardening.workloadProps({
      ...props,
      concurrencyPolicy: props.concurrencyPolicy ?? kplus.ConcurrencyPolicy.FORBID,
      activeDeadline: props.activeDeadline ?? JOB_DEFAULTS.activeDeadline,
      backoffLimit: props.backoffLimit ?? JOB_DEFAULTS.backoffLimit,
      ttlAfterFinished: props.ttlAfterFinished ?? (keepsHistory ? undefined : JOB_DEFAULTS.ttlAfterFinished),
    }));
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
