/**
 * An organisation's image policy: which registries and repositories are trusted, whether tags are
 * accepted, which pull policies and pull secrets pods must use. Plain data, jsii-friendly, read from the
 * CLI's `--config` file (`imagePolicy:`) or passed to `Hardening.enforce`.
 *
 * With no policy configured: digests are required, `latest` is never accepted, any registry is trusted,
 * pull policies follow the image-pull-policy rule's defaults and no pull secret is required.
 */

/** Pull secrets a pod must reference to pull from a registry. */
export interface ImagePullSecretRequirement {
  /** Registry host with optional port, as in an image reference (`registry.example.com`, `localhost:5000`). */
  readonly registry: string;
  /**
   * Names of Secrets (type kubernetes.io/dockerconfigjson) of which the pod must reference at least one,
   * in its own `imagePullSecrets` or in those of its ServiceAccount.
   */
  readonly secretNames: string[];
}

/** An organisation-wide image policy. Every field is optional; see each default. */
export interface ImagePolicySettings {
  /**
   * Registries images may come from: host with optional port, matched case-insensitively; `*.example.com`
   * matches any subdomain of example.com (not example.com itself). `index.docker.io` is `docker.io`.
   * An image is trusted when its registry is listed here OR its repository matches `allowedRepositories`.
   * @default - any registry, unless `allowedRepositories` is set
   */
  readonly allowedRegistries?: string[];
  /**
   * Repository patterns images may come from, matched against the fully qualified name
   * (`registry/path`, e.g. `docker.io/library/nginx`). `*` matches within one path component (no `/`),
   * `**` matches anything including `/`; the whole name must match. A pattern without a registry is
   * normalised like an image name (`nginx` is `docker.io/library/nginx`, `team/*` is `docker.io/team/*`).
   * @default - any repository, unless `allowedRegistries` is set
   */
  readonly allowedRepositories?: string[];
  /**
   * Whether every image must be pinned by digest. When false, a tag (other than `latest`) is accepted.
   * With true, a tagged image needs a waiver for `image-digest`.
   * @default true
   */
  readonly requireDigest?: boolean;
  /**
   * Accepted `imagePullPolicy` values (`Always`, `IfNotPresent`, `Never`), judged on the effective policy
   * (Kubernetes' default when the field is unset).
   * @default - digest-pinned images: Always or IfNotPresent; tagged images: Always
   */
  readonly allowedPullPolicies?: string[];
  /**
   * Pull secrets required per registry.
   * @default - none required
   */
  readonly requiredPullSecrets?: ImagePullSecretRequirement[];
}
