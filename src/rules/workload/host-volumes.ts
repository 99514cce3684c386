/** The hostPath volumes of a pod spec, with their JSON paths. */
import { asArray, asObject, asString, isObject } from '../../core/json';
import type { PodView } from '../../core/views';

export interface HostPathVolume {
  /** Volume name (`#<index>` when it has none). */
  readonly name: string;
  /** The host path as written ('' when missing). */
  readonly hostPath: string;
  /** JSON path of the volume's `hostPath` field. */
  readonly path: string;
}

export function hostPathVolumes(pod: PodView): HostPathVolume[] {
  const volumes: HostPathVolume[] = [];
  asArray(pod.spec.volumes).forEach((volume, index) => {
    const v = asObject(volume);
    if (!isObject(v.hostPath)) return;
    volumes.push({
      name: asString(v.name) ?? `#${index}`,
      hostPath: asString(v.hostPath.path) ?? '',
      path: `${pod.specPath}.volumes[${index}].hostPath`,
    });
  });
  return volumes;
}
