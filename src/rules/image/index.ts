/** Image rules: pinning, tags, trusted registries, pull policies and pull secrets (the image policy), for container images and image volumes; signature-verification coverage and enforcement; the scan gate. */
import allowedRegistry from './allowed-registry';
import digest from './digest';
import knownVulnerabilities from './known-vulnerabilities';
import latestTag from './latest-tag';
import pullPolicy from './pull-policy';
import pullSecrets from './pull-secrets';
import signatureCovered from './signature-covered';
import signatureEnforced from './signature-enforced';
import type { Rule } from '../rule';

export const IMAGE_RULES: readonly Rule[] = [
  digest,
  latestTag,
  allowedRegistry,
  pullPolicy,
  pullSecrets,
  signatureCovered,
  signatureEnforced,
  knownVulnerabilities,
];
