/** Pod and container rules: the Pod Security Standards (baseline and restricted) and the library's additions. */
import privileged from './privileged';
import type { Rule } from '../rule';

export const POD_RULES: readonly Rule[] = [privileged];
