/** The ports a pod's containers declare, with their JSON paths. */
import { asArray, asNumber, asObject, asString } from '../../core/json';
import type { ContainerView, PodView } from '../../core/views';

export interface ContainerPort {
  readonly container: ContainerView;
  readonly containerPort?: number;
  readonly name?: string;
  /** Protocol, `TCP` when unset. */
  readonly protocol: string;
  /** JSON path of the port entry (`...containers[0].ports[1]`). */
  readonly path: string;
}

/** Read once per pod view and shared by the port rules of the run. */
const portsOfPod = new WeakMap<PodView, readonly ContainerPort[]>();

export function containerPorts(pod: PodView): readonly ContainerPort[] {
  let ports = portsOfPod.get(pod);
  if (!ports) portsOfPod.set(pod, (ports = readPorts(pod)));
  return ports;
}

function readPorts(pod: PodView): ContainerPort[] {
  return pod.containers.flatMap((container) =>
    asArray(container.container.ports).map((entry, i) => {
      const port = asObject(entry);
      return {
        container,
        containerPort: asNumber(port.containerPort),
        name: asString(port.name),
        protocol: asString(port.protocol) ?? 'TCP',
        path: `${container.path}.ports[${i}]`,
      };
    }),
  );
}
