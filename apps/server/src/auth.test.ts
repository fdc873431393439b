import { describe, expect, it } from "vitest";
import { parseTokens, RateLimiter, TokenVerifier } from "./auth.js";

describe("tokens", () => {
  it("parses name:token[:admin] lists and files", () => {
    expect(parseTokens("ci:aaaaaaaaaaaaaaaa, ops:bbbbbbbbbbbbbbbb:admin\n# comment\n")).toEqual([
      { name: "ci", token: "aaaaaaaaaaaaaaaa", admin: false },
      { name: "ops", token: "bbbbbbbbbbbbbbbb", admin: true },
    ]);
    expect(() => parseTokens("ci:aaaaaaaaaaaaaaaa:root")).toThrow(/name:token:admin/);
  });

  it("verifies bearer headers and refuses weak or duplicate tokens", () => {
    const verifier = new TokenVerifier([
      { name: "ci", token: "aaaaaaaaaaaaaaaa" },
      { name: "ops", token: "bbbbbbbbbbbbbbbb", admin: true },
    ]);
    expect(verifier.verify("Bearer aaaaaaaaaaaaaaaa")).toEqual({ name: "ci", admin: false });
    expect(verifier.verify("Bearer bbbbbbbbbbbbbbbb")).toEqual({ name: "ops", admin: true });
    for (const header of [undefined, "", "Bearer ", "bearer aaaaaaaaaaaaaaaa", "Bearer aaaaaaaaaaaaaaa", "Basic x"]) {
      expect(verifier.verify(header)).toBeUndefined();
    }
    expect(() => new TokenVerifier([])).toThrow(/no API tokens/);
    expect(() => new TokenVerifier([{ name: "ci", token: "short" }])).toThrow(/16 characters/);
    expect(() => new TokenVerifier([{ name: "bad name", token: "aaaaaaaaaaaaaaaa" }])).toThrow(/must match/);
    expect(
      () =>
        new TokenVerifier([
          { name: "ci", token: "aaaaaaaaaaaaaaaa" },
          { name: "ci", token: "cccccccccccccccc" },
        ]),
    ).toThrow(/twice/);
  });
});

describe("RateLimiter", () => {
  it("allows a burst, then refills at the configured rate per key", () => {
    const limiter = new RateLimiter(60, 2);
    expect([limiter.take("a", 0), limiter.take("a", 0), limiter.take("a", 0)]).toEqual([0, 0, 1]);
    expect(limiter.take("b", 0)).toBe(0);
    expect(limiter.take("a", 1_000)).toBe(0);
    expect(limiter.take("a", 1_000)).toBeGreaterThan(0);
  });
});
