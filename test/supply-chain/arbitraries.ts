/** fast-check generators for image references in the distribution grammar. */
import * as fc from 'fast-check';

// Generators for references in the grammar, written in familiar (shortest) form.
const alnum = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const pathComponent = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));
const hostLabel = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,5}[a-z0-9])?$/);
const registry = fc.oneof(
  fc.tuple(hostLabel, fc.constantFrom('com', 'io', 'example.org')).map(([h, tld]) => `${h}.${tld}`),
  fc.constant('localhost'),
  fc.tuple(hostLabel, fc.integer({ min: 1, max: 65535 })).map(([h, port]) => `${h}:${port}`),
);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
const digest = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => `sha256:${hex}`),
  fc.stringMatching(/^[0-9a-f]{128}$/).map((hex) => `sha512:${hex}`),
);
export const familiarReference = fc
  .record({
    registry: fc.option(registry, { nil: undefined }),
    path: fc.array(pathComponent, { minLength: 1, maxLength: 3 }),
    tag: fc.option(tag, { nil: undefined }),
    digest: fc.option(digest, { nil: undefined }),
  })
  // The familiar form of a Docker Hub official image drops `library/`; skip inputs that would be ambiguous.
  .filter((r) => !(r.registry === undefined && r.path[0] === 'library' && r.path.length === 2))
  .filter((r) => !(r.registry === undefined && /^[a-f0-9]{64}$/.test(r.path.join('/'))))
  // Without a registry, a first component with "." or named localhost would be read as a registry.
  .filter((r) => !(r.registry === undefined && r.path.length > 1 && (r.path[0].includes('.') || r.path[0] === 'localhost')))
  .map((r) => `${r.registry ? `${r.registry}/` : ''}${r.path.join('/')}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`);
