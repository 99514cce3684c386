/**
 * Signature verification at admission: `ImageTrust` emits the policy objects of the verifier a team runs,
 * sigstore policy-controller `ClusterImagePolicy` (policy.sigstore.dev/v1beta1) or Kyverno `ImageValidatingPolicy`
 * (policies.kyverno.io/v1), from typed trust roots, and fails synth when the trust it declares has a gap.
 */
import { createPublicKey } from 'crypto';
import { ApiObject, Chart, JsonPatch, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Hardening } from './hardening';
import { validateWaivers, waiverMetadata, requireWaiver } from './waivers';
import { parseImagePolicy } from '../analysis/images/image-policy';
import type { ImagePolicySettings } from '../analysis/images/image-policy-settings';
import {
  globsFromImagePolicy,
  KYVERNO_GROUP,
  KYVERNO_KIND,
  KYVERNO_NAMESPACE_LABEL,
  SIGSTORE_GROUP,
  SIGSTORE_KIND,
  SIGSTORE_NAMESPACE_LABEL,
  trustGlobError,
} from '../analysis/images/trust-globs';
import { addToGroup } from '../core/group-by';
import { expandList } from '../core/lists';
import type { K8sObject, Waiver } from '../core/types';
import { checkObjects } from '../engine/engine';
import signatureCovered from '../rules/image/signature-covered';

/** The rule a WARN-mode ImageTrust needs a waiver for. */
export const WARN_MODE_RULE = 'image-signature-enforced';

/** The admission verifier that checks signatures. */
export enum ImageVerifier {
  /** sigstore policy-controller: emits `ClusterImagePolicy` (policy.sigstore.dev/v1beta1). */
  SIGSTORE = 'sigstore',
  /** Kyverno: emits `ImageValidatingPolicy` (policies.kyverno.io/v1). */
  KYVERNO = 'kyverno',
}

/** What the verifier does with an image that fails verification. */
export enum ImageTrustMode {
  /** Reject the pod. */
  ENFORCE = 'enforce',
  /** Admit the pod with a warning (needs a waiver for image-signature-enforced). */
  WARN = 'warn',
}

/** A public key that signs images: exactly one of `pem` or `kms`. */
export interface PublicKeyAuthorityOptions {
  /** Name of the authority in the policy. @default - `key-<n>` */
  readonly name?: string;
  /** The PEM-encoded public key (`-----BEGIN PUBLIC KEY-----`). @default - use `kms` */
  readonly pem?: string;
  /** A KMS key reference as cosign writes it (`awskms://...`, `gcpkms://...`, `azurekms://...`, `hashivault://...`). @default - use `pem` */
  readonly kms?: string;
  /** Rekor transparency log that the signature must be recorded in. @default - the verifier's default (public Rekor) */
  readonly rekorUrl?: string;
  /** Globs (of the ImageTrust's `images`) this key vouches for. @default - every glob of the ImageTrust */
  readonly images?: string[];
}

/** A keyless (Fulcio certificate) signer: the OIDC issuer plus exactly one subject constraint. */
export interface KeylessAuthorityOptions {
  /** Name of the authority in the policy. @default - `keyless-<n>` */
  readonly name?: string;
  /** OIDC issuer of the signer's identity token (`https://token.actions.githubusercontent.com`). */
  readonly issuer: string;
  /** The exact certificate subject (a workflow URL or an e-mail address). @default - use `subjectRegExp` */
  readonly subject?: string;
  /** A regular expression the certificate subject must match (anchor it with ^ and $). @default - use `subject` */
  readonly subjectRegExp?: string;
  /** Rekor transparency log that the signature must be recorded in. @default - the verifier's default (public Rekor) */
  readonly rekorUrl?: string;
  /**
   * Fulcio instance that issued the signing certificate (sigstore only; Kyverno reads the Fulcio roots from
   * sigstore's TUF repository). @default 'https://fulcio.sigstore.dev'
   */
  readonly fulcioUrl?: string;
  /** Globs (of the ImageTrust's `images`) this signer vouches for. @default - every glob of the ImageTrust */
  readonly images?: string[];
}

/** Who may sign the images: a public key or a keyless identity. */
export class TrustAuthority {
  /** Signatures made with this public key (PEM or KMS reference). */
  public static publicKey(options: PublicKeyAuthorityOptions): TrustAuthority {
    return new TrustAuthority('key', options);
  }

