import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadHardeningProps } from './workload-props';

export interface HardenedDaemonSetProps extends kplus.DaemonSetProps, WorkloadHardeningProps {}

const TRAITS: WorkloadTraits = {
  construct: 'HardenedDaemonSet',
  kind: 'DaemonSet',
  templatePath: ['spec', 'template'],
  batch: false,
};

/**
 * A cdk8s-plus-27 DaemonSet with the same hardened pods as HardenedDeployment. It is the one workload where
 * host access (host namespaces, hostPath, host ports, privileged) may be waived, for node agents: each such
 * waiver is recorded in the output and still needs a reason.
 */
export class HardenedDaemonSet extends kplus.DaemonSet {
  constructor(scope: Construct, id: string, props: HardenedDaemonSetProps = {}) {
    const hardening = new PodHardening(scope, id, TRAITS, props);
    super(scope, id, hardening.workloadProps(props));
    hardening.finish(this);
  }
}
