/**
 * Failed logins per client address: each address has a bucket of `perMinute` failures that refills
 * continuously over a minute. An address whose bucket is empty is refused (429) before any secret is hashed,
 * so a credential flood from one address costs one hash per failure it is allowed, not one per request.
 * Requests with credentials already verified (the authenticator's cache) never reach this check.
 */
export class FailedLoginLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `perMinute` 0 disables the limit. `maxAddresses` bounds the memory a spoofed-address flood could take. */
  constructor(readonly perMinute: number, private readonly maxAddresses = 10_000, private readonly now = () => Date.now()) {}

  /** Seconds until `address` may try again (0: it may now). */
  retryAfter(address: string): number {
    if (this.perMinute <= 0) return 0;
    const tokens = this.tokens(address);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60) / this.perMinute);
  }

  /** Counts one failed login of `address`. */
  failed(address: string): void {
    if (this.perMinute <= 0) return;
    const tokens = this.tokens(address);
    this.buckets.delete(address); // re-inserted last: the map stays in order of last failure
    this.buckets.set(address, { tokens: Math.max(0, tokens - 1), at: this.now() });
    if (this.buckets.size > this.maxAddresses) this.buckets.delete(this.buckets.keys().next().value!);
  }

  private tokens(address: string): number {
    const bucket = this.buckets.get(address);
    if (!bucket) return this.perMinute;
    const refilled = bucket.tokens + ((this.now() - bucket.at) / 60_000) * this.perMinute;
    if (refilled >= this.perMinute) {
      this.buckets.delete(address);
      return this.perMinute;
    }
    return refilled;
  }
}
