import { createRequire } from "node:module";

/** What this plugin uses of @sigstore/verify, @sigstore/bundle and @sigstore/protobuf-specs. */
export interface SigstoreLibraries {
  verify: {
    Verifier: new (
      trust: unknown,
      options: { tlogThreshold: number; ctlogThreshold: number; timestampThreshold: number },
    ) => { verify(entity: unknown, policy?: SigstorePolicy): SigstoreSigner };
    toSignedEntity(bundle: unknown): unknown;
    toTrustMaterial(
      root: unknown,
      keys: (hint: string) => { publicKey: unknown; validFor(date: Date): boolean },
    ): unknown;
  };
  bundle: { bundleFromJSON(json: unknown): { verificationMaterial: { content: { $case: string } } } };
  specs: { TrustedRoot: { fromJSON(json: unknown): unknown } };
  /** The Sigstore public-good trusted root that `@sigstore/tuf` ships as its TUF seed. */
  publicGoodRoot(): unknown;
}

export interface SigstorePolicy {
  subjectAlternativeName?: string;
  extensions?: { issuer: string };
}

export interface SigstoreSigner {
  identity?: { subjectAlternativeName?: string; extensions?: { issuer?: string } };
}

let libraries: SigstoreLibraries | undefined;

/**
 * The verification libraries `sigstore` itself is built on, reached through its own dependencies:
 * `sigstore`'s `verify()` always fetches the trusted root over TUF, and a scan must verify offline
 * against a root that is shipped or given. (Listing them as direct dependencies is requested.)
 */
export function sigstoreLibraries(): SigstoreLibraries {
  if (libraries) return libraries;
  const fromSigstore = createRequire(createRequire(import.meta.url).resolve("sigstore"));
  const seeds = fromSigstore("@sigstore/tuf/seeds.json") as Record<string, { targets: Record<string, string> }>;
  libraries = {
    verify: fromSigstore("@sigstore/verify"),
    bundle: fromSigstore("@sigstore/bundle"),
    specs: fromSigstore("@sigstore/protobuf-specs"),
    publicGoodRoot() {
      const seed = seeds["https://tuf-repo-cdn.sigstore.dev"]?.targets["trusted_root.json"];
      if (!seed) throw new Error("the Sigstore public-good trusted root is not in @sigstore/tuf's seeds");
      return JSON.parse(Buffer.from(seed, "base64").toString("utf8"));
    },
  };
  return libraries;
}
