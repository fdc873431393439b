import { describe, expect, it } from "vitest";
import { redisTarget } from "./redis-queue.js";

describe("redisTarget", () => {
  it("reads host, port, credentials, database and TLS from the URL", () => {
    expect(redisTarget("redis://127.0.0.1:6390")).toEqual({ host: "127.0.0.1", port: 6390 });
    expect(redisTarget("redis://localhost")).toEqual({ host: "localhost", port: 6379 });
    expect(redisTarget("rediss://user:p%40ss@redis.internal:7000/3")).toEqual({
      host: "redis.internal",
      port: 7000,
      username: "user",
      password: "p@ss",
      db: 3,
      tls: true,
    });
    expect(redisTarget("redis://[::1]:6379")).toMatchObject({ host: "::1" });
  });

  it("refuses other schemes and a database that is not a number", () => {
    expect(() => redisTarget("http://127.0.0.1:6379")).toThrow(/redis:\/\//);
    expect(() => redisTarget("redis://127.0.0.1:6379/x")).toThrow(/number/);
  });
});
