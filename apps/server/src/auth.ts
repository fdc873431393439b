import { createHash, timingSafeEqual } from "node:crypto";

/** A client of the service: its scans are its own unless it is an admin. */
export interface TokenSpec {
  name: string;
  token: string;
  admin?: boolean;
}

export interface Principal {
  name: string;
  admin: boolean;
}

const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_TOKEN_LENGTH = 16;

/**
 * Reads `name:token[:admin],...` (MODELAUDIT_TOKENS, or one entry a line in a tokens file). Tokens
 * must be at least 16 characters: a short shared secret is guessable.
 */
export function parseTokens(spec: string): TokenSpec[] {
  const tokens: TokenSpec[] = [];
  for (const entry of spec.split(/[,\n]/)) {
    const trimmed = entry.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const [name = "", token = "", flag, ...rest] = trimmed.split(":");
    if (rest.length > 0 || (flag !== undefined && flag !== "admin")) {
      throw new Error(`token entry for "${name}" must be name:token or name:token:admin`);
    }
    tokens.push({ name, token, admin: flag === "admin" });
  }
  return tokens;
}

/** Checks each token once at start-up, so a bad entry stops the service instead of locking clients out. */
export class TokenVerifier {
  readonly #entries: { digest: Buffer; principal: Principal }[];

  constructor(tokens: readonly TokenSpec[]) {
    if (tokens.length === 0) {
      throw new Error("no API tokens configured: set MODELAUDIT_TOKENS=name:token[:admin],... or pass tokens");
    }
    const names = new Set<string>();
    this.#entries = tokens.map((spec) => {
      if (!NAME_PATTERN.test(spec.name)) throw new Error(`token name "${spec.name}" must match ${NAME_PATTERN}`);
      if (names.has(spec.name)) throw new Error(`token name "${spec.name}" is used twice`);
      names.add(spec.name);
      if (spec.token.length < MIN_TOKEN_LENGTH || /\s/.test(spec.token)) {
        throw new Error(`the token of "${spec.name}" must be at least ${MIN_TOKEN_LENGTH} characters, no spaces`);
      }
      return { digest: digest(spec.token), principal: { name: spec.name, admin: spec.admin === true } };
    });
  }

  /**
   * The principal of an `Authorization: Bearer <token>` header, or undefined. Compares SHA-256
   * digests (always 32 bytes, so timingSafeEqual never sees unequal lengths) against every entry
   * without stopping early, so the time taken says nothing about which token or prefix matched.
   */
  verify(header: string | undefined): Principal | undefined {
    const match = /^Bearer ([^\s]{1,512})$/.exec(header ?? "");
    const presented = digest(match?.[1] ?? "");
    let found: Principal | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, presented) && match) found = entry.principal;
    }
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/**
 * Per-token request budget: a token bucket of `burst` requests refilled at `perMinute`. In memory,
 * per process (a limit per server, not per fleet).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; updated: number }>();
  readonly #perMinute: number;
  readonly #burst: number;

  constructor(perMinute: number, burst: number = perMinute) {
    this.#perMinute = perMinute;
    this.#burst = burst;
  }

  /** 0 when the request may go ahead, else the seconds to wait. */
  take(key: string, now = Date.now()): number {
    // Many addresses must not grow the map without bound: drop buckets that have refilled anyway.
    if (this.#buckets.size > 10_000) {
      for (const [name, entry] of this.#buckets) {
        if (now - entry.updated > 60_000) this.#buckets.delete(name);
      }
    }
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updated: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updated) / 60_000) * this.#perMinute);
    bucket.updated = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) * 60) / this.#perMinute);
  }
}
