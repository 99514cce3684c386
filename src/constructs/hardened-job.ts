import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadHardeningProps } from './workload-props';
import type { Waiver } from '../check/types';

export interface HardenedJobProps extends kplus.JobProps, WorkloadHardeningProps {}

/** Defaults of hardened Jobs and CronJobs: a run that hangs or loops is stopped, finished Jobs are cleaned up. */
export const JOB_DEFAULTS = {
  activeDeadline: Duration.hours(1),
  backoffLimit: 3,
  ttlAfterFinished: Duration.days(1),
};

const TRAITS: WorkloadTraits = {
  construct: 'HardenedJob',
  kind: 'Job',
  podSpecPointer: '/spec/template/spec',
  batch: true,
  hostAccessWaivable: false,
};

/**
 * A cdk8s-plus-27 Job with hardened pods, `activeDeadlineSeconds` 3600, `backoffLimit` 3 and
 * `ttlSecondsAfterFinished` 86400 unless set. Its pods run to completion, so liveness/readiness probe rules
 * are waived for it (the waiver is recorded in the output).
 */
export class HardenedJob extends kplus.Job {
  constructor(scope: Construct, id: string, props: HardenedJobProps = {}) {
    const hardening = PodHardening.prepare(scope, id, TRAITS, props);
    super(scope, id, hardening.workloadProps({
      ...props,
      activeDeadline: props.activeDeadline ?? JOB_DEFAULTS.activeDeadline,
      backoffLimit: props.backoffLimit ?? JOB_DEFAULTS.backoffLimit,
      ttlAfterFinished: props.ttlAfterFinished ?? JOB_DEFAULTS.ttlAfterFinished,
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
