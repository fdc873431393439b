import { createHash } from "node:crypto";

/** Digest algorithms the byte pass computes: SHA-256 always, SHA-512 when a manifest asks for it. */
export type HashAlgorithm = "sha256" | "sha512";

/** Lower-case hex digests of one byte stream. */
export interface Digests {
  sha256: string;
  sha512?: string;
}

/** Every algorithm asked for, over the same chunks (SHA-256 is always among them). */
export function createDigester(algorithms: readonly HashAlgorithm[]): {
  update(chunk: Uint8Array): void;
  digest(): Digests;
} {
  const hashes = [...new Set<HashAlgorithm>(["sha256", ...algorithms])].map(
    (algorithm) => [algorithm, createHash(algorithm)] as const,
  );
  return {
    update: (chunk) => {
      for (const [, hash] of hashes) hash.update(chunk);
    },
    digest: () => {
      const digests: Partial<Digests> = {};
      for (const [algorithm, hash] of hashes) digests[algorithm] = hash.digest("hex");
      return digests as Digests;
    },
  };
}
