/**
 * Renders an image inventory as text, JSON or a CycloneDX 1.6 JSON bill of materials. Every format is
 * byte-identical across runs: no timestamp, no random serial number, entries in the inventory's sorted order.
 */
import type { ImageInventoryEntry, ImageUse } from '../analysis/images/image-inventory-types';

export const INVENTORY_FORMATS = ['text', 'json', 'cyclonedx'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** Prefix of the CycloneDX properties this tool writes (the taxonomy convention is `<tool>:<name>`). */
const PROPERTY_PREFIX = 'cdk8s-hardened';

export function renderInventory(format: InventoryFormat, images: readonly ImageInventoryEntry[], toolVersion: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ images }, null, 2)}\n`;
    case 'cyclonedx':
      return `${JSON.stringify(cycloneDx(images, toolVersion), null, 2)}\n`;
    default:
      return inventoryText(images);
  }
}

function useText(use: ImageUse): string {
  const object = `${use.kind}/${use.namespace ? `${use.namespace}/` : ''}${use.name}`;
  const trust = use.trustGlob !== undefined ? `, verified by ${use.trustPolicy} glob "${use.trustGlob}"` : '';
  return `${object} ${use.usedAs} "${use.usedBy}" (${use.path}${trust})`;
}

function inventoryText(images: readonly ImageInventoryEntry[]): string {
  const lines: string[] = [];
  for (const image of images) {
    lines.push(image.image);
    const parts = [`registry ${image.registry}`, `repository ${image.repository}`];
    if (image.tag !== undefined) parts.push(`tag ${image.tag}`);
    parts.push(image.pinned ? `pinned ${image.digest}` : 'not pinned');
    lines.push(`  ${parts.join(', ')}`);
    lines.push(image.allowed ? '  image policy: allowed' : `  image policy: REFUSED: ${image.policyViolations.join('; ')}`);
    lines.push(`  pull secrets: ${image.pullSecrets.length > 0 ? image.pullSecrets.join(', ') : 'none'}`);
    if (image.trustCovered !== undefined) lines.push(`  signature verification: ${image.trustCovered ? 'every use covered' : 'NOT every use covered'}`);
    for (const use of image.uses) lines.push(`  used by ${useText(use)}`);
  }
  const pinned = images.filter((i) => i.pinned).length;
  const refused = images.filter((i) => !i.allowed).length;
  lines.push(`${images.length} image${images.length === 1 ? '' : 's'}, ${pinned} pinned by digest, ${refused} refused by the image policy`);
  return `${lines.join('\n')}\n`;
}

/** The package URL of an image (purl type `oci`): name is the last path component, version the digest. */
export function imagePurl(image: ImageInventoryEntry): string {
  const name = image.repository.slice(image.repository.lastIndexOf('/') + 1);
  // Qualifiers are sorted by key; their values keep "/" and ":" (the purl spec leaves them unencoded there).
  const qualifiers = [`repository_url=${encodeQualifier(`${image.registry}/${image.repository}`)}`];
  if (image.tag !== undefined) qualifiers.push(`tag=${encodeQualifier(image.tag)}`);
  const version = image.digest !== undefined ? `@${encodeURIComponent(image.digest)}` : '';
  return `pkg:oci/${encodeURIComponent(name)}${version}?${qualifiers.join('&')}`;
}

function encodeQualifier(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%3A/g, ':');
}

/** CycloneDX hash algorithm names of the digest algorithms image references use. */
const HASH_ALGORITHMS: Record<string, string> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

function cycloneDx(images: readonly ImageInventoryEntry[], toolVersion: string): object {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: {
      tools: { components: [{ type: 'application', name: 'cdk8s-hardened', version: toolVersion }] },
    },
    components: images.map((image) => {
      const [algorithm, hex] = image.digest !== undefined ? image.digest.split(':') : [];
      const properties = [
        { name: `${PROPERTY_PREFIX}:image`, value: image.image },
        { name: `${PROPERTY_PREFIX}:pinned`, value: String(image.pinned) },
        { name: `${PROPERTY_PREFIX}:allowed`, value: String(image.allowed) },
        ...(image.trustCovered !== undefined ? [{ name: `${PROPERTY_PREFIX}:signature-verified`, value: String(image.trustCovered) }] : []),
        ...image.policyViolations.map((v) => ({ name: `${PROPERTY_PREFIX}:policy-violation`, value: v })),
        ...image.pullSecrets.map((s) => ({ name: `${PROPERTY_PREFIX}:pull-secret`, value: s })),
        ...image.uses.map((u) => ({ name: `${PROPERTY_PREFIX}:used-by`, value: useText(u) })),
      ];
      return {
        'type': 'container',
        // The fully qualified reference is unique in the inventory and the same in every run.
        'bom-ref': image.image,
        'name': `${image.registry}/${image.repository}`,
        ...(image.tag !== undefined || image.digest !== undefined ? { version: image.digest ?? image.tag } : {}),
        ...(algorithm !== undefined && HASH_ALGORITHMS[algorithm] ? { hashes: [{ alg: HASH_ALGORITHMS[algorithm], content: hex }] } : {}),
        'purl': imagePurl(image),
        properties,
      };
    }),
  };
}
