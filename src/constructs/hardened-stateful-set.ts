import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, quantity, WorkloadTraits } from './pod-hardening';
import type { WorkloadAvailabilityProps, WorkloadHardeningProps } from './workload-props';

/** A PersistentVolumeClaim template of a StatefulSet: one claim per replica, mounted in every regular container. */
export interface VolumeClaimTemplate {
  /** Name of the claim template (and of the volume in the pods). */
  readonly name: string;
  /** Requested storage. */
  readonly storage: Size;
  /** Where every regular container mounts the claim. */
  readonly mountPath: string;
  /** @default [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] */
  readonly accessModes?: kplus.PersistentVolumeAccessMode[];
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

export interface HardenedStatefulSetProps extends kplus.StatefulSetProps, WorkloadHardeningProps, WorkloadAvailabilityProps {
  /** cdk8s-plus-27 has no claim templates; they are written to `spec.volumeClaimTemplates`. @default - none */
  readonly volumeClaimTemplates?: VolumeClaimTemplate[];
}

const TRAITS: WorkloadTraits = {
  construct: 'HardenedStatefulSet',
  kind: 'StatefulSet',
  templatePath: ['spec', 'template'],
  batch: false,
};

/**
 * A cdk8s-plus-27 StatefulSet with hardened pods (see HardenedDeployment), volume claim templates, and a
 * PodDisruptionBudget and topology spread when it has more than one replica.
 */
export class HardenedStatefulSet extends kplus.StatefulSet {
  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    const hardening = new PodHardening(scope, id, TRAITS, props);
    const templates = props.volumeClaimTemplates ?? [];
    const names = new Set(templates.map((t) => t.name));
    if (names.size !== templates.length) throw new Error(`${hardening.path}: volume claim template names must be unique`);
    super(scope, id, hardening.workloadProps(props));
    hardening.finish(this, {
      replicas: this.replicas ?? 1,
      availability: props,
      claimTemplates: templates.map(claimTemplate),
      claimMounts: templates.map((t) => ({ name: t.name, mountPath: t.mountPath })),
    });
  }
}

function claimTemplate(template: VolumeClaimTemplate): unknown {
  return {
    metadata: { name: template.name },
    spec: {
      accessModes: template.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      resources: { requests: { storage: quantity(template.storage) } },
      ...(template.storageClassName ? { storageClassName: template.storageClassName } : {}),
    },
  };
}
