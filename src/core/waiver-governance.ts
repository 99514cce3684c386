/**
 * What an organisation demands of waivers (the `waivers:` section of the policy): fields a waiver must carry, how
 * long it may live, and what an unused waiver is. Shared by the policy loader and every judge that reads waivers.
 */
export interface WaiverGovernance {
  /** Every waiver needs an `expires` date (ISO `YYYY-MM-DD`). @default false */
  readonly requireExpiry?: boolean;
  /** Every waiver needs an `owner`. @default false */
  readonly requireOwner?: boolean;
  /** Every waiver needs a `ticket`. @default false */
  readonly requireTicket?: boolean;
  /** Longest lifetime in days from today to `expires`; a later date is an error. @default no cap */
  readonly maxLifetimeDays?: number;
  /** Rules whose waivers need expires, owner and ticket even when the global switches are off. */
  readonly strictRules?: readonly string[];
  /** What a waiver on an object where its rule finds nothing is: 'warn' or 'error'. @default 'warn' */
  readonly unused?: 'warn' | 'error';
}
