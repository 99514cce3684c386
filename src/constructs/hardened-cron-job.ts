import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadHardeningProps } from './workload-props';

export interface HardenedCronJobProps extends kplus.CronJobProps, WorkloadHardeningProps {}

const TRAITS: WorkloadTraits = {
  construct: 'HardenedCronJob',
  kind: 'CronJob',
  templatePath: ['spec', 'jobTemplate', 'spec', 'template'],
  batch: true,
};

/**
 * A cdk8s-plus-27 CronJob with hardened pods, `concurrencyPolicy: Forbid` (a slow run never overlaps the next)
 * and the HardenedJob defaults for each run (`ttlSecondsAfterFinished` only when no history limit is set:
 * cdk8s-plus rejects both together).
 */
export class HardenedCronJob extends kplus.CronJob {
  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    const hardening = new PodHardening(scope, id, TRAITS, props);
    const keepsHistory = props.successfulJobsRetained !== undefined || props.failedJobsRetained !== undefined;
    super(scope, id, hardening.workloadProps({
      ...props,
      concurrencyPolicy: props.concurrencyPolicy ?? kplus.ConcurrencyPolicy.FORBID,
      activeDeadline: props.activeDeadline ?? Duration.hours(1),
      backoffLimit: props.backoffLimit ?? 3,
      ttlAfterFinished: props.ttlAfterFinished ?? (keepsHistory ? undefined : Duration.days(1)),
    }));
    hardening.finish(this);
  }
}
