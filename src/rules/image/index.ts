/** Image rules: pinning, tags, trusted registries, pull policies and pull secrets (the image policy), and the scan gate, for container images and image volumes. */
import allowedRegistry from './allowed-registry';
import digest from './digest';
import knownVulnerabilities from './known-vulnerabilities';
import latestTag from './latest-tag';
import pullPolicy from './pull-policy';
import pullSecrets from './pull-secrets';
import type { Rule } from '../rule';

export const IMAGE_RULES: readonly Rule[] = [digest, latestTag, allowedRegistry, pullPolicy, pullSecrets, knownVulnerabilities];
