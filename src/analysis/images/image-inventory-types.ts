/**
 * The image inventory as plain, jsii-friendly structs: what `Hardening.imagesOf(app)` returns and what the
 * `cdk8s-hardened images` command prints as JSON.
 */

/** One place an image is used: a container, init or ephemeral container, or an `image` volume of a pod spec. */
export interface ImageUse {
  /** Kind of the object holding the pod spec (`Deployment`, `CronJob`, `Pod`, ...). */
  readonly kind: string;
  /** Namespace of the object (undefined for an object without one). */
  readonly namespace?: string;
  /** Name of the object. */
  readonly name: string;
  /** `container`, `initContainer`, `ephemeralContainer` or `imageVolume`. */
  readonly usedAs: string;
  /** Name of the container or of the volume (`#<index>` when it has none). */
  readonly usedBy: string;
  /** JSON path of the image reference in the object (`spec.template.spec.containers[0].image`). */
  readonly path: string;
  /** File (CLI) or construct path (cdk8s) the object came from, when known. */
  readonly source?: string;
  /** 1-based line of the object in its file, when known. */
  readonly line?: number;
  /**
   * The signature-verification glob that covers this use (sigstore matches the normalised name, Kyverno the
   * image as written), when the set holds a ClusterImagePolicy or ImageValidatingPolicy and one covers it.
   */
  readonly trustGlob?: string;
  /** The policy holding `trustGlob`, `Kind/name`, with ` (warn)` when it only warns. */
  readonly trustPolicy?: string;
}

/** One image the manifests run, with every place that uses it. */
export interface ImageInventoryEntry {
  /** The fully qualified reference (`registry/repository[:tag][@digest]`), the entry's identity. */
  readonly image: string;
  /** Registry host with optional port (`docker.io`, `registry.example.com:5000`). */
  readonly registry: string;
  /** Repository path in the registry (`library/nginx`). */
  readonly repository: string;
  /** Tag, when the reference has one. */
  readonly tag?: string;
  /** Digest `algorithm:hex`, when the reference has one. */
  readonly digest?: string;
  /** True when the reference carries a digest (the runtime pulls exactly that content). */
  readonly pinned: boolean;
  /** Every use, sorted by namespace, kind, name and path. */
  readonly uses: ImageUse[];
  /**
   * Names of the pull secrets the using pods reference (their own `imagePullSecrets` and those of their
   * ServiceAccount when it is part of the set), sorted.
   */
  readonly pullSecrets: string[];
  /** True when the image satisfies the image policy (trusted source, digest when required, never `latest`). */
  readonly allowed: boolean;
  /** Why the image policy refuses it (empty when allowed). */
  readonly policyViolations: string[];
  /**
   * True when a signature-verification glob (ImageTrust: ClusterImagePolicy, ImageValidatingPolicy) covers every
   * use; false when some use is outside every glob (also a policy violation). Undefined when the set holds no
   * such policy.
   */
  readonly trustCovered?: boolean;
}
