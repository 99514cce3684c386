/**
 * The image inventory: every image a set of manifests runs or mounts, read through the same pod views and
 * image parsing as the image rules (so the inventory and the rules never disagree on what a pod runs), with
 * the objects that use it, their pull secrets and the image policy's verdict.
 */
import { containerImages } from './container-images';
import type { ImageInventoryEntry, ImageUse } from './image-inventory-types';
import { isTrustedSource, requiresDigest, restrictsSources } from './image-policy';
import type { ImagePolicySettings } from './image-policy-settings';
import { formatImageReference, ImageReference } from './image-reference';
import { coveringGlob, hasTrustPolicy, trustGlobsOf } from './trust-globs';
import { asArray, asObject, asString, isObject } from '../../core/json';
import { ObjectIndex } from '../../core/object-index';
import type { CheckInput, InputProblem } from '../../core/types';
import { ObjectView, PodView, viewObject } from '../../core/views';

export type { ImageInventoryEntry, ImageUse } from './image-inventory-types';

export interface InventoryOptions {
  /** The image policy the `allowed` verdict is judged against. @default - digests required, any registry */
  readonly imagePolicy?: ImagePolicySettings;
}

export interface ImageInventory {
  /** One entry per distinct fully qualified reference, sorted by it. */
  readonly images: ImageInventoryEntry[];
  /** Images that are missing or cannot be parsed: the inventory would be incomplete without them. */
  readonly problems: InputProblem[];
  /** Number of objects read. */
  readonly objectCount: number;
}

const USED_AS: Record<string, string> = {
  containers: 'container',
  initContainers: 'initContainer',
  ephemeralContainers: 'ephemeralContainer',
};

/** Builds the inventory of the images `inputs` run (the applied set: namespaces filled, duplicates dropped). */
export function imageInventory(inputs: readonly CheckInput[], options: InventoryOptions = {}): ImageInventory {
  const policy = options.imagePolicy ?? {};
  const problems: InputProblem[] = [];
  const views: ObjectView[] = [];
  for (const input of inputs) {
    const object: unknown = input.object;
    if (!isObject(object) || typeof object.kind !== 'string' || object.kind === '') {
      // Without a kind nothing says whether the object runs images: the inventory would read as complete.
      problems.push({ message: 'not a Kubernetes object with a kind; the inventory cannot tell which images it runs', file: input.source?.file, line: input.source?.line });
      continue;
    }
    views.push(viewObject(input.object, input.source));
  }
  const index = new ObjectIndex(views);
  const byImage = new Map<string, { reference: ImageReference; uses: ImageUse[]; secrets: Set<string> }>();
  const objects = views.map((v) => v.object);
  const globs = hasTrustPolicy(objects) ? trustGlobsOf(objects) : undefined;

  for (const pod of index.pods()) {
    const owner = pod.owner;
    const secrets = pullSecretsOf(pod, index);
    for (const image of containerImages(pod)) {
      if (!image.reference) {
        problems.push({
          message: `${owner.kind}/${owner.name}: ${image.error ?? 'unreadable image'} (at ${image.path}); the inventory cannot list it`,
          file: owner.source?.file,
          line: owner.source?.line,
          kind: owner.kind,
          name: owner.name,
        });
        continue;
      }
      const key = formatImageReference(image.reference);
      let entry = byImage.get(key);
      if (!entry) {
        entry = { reference: image.reference, uses: [], secrets: new Set() };
        byImage.set(key, entry);
      }
      // Kyverno matches the image as written, so coverage belongs to each use, not to the normalised entry.
      const covering = globs && image.text !== undefined ? coveringGlob(image.text, globs) : undefined;
      entry.uses.push({
        kind: owner.kind,
        ...(owner.namespace !== undefined ? { namespace: owner.namespace } : {}),
        name: owner.name,
        usedAs: image.container ? USED_AS[image.container.type] : 'imageVolume',
        usedBy: image.container ? image.container.name : image.volume ?? '',
        path: image.path,
        ...(owner.source?.file !== undefined ? { source: owner.source.file } : {}),
        ...(owner.source?.line !== undefined ? { line: owner.source.line } : {}),
        ...(covering ? { trustGlob: covering.glob, trustPolicy: `${covering.policy}${covering.mode === 'warn' ? ' (warn)' : ''}` } : {}),
      });
      secrets.forEach((s) => entry!.secrets.add(s));
    }
  }

  const images = [...byImage.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([image, { reference, uses, secrets }]): ImageInventoryEntry => {
      const policyViolations = violations(reference, policy);
      const uncovered = uses.filter((u) => u.trustGlob === undefined);
      if (globs && uncovered.length > 0) {
        policyViolations.push(`${uncovered.length} of ${uses.length} uses outside every signature-verification glob (${globNames(globs)})`);
      }
      return {
        image,
        registry: reference.registry,
        repository: reference.repository,
        ...(reference.tag !== undefined ? { tag: reference.tag } : {}),
        ...(reference.digest !== undefined ? { digest: reference.digest } : {}),
        pinned: reference.digest !== undefined,
        uses: uses.sort(compareUses),
        pullSecrets: [...secrets].sort(compare),
        allowed: policyViolations.length === 0,
        policyViolations,
        ...(globs ? { trustCovered: uncovered.length === 0 } : {}),
      };
    });
  return { images, problems, objectCount: views.length };
}

/**
 * What the image policy refuses about an image itself: its source, a missing digest, the `latest` tag. Pull
 * policies and pull secrets belong to each pod, not to the image: `check` judges those.
 */
function violations(reference: ImageReference, policy: ImagePolicySettings): string[] {
  const found: string[] = [];
  if (restrictsSources(policy) && !isTrustedSource(reference, policy)) {
    found.push(`${reference.registry}/${reference.repository} is outside imagePolicy.allowedRegistries and allowedRepositories`);
  }
  if (reference.digest === undefined && requiresDigest(policy)) found.push('not pinned by digest (imagePolicy.requireDigest)');
  if (reference.tag === 'latest' || (reference.tag === undefined && reference.digest === undefined)) {
    found.push(`${reference.tag === undefined ? 'no tag, so the runtime pulls' : 'tag'} "latest", which is never accepted`);
  }
  return found;
}

function globNames(globs: readonly { glob: string; policy: string }[]): string {
  if (globs.length === 0) return 'the policies hold no glob';
  return globs.map((g) => `${g.policy} "${g.glob}"`).join(', ');
}

/** Pull secret names of the pod and of its ServiceAccount (when that is in the set). */
function pullSecretsOf(pod: PodView, index: ObjectIndex): string[] {
  const names = secretNames(pod.spec.imagePullSecrets);
  const account = asString(pod.spec.serviceAccountName) ?? asString(pod.spec.serviceAccount) ?? 'default';
  const serviceAccount = index.find('ServiceAccount', pod.owner.namespace, account);
  if (serviceAccount) names.push(...secretNames(serviceAccount.object.imagePullSecrets));
  return names;
}

function secretNames(value: unknown): string[] {
  return asArray(value).flatMap((entry) => {
    const name = asString(asObject(entry).name);
    return name ? [name] : [];
  });
}

function compare(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareUses(a: ImageUse, b: ImageUse): number {
  return compare(a.namespace, b.namespace) || compare(a.kind, b.kind) || compare(a.name, b.name) || compare(a.path, b.path);
}
