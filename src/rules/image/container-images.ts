/** Reads each container's image once per rule, parsed, with the JSON path of its `image` field. */
import { asString } from '../../check/json';
import type { ContainerView, PodView } from '../../check/views';
import { formatImageReference, ImageReference, tryParseImageReference } from '../../supply-chain/image-reference';

/** A container's image: parsed, or the reason it could not be. */
export interface ContainerImage {
  readonly container: ContainerView;
  /** JSON path of the container's `image` field. */
  readonly path: string;
  /** The image exactly as written, when it is a string. */
  readonly text?: string;
  /** The parsed reference, when the image is valid. */
  readonly reference?: ImageReference;
  /** Why the image is missing or invalid. */
  readonly error?: string;
}

/** Parsed once per pod view and shared by every image rule of the run. */
const parsedImages = new WeakMap<PodView, ContainerImage[]>();

/** The images of every container of a pod (regular, init and ephemeral). */
export function containerImages(pod: PodView): ContainerImage[] {
  let images = parsedImages.get(pod);
  if (!images) {
    images = parseContainerImages(pod);
    parsedImages.set(pod, images);
  }
  return images;
}

function parseContainerImages(pod: PodView): ContainerImage[] {
  return pod.containers.map((container) => {
    const path = `${container.path}.image`;
    const raw = container.container.image;
    const text = asString(raw);
    if (raw === undefined || text === '') return { container, path, error: `container "${container.name}" has no image` };
    const parsed = tryParseImageReference(raw);
    return parsed.ok ? { container, path, text, reference: parsed.reference } : { container, path, text, error: parsed.error };
  });
}

/** The fully qualified form of a reference, for messages (`docker.io/library/nginx:1.27`). */
export function qualified(reference: ImageReference): string {
  return formatImageReference(reference);
}