  /** Keyless signatures whose Fulcio certificate names this issuer and subject. */
  public static keyless(options: KeylessAuthorityOptions): TrustAuthority {
    return new TrustAuthority('keyless', options);
  }

  private constructor(
    /** @internal */ public readonly _type: 'key' | 'keyless',
    /** @internal */ public readonly _options: PublicKeyAuthorityOptions | KeylessAuthorityOptions,
  ) {}
}

/** The predicate type of an in-toto attestation the images must carry. */
export class AttestationPredicate {
  /** A CycloneDX SBOM (`cosign attest --type cyclonedx`). */
  public static readonly CYCLONEDX = new AttestationPredicate('https://cyclonedx.org/bom');
  /** An SPDX SBOM (`cosign attest --type spdxjson`). */
  public static readonly SPDX = new AttestationPredicate('https://spdx.dev/Document');
  /** A vulnerability scan result (`cosign attest --type vuln`). */
  public static readonly VULN = new AttestationPredicate('https://cosign.sigstore.dev/attestation/vuln/v1');
  /** Another predicate type, by its URI. */
  public static of(uri: string): AttestationPredicate {
    return new AttestationPredicate(uri);
  }

  private constructor(
    /** The predicate type URI. */
    public readonly uri: string,
  ) {}
}

/** The policy that judges an attestation's content. */
export class AttestationPolicy {
  /** A CUE policy (sigstore only), evaluated against the attestation. */
  public static cue(data: string): AttestationPolicy {
    return new AttestationPolicy('cue', data);
  }

  /** A Rego policy (sigstore only), evaluated against the attestation. */
  public static rego(data: string): AttestationPolicy {
    return new AttestationPolicy('rego', data);
  }

  /**
   * A CEL expression (Kyverno only), true for an acceptable image. It sees `image` (the image reference) and
   * reads the attestation with `extractPayload(image, attestations.<name>)`.
   */
  public static cel(expression: string): AttestationPolicy {
    return new AttestationPolicy('cel', expression);
  }

  private constructor(
    /** `cue`, `rego` or `cel`. */
    public readonly language: string,
    /** The policy text. */
    public readonly text: string,
  ) {}
}

/** An attestation every image must carry, signed by an authority, and the policy its content must pass. */
export interface TrustAttestation {
  /** Name of the attestation in the policy (a DNS label). */
  readonly name: string;
  /** Its predicate type. */
  readonly predicateType: AttestationPredicate;
  /** The policy that judges its content. */
  readonly policy: AttestationPolicy;
}

/** Properties of an ImageTrust. */
export interface ImageTrustProps {
  /** Which admission verifier checks the signatures. @default ImageVerifier.SIGSTORE */
  readonly verifier?: ImageVerifier;
  /**
   * Image globs that must be signed, in the verifier's syntax (sigstore: `*` within a path segment, `**` across;
   * Kyverno: `*` across segments, matched against the image as written).
   * @default - derived from the image policy's allowedRegistries and allowedRepositories (`imagePolicy`, else the enclosing `Hardening.enforce`'s)
   */
  readonly images?: string[];
  /** The image policy to derive `images` from. @default - the options of the enclosing `Hardening.enforce` */
  readonly imagePolicy?: ImagePolicySettings;
  /** Who may sign (any one suffices for an image). At least one. */
  readonly authorities: TrustAuthority[];
  /** Attestations every image must also carry, each judged by its policy. @default - none */
  readonly attestations?: TrustAttestation[];
  /** Reject (ENFORCE) or only warn (WARN, needs a waiver for image-signature-enforced). @default ImageTrustMode.ENFORCE */
  readonly mode?: ImageTrustMode;
  /** Name of the policy object (with `-2`, `-3`, ... when authorities cover different globs). @default - derived from the construct path */
  readonly name?: string;
  /** Controls weakened on purpose, recorded on the policy objects. @default - none */
  readonly waivers?: Waiver[];
}

/** ImageTrusts by app root, so LockedNamespaces opt their namespace in for each verifier in use. */
const TRUSTS = new WeakMap<IConstruct, ImageTrust[]>();

interface Authority {
  readonly type: 'key' | 'keyless';
  readonly name: string;
  readonly options: PublicKeyAuthorityOptions & Partial<KeylessAuthorityOptions>;
  readonly globs: readonly string[];
}

