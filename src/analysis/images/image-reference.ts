/**
 * Container image references, parsed the way the container runtime reads them (the distribution
 * reference grammar, with Docker's normalisation):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ registry "/" ] path-component ( "/" path-component )*
 *   registry   := host [ ":" port ]          host = DNS name, IPv4 address or [IPv6 address]
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest     := algorithm ":" hex         (sha256: 64, sha384: 96, sha512: 128 lowercase hex digits)
 *
 * The first name component is a registry only when it looks like a host: it contains "." or ":", is
 * `localhost`, or has an upper-case letter. Otherwise the registry is `docker.io`, and a single-component
 * path on Docker Hub gets the `library/` prefix (`nginx` is `docker.io/library/nginx`).
 */

/** The registry a reference without an explicit registry pulls from. */
export const DEFAULT_REGISTRY = 'docker.io';
/** Docker Hub's legacy host name, normalised to {@link DEFAULT_REGISTRY}. */
const LEGACY_DEFAULT_REGISTRY = 'index.docker.io';
/** Namespace of Docker Hub's official images. */
const OFFICIAL_NAMESPACE = 'library';
/** Longest accepted name (registry plus path), as in the distribution grammar. */
export const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*$`);
const IPV6_LITERAL = /^\[[0-9a-fA-F:.]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*$/;
const HEX = /^[0-9a-fA-F]+$/;
const IMAGE_ID = /^[a-f0-9]{64}$/;

/** Digest algorithms the runtimes verify, with the length of their lowercase hex encoding. */
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** Registry host with optional port, lower-case as written (`docker.io`, `registry.example.com:5000`). */
  readonly registry: string;
  /** Repository path inside the registry (`library/nginx`, `team/app`). */
  readonly repository: string;
  /** Tag, when the reference has one. */
  readonly tag?: string;
  /** Digest `algorithm:hex`, when the reference has one. */
  readonly digest?: string;
}

/** Why a string is not a valid image reference. */
export class ImageReferenceError extends Error {
  constructor(
    public readonly reference: string,
    public readonly reason: string,
  ) {
    super(`invalid image reference "${reference}": ${reason}`);
    this.name = 'ImageReferenceError';
  }
}

/** Result of {@link tryParseImageReference}: the reference, or the reason it is invalid. */
export type ImageReferenceResult = { readonly ok: true; readonly reference: ImageReference } | { readonly ok: false; readonly error: string };

/** Parses and normalises an image reference. Throws {@link ImageReferenceError} naming what is wrong. */
export function parseImageReference(text: string): ImageReference {
  const fail = (reason: string): never => {
    throw new ImageReferenceError(text, reason);
  };
  if (typeof text !== 'string') return fail('expected a string');
  if (text === '') return fail('it is empty');
  if (text.trim() !== text) return fail('it has leading or trailing whitespace');
  if (IMAGE_ID.test(text)) return fail('a bare 64-digit hex string is an image id, not a repository name');

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = validateDigest(rest.slice(at + 1), fail);
    rest = rest.slice(0, at);
  }

  // A ':' after the last '/' separates the tag; one before it belongs to the registry port.
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === '') fail('the tag after ":" is empty');
    if (!TAG.test(tag)) {
      fail(`tag "${tag}" is not valid (1 to 128 characters: letters, digits, "_", "." and "-", not starting with "." or "-")`);
    }
  }

  if (rest === '') fail('the repository name is empty');
  const { registry, path } = splitRegistry(rest);
  if (registry !== undefined) validateRegistry(registry, fail);
  const components = path.split('/');
  for (const component of components) {
    if (component === '') fail('the repository path has an empty component (a leading, trailing or double "/")');
    if (!PATH_COMPONENT.test(component)) {
      if (component !== component.toLowerCase()) fail(`repository name "${path}" must be lower-case`);
      fail(
        `repository path component "${component}" is not valid (lower-case letters and digits, separated by ".", "_", "__" or dashes)`,
      );
    }
  }

  const normalisedRegistry = normaliseRegistry(registry ?? DEFAULT_REGISTRY);
  const repository = normalisedRegistry === DEFAULT_REGISTRY && components.length === 1 ? `${OFFICIAL_NAMESPACE}/${path}` : path;
  if (`${normalisedRegistry}/${repository}`.length > MAX_NAME_LENGTH) fail(`the repository name is longer than ${MAX_NAME_LENGTH} characters`);
  return { registry: normalisedRegistry, repository, tag, digest };
}

/** Like {@link parseImageReference}, returning the error message instead of throwing. */
export function tryParseImageReference(text: unknown): ImageReferenceResult {
  if (typeof text !== 'string') return { ok: false, error: `invalid image reference: expected a string, got ${text === null ? 'null' : typeof text}` };
  try {
    return { ok: true, reference: parseImageReference(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** `registry/repository`, the fully qualified name (`docker.io/library/nginx`). */
export function fullName(reference: ImageReference): string {
  return `${reference.registry}/${reference.repository}`;
}

/** The short name users write (`nginx`, `team/app`, `registry.example.com/team/app`). */
export function familiarName(reference: ImageReference): string {
  if (reference.registry !== DEFAULT_REGISTRY) return fullName(reference);
  const officialPrefix = `${OFFICIAL_NAMESPACE}/`;
  if (reference.repository.startsWith(officialPrefix) && reference.repository.split('/').length === 2) {
    return reference.repository.slice(officialPrefix.length);
  }
  return reference.repository;
}

/** Formats a reference: the fully qualified form by default, the familiar (Docker CLI) form on request. */
export function formatImageReference(reference: ImageReference, options: { familiar?: boolean } = {}): string {
  const name = options.familiar ? familiarName(reference) : fullName(reference);
  return `${name}${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest !== undefined ? `@${reference.digest}` : ''}`;
}

/**
 * Splits `name` into registry and path: the first component is a registry when it contains "." or ":",
 * is `localhost`, or is not all lower-case (repository paths must be).
 */
function splitRegistry(name: string): { registry?: string; path: string } {
  const slash = name.indexOf('/');
  if (slash < 0) return { path: name };
  const first = name.slice(0, slash);
  const looksLikeHost = first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
  return looksLikeHost ? { registry: first, path: name.slice(slash + 1) } : { path: name };
}

function validateRegistry(registry: string, fail: (reason: string) => never): void {
  let host = registry;
  let port: string | undefined;
  if (registry.startsWith('[')) {
    const close = registry.indexOf(']');
    host = close >= 0 ? registry.slice(0, close + 1) : registry;
    const after = close >= 0 ? registry.slice(close + 1) : '';
    if (after !== '') {
      if (!after.startsWith(':')) fail(`registry "${registry}" is not a valid host[:port]`);
      port = after.slice(1);
    }
    if (!IPV6_LITERAL.test(host) || !host.includes(':')) fail(`registry "${registry}" is not a valid IPv6 literal`);
  } else {
    const colon = registry.indexOf(':');
    if (colon >= 0) {
      host = registry.slice(0, colon);
      port = registry.slice(colon + 1);
    }
    if (!DOMAIN_NAME.test(host)) fail(`registry host "${host}" is not a valid host name`);
  }
  if (port !== undefined) {
    if (!PORT.test(port)) fail(`registry port "${port}" is not a number`);
    if (Number(port) > 65535) fail(`registry port ${port} is out of range`);
  }
}

/** Lower-cases the host (host names are case-insensitive) and maps Docker Hub's legacy host. */
function normaliseRegistry(registry: string): string {
  const lower = registry.toLowerCase();
  return lower === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : lower;
}

function validateDigest(digest: string, fail: (reason: string) => never): string {
  const colon = digest.indexOf(':');
  if (digest === '') fail('the digest after "@" is empty');
  if (colon <= 0) fail(`digest "${digest}" must be "algorithm:hex", e.g. "sha256:" followed by 64 hex digits`);
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (!DIGEST_ALGORITHM.test(algorithm)) fail(`digest algorithm "${algorithm}" is not valid`);
  const expected = DIGEST_HEX_LENGTH[algorithm];
  if (expected === undefined) {
    fail(`digest algorithm "${algorithm}" is not supported (use ${Object.keys(DIGEST_HEX_LENGTH).join(', ')})`);
  }
  if (!HEX.test(hex)) fail(`digest "${digest}" must end in hex digits`);
  if (hex !== hex.toLowerCase()) fail(`digest "${digest}" must use lower-case hex digits`);
  if (hex.length !== expected) fail(`a ${algorithm} digest has ${expected} hex digits, "${digest}" has ${hex.length}`);
  return digest;
}
