import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadHardeningProps } from './workload-props';

export interface HardenedJobProps extends kplus.JobProps, WorkloadHardeningProps {}

const TRAITS: WorkloadTraits = {
  construct: 'HardenedJob',
  kind: 'Job',
  templatePath: ['spec', 'template'],
  batch: true,
};

/**
 * A cdk8s-plus-27 Job with hardened pods, `activeDeadlineSeconds` 3600, `backoffLimit` 3 and
 * `ttlSecondsAfterFinished` 86400 unless set: a run that hangs or loops is stopped, finished Jobs are cleaned up.
 * Its pods run to completion, so liveness/readiness probe rules are waived for it (recorded in the output).
 */
export class HardenedJob extends kplus.Job {
  constructor(scope: Construct, id: string, props: HardenedJobProps = {}) {
    const hardening = new PodHardening(scope, id, TRAITS, props);
    super(scope, id, hardening.workloadProps({
      ...props,
      activeDeadline: props.activeDeadline ?? Duration.hours(1),
      backoffLimit: props.backoffLimit ?? 3,
      ttlAfterFinished: props.ttlAfterFinished ?? Duration.days(1),
    }));
    hardening.finish(this);
  }
}