/**
 * Signature verification of the app's images at admission. Emits one policy per group of globs with the same
 * authorities (usually one), for sigstore policy-controller or Kyverno, and fails synth on a gap: a glob no
 * authority vouches for, no authority, a keyless signer without a subject, an image of the app that no glob
 * covers (rule image-signature-covered), or WARN mode without a waiver.
 *
 * Every LockedNamespace of the app opts its namespace in (sigstore: label `policy.sigstore.dev/include`; Kyverno:
 * label `hardened.cdk8s.io/verify-images`, which the policy's namespaceSelector selects).
 */
export class ImageTrust extends Construct {
  /** The ImageTrusts of the app `construct` belongs to, in creation order. */
  public static of(construct: IConstruct): ImageTrust[] {
    return [...(TRUSTS.get(construct.node.root) ?? [])];
  }

  /** The namespace labels that opt a namespace into verification by the app's ImageTrusts (empty without one). */
  public static namespaceLabelsFor(construct: IConstruct): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const trust of ImageTrust.of(construct)) {
      labels[trust.verifier === ImageVerifier.SIGSTORE ? SIGSTORE_NAMESPACE_LABEL : KYVERNO_NAMESPACE_LABEL] = 'true';
    }
    return labels;
  }

  /** The verifier. */
  public readonly verifier: ImageVerifier;
  /** The mode. */
  public readonly mode: ImageTrustMode;
  /** The image globs, in the verifier's syntax. */
  public readonly images: string[];
  /** The emitted policy objects. */
  public readonly policies: ApiObject[];

  constructor(scope: Construct, id: string, props: ImageTrustProps) {
    super(scope, id);
    const path = this.node.path;
    const waivers = validateWaivers(path, props.waivers);
    this.verifier = enumValue(path, 'verifier', props, ImageVerifier, ImageVerifier.SIGSTORE);
    this.mode = enumValue(path, 'mode', props, ImageTrustMode, ImageTrustMode.ENFORCE);
    if (this.mode === ImageTrustMode.WARN) {
      requireWaiver(this, waivers, WARN_MODE_RULE, 'mode WARN (unverified images are admitted with a warning)', 'Use ImageTrustMode.ENFORCE');
    }
    this.images = imageGlobs(this, props, this.verifier);
    const authorities = authoritiesOf(this, props.authorities, this.images, this.verifier);
    const attestations = attestationsOf(path, props.attestations ?? [], this.verifier);

    // One policy per set of authorities: in both verifiers a policy's authorities apply to all its globs.
    const groups = new Map<string, { globs: string[]; authorities: Authority[] }>();
    for (const glob of this.images) {
      const vouching = authorities.filter((a) => a.globs.includes(glob));
      if (vouching.length === 0) {
        throw new Error(`${path}: image glob "${glob}" has no authority that vouches for it (every authority lists other images). Fix: add "${glob}" to an authority's images, or drop it from images`);
      }
      const key = vouching.map((a) => a.name).join('\u0000');
      const group = groups.get(key) ?? { globs: [], authorities: vouching };
      group.globs.push(glob);
      groups.set(key, group);
    }

    const baseName = props.name ?? Names.toDnsLabel(this);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(baseName) || baseName.length > 250) {
      throw new Error(`${path}: name "${baseName}" must be a DNS subdomain (lower-case letters, digits, '-' and '.')`);
    }
    const { annotations, labels } = waiverMetadata(waivers);
    const namespaced = Chart.of(this).namespace !== undefined;
    this.policies = [...groups.values()].map((group, i) => {
      const name = i === 0 ? baseName : `${baseName}-${i + 1}`;
      const metadata = {
        name,
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      };
      const body = this.verifier === ImageVerifier.SIGSTORE
        ? { apiVersion: `${SIGSTORE_GROUP}/v1beta1`, kind: SIGSTORE_KIND, metadata, spec: sigstoreSpec(group.globs, group.authorities, attestations, this.mode) }
        : { apiVersion: `${KYVERNO_GROUP}/v1`, kind: KYVERNO_KIND, metadata, spec: kyvernoSpec(group.globs, group.authorities, attestations, this.mode) };
      const policy = new ApiObject(this, i === 0 ? 'Policy' : `Policy${i + 1}`, body);
      // Both kinds are cluster-scoped: a chart's namespace must not be written into them.
      if (namespaced) policy.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      return policy;
    });

    const root = this.node.root;
    addToGroup(TRUSTS, root, this);
    this.node.addValidation({ validate: () => this.uncoveredImages() });
  }

  /** Every image of the app that no ImageTrust glob covers, as synth errors naming the workload and the fix. */
  private uncoveredImages(): string[] {
    // The app's first ImageTrust judges for all of them, so an image outside every glob is reported once.
    if (ImageTrust.of(this)[0] !== this) return [];
    const objects: K8sObject[] = [];
    for (const o of this.node.root.node.findAll()) {
      if (!ApiObject.isApiObject(o)) continue;
      let json: unknown;
      try {
        json = o.toJson();
      } catch {
        continue; // a workload that refuses to serialize reports its own error
      }
      for (const { value } of expandList(json).objects) objects.push(value as K8sObject);
    }
    const result = checkObjects(objects.map((object) => ({ object })), { catalog: [signatureCovered], settings: { completeSet: true } });
    return result.findings.map(
      (f) => `${this.node.path}: ${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name} ${f.path}: ${f.message} (rule ${signatureCovered.id}). Fix: ${f.remediation}`,
    );
  }
}

