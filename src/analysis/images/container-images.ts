/**
 * Reads every image a pod runs or mounts once per rule, parsed, with the JSON paths of its reference and pull
 * policy: the image of each container, and `image` volumes (Kubernetes >= 1.31, `volumes[].image.reference`), which
 * are OCI images pulled by the kubelet like container images and judged by the same rules.
 */
import { formatImageReference, ImageReference, tryParseImageReference } from './image-reference';
import { asArray, asObject, asString, isObject } from '../../core/json';
import type { ContainerView, PodView } from '../../core/views';

/** One image of a pod: parsed, or the reason it could not be. */
export interface ContainerImage {
  /** The container that runs the image (undefined for an image volume). */
  readonly container?: ContainerView;
  /** Name of the image volume (`#<index>` when it has none); undefined for a container. */
  readonly volume?: string;
  /** How messages name the image's user: `container "app"`, `image volume "tools"`. */
  readonly owner: string;
  /** JSON path of the image reference (`...containers[0].image`, `...volumes[1].image.reference`). */
  readonly path: string;
  /** The pull policy as written (container `imagePullPolicy`, volume `image.pullPolicy`). */
  readonly pullPolicy: unknown;
  /** Name of the pull policy field (`imagePullPolicy` or `pullPolicy`) and its JSON path. */
  readonly pullPolicyField: string;
  readonly pullPolicyPath: string;
  /** The image exactly as written, when it is a string. */
  readonly text?: string;
  /** The parsed reference, when the image is valid. */
  readonly reference?: ImageReference;
  /** Why the image is missing or invalid. */
  readonly error?: string;
}

/** Parsed once per pod view and shared by every image rule of the run. */
const parsedImages = new WeakMap<PodView, ContainerImage[]>();

/** The images of every container of a pod (regular, init and ephemeral), then of its image volumes. */
export function containerImages(pod: PodView): ContainerImage[] {
  let images = parsedImages.get(pod);
  if (!images) {
    images = [...parseContainerImages(pod), ...parseVolumeImages(pod)];
    parsedImages.set(pod, images);
  }
  return images;
}

function parsed(raw: unknown, missing: string): Pick<ContainerImage, 'text' | 'reference' | 'error'> {
  const text = asString(raw);
  if (raw === undefined || text === '') return { error: missing };
  const result = tryParseImageReference(raw);
  return result.ok ? { text, reference: result.reference } : { text, error: result.error };
}

function parseContainerImages(pod: PodView): ContainerImage[] {
  return pod.containers.map((container) => ({
    container,
    owner: `container "${container.name}"`,
    path: `${container.path}.image`,
    pullPolicy: container.container.imagePullPolicy,
    pullPolicyField: 'imagePullPolicy',
    pullPolicyPath: `${container.path}.imagePullPolicy`,
    ...parsed(container.container.image, `container "${container.name}" has no image`),
  }));
}

function parseVolumeImages(pod: PodView): ContainerImage[] {
  const images: ContainerImage[] = [];
  asArray(pod.spec.volumes).forEach((volume, index) => {
    const source = asObject(volume).image;
    if (source === undefined || source === null) return;
    const volumeName = asString(asObject(volume).name) ?? `#${index}`;
    const owner = `image volume "${volumeName}"`;
    const base = `${pod.specPath}.volumes[${index}].image`;
    const spec = isObject(source) ? source : {};
    images.push({
      volume: volumeName,
      owner,
      path: `${base}.reference`,
      pullPolicy: spec.pullPolicy,
      pullPolicyField: 'pullPolicy',
      pullPolicyPath: `${base}.pullPolicy`,
      ...(isObject(source) ? parsed(source.reference, `${owner} has no image reference`) : { error: `${owner} sets image to ${JSON.stringify(source)}, not an object` }),
    });
  });
  return images;
}

/** The fully qualified form of a reference, for messages (`docker.io/library/nginx:1.27`). */
export function qualified(reference: ImageReference): string {
  return formatImageReference(reference);
}
