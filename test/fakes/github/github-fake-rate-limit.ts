/**
 * The local GitHub's primary rate limit: N requests per window (a scaled-down hour), one bucket for
 * everyone or one per principal, windows that end on a whole second as `x-ratelimit-reset` says,
 * and a counter of requests that arrived after the budget was spent (violations).
 */

/** Options of the limit. */
export interface RateLimitOptions {
  /** Requests per window (GitHub: 5,000 per hour for a user). */
  readonly limit: number;
  /** Window length in ms (GitHub: 3,600,000). */
  readonly windowMs: number;
  /** One shared bucket (`global`) or one per user, installation or app (`principal`). */
  readonly scope?: 'global' | 'principal';
  /** Status of a refused request: GitHub answers 403 or 429. */
  readonly status?: 403 | 429;
  /** Resource name in `x-ratelimit-resource`. */
  readonly resource?: string;
}

/** The verdict on one request. */
export interface RateVerdict {
  readonly allowed: boolean;
  readonly headers: Record<string, string>;
}

interface Bucket {
  used: number;
  resetAtMs: number;
}

/** A rate limiter with a violation counter. */
export class FakeRateLimit {
  readonly options: Required<RateLimitOptions>;
  violations = 0;
  charged = 0;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions) {
    this.options = { scope: 'global', status: 403, resource: 'core', ...options };
  }

  #bucket(key: string, now: number): Bucket {
    const k = this.options.scope === 'global' ? 'global' : key;
    let bucket = this.#buckets.get(k);
    if (bucket === undefined || now >= bucket.resetAtMs) {
      bucket = { used: 0, resetAtMs: Math.ceil((now + this.options.windowMs) / 1000) * 1000 };
      this.#buckets.set(k, bucket);
    }
    return bucket;
  }

  /** Charges one request to the principal's bucket; refused (and counted) when spent. */
  charge(key: string, now: number): RateVerdict {
    const bucket = this.#bucket(key, now);
    const allowed = bucket.used < this.options.limit;
    if (allowed) {
      bucket.used += 1;
      this.charged += 1;
    } else this.violations += 1;
    return { allowed, headers: this.#headers(bucket) };
  }

  /** The headers of a bucket without charging it (GET /rate_limit). */
  peek(key: string, now: number): { limit: number; remaining: number; reset: number } {
    const bucket = this.#bucket(key, now);
    return {
      limit: this.options.limit,
      remaining: this.options.limit - bucket.used,
      reset: bucket.resetAtMs / 1000,
    };
  }

  #headers(bucket: Bucket): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.options.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.options.limit - bucket.used)),
      'x-ratelimit-reset': String(bucket.resetAtMs / 1000),
      'x-ratelimit-used': String(bucket.used),
      'x-ratelimit-resource': this.options.resource,
    };
  }
}