function enumValue<T extends string>(path: string, prop: string, props: object, values: Record<string, T>, fallback: T): T {
  // An explicit undefined (a member another enum lacks) is an error, never the default.
  if (!Object.prototype.hasOwnProperty.call(props, prop)) return fallback;
  const value = (props as Record<string, unknown>)[prop];
  if (!Object.values(values).includes(value as T)) {
    throw new Error(`${path}: ${prop} ${String(value)} is not one of ${Object.values(values).join(', ')}`);
  }
  return value as T;
}

function imageGlobs(scope: ImageTrust, props: ImageTrustProps, verifier: ImageVerifier): string[] {
  const path = scope.node.path;
  let globs: string[];
  if (props.images !== undefined) {
    globs = props.images;
  } else {
    const policy = parseImagePolicy(props.imagePolicy ?? Hardening.optionsFor(scope)?.imagePolicy, `${path}: imagePolicy`);
    globs = globsFromImagePolicy(policy, verifier);
    if (globs.length === 0) {
      throw new Error(`${path}: no image globs: pass images (e.g. ['registry.example.com/**']), or an imagePolicy with allowedRegistries or allowedRepositories (here or in an enclosing Hardening.enforce called before the ImageTrust)`);
    }
  }
  if (globs.length === 0) throw new Error(`${path}: images is empty: list the image globs that must be signed (e.g. ['registry.example.com/**'])`);
  globs.forEach((glob, i) => {
    const error = trustGlobError(glob, verifier);
    if (error) {
      const where = props.images !== undefined ? `images[${i}]` : `the glob derived from the image policy (${glob})`;
      throw new Error(`${path}: ${where}: ${error}. Fix: pass images in the verifier's glob syntax`);
    }
  });
  return [...new Set(globs)];
}

