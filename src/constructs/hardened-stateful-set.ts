import { JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodHardening, WorkloadTraits } from './pod-hardening';
import type { WorkloadAvailabilityProps, WorkloadHardeningProps } from './workload-props';
import type { Waiver } from '../check/types';

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
  podSpecPointer: '/spec/template/spec',
  batch: false,
  hostAccessWaivable: false,
};

/**
 * A cdk8s-plus-27 StatefulSet with hardened pods (see HardenedDeployment), volume claim templates, and a
 * PodDisruptionBudget and topology spread when it has more than one replica.
 */
export class HardenedStatefulSet extends kplus.StatefulSet {
  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    const hardening = PodHardening.prepare(scope, id, TRAITS, props);
    super(scope, id, hardening.workloadProps(props));
    hardening.finish(this, { replicas: this.replicas ?? 1, availability: props });
    const templates = props.volumeClaimTemplates ?? [];
    const names = new Set<string>();
    for (const template of templates) {
      if (names.has(template.name)) throw new Error(`${this.node.path}: two volume claim templates are named "${template.name}"`);
      names.add(template.name);
      hardening.mountInEveryContainer(template.name, template.mountPath);
    }
    if (templates.length > 0) {
      // After cdk8s-plus' typed conversion, which would read the storage quantity as an object.
      hardening.patchAfterConversion(JsonPatch.add('/spec/volumeClaimTemplates', templates.map(claimTemplate)));
    }
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

function claimTemplate(template: VolumeClaimTemplate): unknown {
  const mebibytes = template.storage.toMebibytes();
  return {
    metadata: { name: template.name },
    spec: {
      accessModes: template.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      resources: { requests: { storage: mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi` } },
      ...(template.storageClassName ? { storageClassName: template.storageClassName } : {}),
    },
  };
}
