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
 * The verification libraries `sigstore` itself is built on (its `verify()` always fetches the trusted
 * root over TUF; a scan verifies offline against a root that is shipped or given). Loaded on first
 * use, so a scan that verifies no signature never pays for compiling them.
 */
export function sigstoreLibraries(): SigstoreLibraries {
  if (libraries) return libraries;
  const load = createRequire(import.meta.url);
  // The public-good root ships as the seed of sigstore's TUF client (`@sigstore/tuf`, a dependency of `sigstore`).
  const fromSigstore = createRequire(load.resolve("sigstore"));
  const seeds = fromSigstore("@sigstore/tuf/seeds.json") as Record<string, { targets: Record<string, string> }>;
  libraries = {
    verify: load("@sigstore/verify"),
    bundle: load("@sigstore/bundle"),
    specs: load("@sigstore/protobuf-specs"),
    publicGoodRoot() {
      const seed = seeds["https://tuf-repo-cdn.sigstore.dev"]?.targets["trusted_root.json"];
      if (!seed) throw new Error("the Sigstore public-good trusted root is not in @sigstore/tuf's seeds");
      return JSON.parse(Buffer.from(seed, "base64").toString("utf8"));
    },
  };
  return libraries;
}