function authoritiesOf(
  scope: ImageTrust,
  list: readonly TrustAuthority[] | undefined,
  globs: readonly string[],
  verifier: ImageVerifier,
): Authority[] {
  const path = scope.node.path;
  if (!list || list.length === 0) {
    throw new Error(`${path}: authorities is empty, so no signature could ever be trusted. Fix: add TrustAuthority.publicKey({ pem }) or TrustAuthority.keyless({ issuer, subject })`);
  }
  const counters = { key: 0, keyless: 0 };
  const names = new Set<string>();
  return list.map((authority, i) => {
    if (!(authority instanceof TrustAuthority)) throw new Error(`${path}: authorities[${i}] must be made with TrustAuthority.publicKey or TrustAuthority.keyless`);
    const options = authority._options as PublicKeyAuthorityOptions & Partial<KeylessAuthorityOptions>;
    const where = `${path}: authorities[${i}]`;
    const name = options.name ?? `${authority._type}-${++counters[authority._type]}`;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new Error(`${where}: name "${name}" must be a DNS label`);
    if (names.has(name)) throw new Error(`${where}: name "${name}" is used by another authority`);
    names.add(name);
    if (authority._type === 'key') {
      const sources = [options.pem, options.kms].filter((v) => v !== undefined);
      if (sources.length !== 1) throw new Error(`${where}: a public key authority needs exactly one of pem or kms`);
      if (options.pem !== undefined && !isPublicKeyPem(options.pem)) {
        throw new Error(`${where}: pem must be a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----) that parses`);
      }
      if (options.kms !== undefined && !/^(awskms|gcpkms|azurekms|hashivault|k8s):\/\/\S+$/.test(options.kms)) {
        throw new Error(`${where}: kms "${options.kms}" is not a KMS reference (awskms://, gcpkms://, azurekms://, hashivault:// or k8s://)`);
      }
      // policy-controller accepts AWS keys only as a key or alias ARN (other forms need environment settings).
      if (options.kms?.startsWith('awskms://') && !/^awskms:\/\/[^/]*\/arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/\S+$/.test(options.kms)) {
        throw new Error(`${where}: kms "${options.kms}" must name a key or alias ARN: awskms://[endpoint]/arn:aws:kms:<region>:<account>:key/<id> or .../alias/<name>`);
      }
      if ((options as KeylessAuthorityOptions).fulcioUrl !== undefined) throw new Error(`${where}: fulcioUrl belongs to keyless authorities`);
    } else {
      if (!options.issuer || !/^https:\/\/\S+$/.test(options.issuer)) throw new Error(`${where}: issuer must be the https URL of the OIDC issuer`);
      const constraints = [options.subject, options.subjectRegExp].filter((v) => v !== undefined && v !== '');
      if (constraints.length === 0) {
        throw new Error(`${where}: a keyless authority without subject or subjectRegExp trusts any identity of ${options.issuer}, so any signer would do. Fix: set subject (exact) or subjectRegExp (anchored)`);
      }
      if (constraints.length > 1) throw new Error(`${where}: set subject or subjectRegExp, not both`);
      if (options.subjectRegExp !== undefined) {
        try {
          new RegExp(options.subjectRegExp);
        } catch (e) {
          throw new Error(`${where}: subjectRegExp is not a regular expression: ${(e as Error).message}`);
        }
        if (!options.subjectRegExp.startsWith('^') || !options.subjectRegExp.endsWith('$')) {
          throw new Error(`${where}: subjectRegExp "${options.subjectRegExp}" must be anchored with ^ and $, or any subject containing a match would pass`);
        }
      }
    }
    if (options.rekorUrl !== undefined && !/^https:\/\/\S+$/.test(options.rekorUrl)) throw new Error(`${where}: rekorUrl must be an https URL`);
    if (options.fulcioUrl !== undefined) {
      if (!/^https:\/\/\S+$/.test(options.fulcioUrl)) throw new Error(`${where}: fulcioUrl must be an https URL`);
      if (verifier === ImageVerifier.KYVERNO) {
        throw new Error(`${where}: Kyverno takes no Fulcio URL (it trusts the Fulcio roots of sigstore's TUF repository). Fix: drop fulcioUrl, or use ImageVerifier.SIGSTORE`);
      }
    }
    const vouched = options.images ?? [...globs];
    for (const glob of vouched) {
      if (!globs.includes(glob)) throw new Error(`${where}: images lists "${glob}", which is not one of the ImageTrust's images (${globs.join(', ')})`);
    }
    if (vouched.length === 0) throw new Error(`${where}: images is empty (omit it to vouch for every glob)`);
    return { type: authority._type, name, options, globs: vouched };
  });
}

function attestationsOf(path: string, list: readonly TrustAttestation[], verifier: ImageVerifier): TrustAttestation[] {
  const names = new Set<string>();
  list.forEach((a, i) => {
    const where = `${path}: attestations[${i}]`;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(a.name ?? '')) throw new Error(`${where}: name "${a.name}" must be a DNS label`);
    if (names.has(a.name)) throw new Error(`${where}: name "${a.name}" is used twice`);
    names.add(a.name);
    if (!(a.predicateType instanceof AttestationPredicate) || !/^https?:\/\/\S+$/.test(a.predicateType.uri)) {
      throw new Error(`${where}: predicateType must be an AttestationPredicate with a URI (AttestationPredicate.CYCLONEDX, .SPDX, .VULN or .of(uri))`);
    }
    if (!(a.policy instanceof AttestationPolicy) || a.policy.text.trim() === '') {
      throw new Error(`${where}: policy must be a non-empty AttestationPolicy (cue, rego or cel)`);
    }
    const allowed = verifier === ImageVerifier.SIGSTORE ? ['cue', 'rego'] : ['cel'];
    if (!allowed.includes(a.policy.language)) {
      throw new Error(`${where}: ${verifier} judges attestations with ${allowed.join(' or ')}, not ${a.policy.language}. Fix: use AttestationPolicy.${allowed[0]}(...)`);
    }
  });
  return [...list];
}

/** Public Fulcio, written out so the policy does not depend on policy-controller's defaulting webhook. */
const PUBLIC_FULCIO = 'https://fulcio.sigstore.dev';

/** The `key` or `keyless` field of an authority: the same shape in both verifiers, plus sigstore's Fulcio URL. */
function signer(a: Authority, verifier: ImageVerifier): Record<string, unknown> {
  if (a.type === 'key') return { key: a.options.pem !== undefined ? { data: a.options.pem } : { kms: a.options.kms } };
  const subject = a.options.subject !== undefined ? { subject: a.options.subject } : { subjectRegExp: a.options.subjectRegExp };
  const identities = [{ issuer: a.options.issuer, ...subject }];
  return { keyless: verifier === ImageVerifier.SIGSTORE ? { url: a.options.fulcioUrl ?? PUBLIC_FULCIO, identities } : { identities } };
}

/** True when `pem` holds exactly one public key that parses (as policy-controller requires of key data). */
function isPublicKeyPem(pem: string): boolean {
  const blocks = pem.match(/-----BEGIN PUBLIC KEY-----/g) ?? [];
  if (blocks.length !== 1 || !/^\s*-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\s]+-----END PUBLIC KEY-----\s*$/.test(pem)) return false;
  try {
    createPublicKey(pem);
    return true;
  } catch {
    return false;
  }
}

function sigstoreSpec(globs: string[], authorities: Authority[], attestations: TrustAttestation[], mode: ImageTrustMode): Record<string, unknown> {
  return {
    images: globs.map((glob) => ({ glob })),
    authorities: authorities.map((a) => ({
      name: a.name,
      ...signer(a, ImageVerifier.SIGSTORE),
      ...(a.options.rekorUrl !== undefined ? { ctlog: { url: a.options.rekorUrl } } : {}),
      ...(attestations.length > 0
        ? {
          attestations: attestations.map((t) => ({
            name: t.name,
            predicateType: t.predicateType.uri,
            policy: { type: t.policy.language, data: t.policy.text },
          })),
        }
        : {}),
    })),
    mode,
  };
}

/** Kyverno sees images by category (containers, initContainers, ephemeralContainers): every category is judged. */
function everyImage(expression: string): string {
  return `images.all(category, images[category].all(image, ${expression}))`;
}

function kyvernoSpec(globs: string[], authorities: Authority[], attestations: TrustAttestation[], mode: ImageTrustMode): Record<string, unknown> {
  const attestors = `[${authorities.map((a) => `attestors["${a.name}"]`).join(', ')}]`;
  return {
    validationActions: [mode === ImageTrustMode.ENFORCE ? 'Deny' : 'Warn'],
    failurePolicy: 'Fail',
    matchConstraints: {
      namespaceSelector: { matchLabels: { [KYVERNO_NAMESPACE_LABEL]: 'true' } },
      resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
    },
    matchImageReferences: globs.map((glob) => ({ glob })),
    attestors: authorities.map((a) => ({
      name: a.name,
      cosign: {
        ...signer(a, ImageVerifier.KYVERNO),
        ...(a.options.rekorUrl !== undefined ? { ctlog: { url: a.options.rekorUrl } } : {}),
      },
    })),
    ...(attestations.length > 0 ? { attestations: attestations.map((t) => ({ name: t.name, intoto: { type: t.predicateType.uri } })) } : {}),
    validations: [
      { expression: everyImage(`verifyImageSignatures(image, ${attestors}) > 0`), message: 'an image is not signed by a trusted authority' },
      ...attestations.flatMap((t) => [
        {
          expression: everyImage(`verifyAttestationSignatures(image, attestations["${t.name}"], ${attestors}) > 0`),
          message: `an image has no ${t.name} attestation signed by a trusted authority`,
        },
        { expression: everyImage(t.policy.text), message: `the ${t.name} attestation of an image fails its policy` },
      ]),
    ],
  };
}
