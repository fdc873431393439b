import { createHash, createPublicKey } from "node:crypto";
import { describeBuildProvenance, readBuildProvenance } from "../provenance/build-provenance.js";
import { readSignedStatement, type SignedResources } from "./model-signing-statement.js";
import { type SigstorePolicy, type SigstoreSigner, sigstoreLibraries } from "./sigstore-libraries.js";

/** Who may sign: a certificate identity (email or URI) and the OIDC issuer that vouched for it. */
export interface SignerIdentity {
  identity: string;
  issuer: string;
}

export interface BundleTrust {
  /** A Sigstore trusted_root.json (parsed); the public-good root shipped with sigstore when absent. */
  trustedRoot?: unknown;
  /** PEM public keys for bundles signed with a key (model_signing's key method). */
  publicKeys: readonly string[];
  /** Accepted certificate signers; empty accepts any identity the trusted root's CAs certified. */
  identities: readonly SignerIdentity[];
}

export interface VerifiedBundle extends SignedResources {
  /** What the bundle signs: a model-signing statement, or SLSA build provenance of the files. */
  kind: "model-signing" | "slsa-provenance";
  /** Who signed, for the report: `signer@example.com (issuer https://…)` or `key sha256:<hint>`. */
  signer: string;
}

/**
 * Verifies an OpenSSF model-signing bundle offline: the DSSE signature, the certificate chain to a CA
 * of the trusted root, the transparency-log entry (inclusion promise or proof, under the root's log
 * keys) and the signer's identity and issuer; or, for a key-signed bundle, the signature under a key
 * the user gave. Then reads the statement and recomputes its subject; a SLSA provenance statement
 * instead vouches for its subjects and names its builder and source. Throws why it does not verify.
 */
export function verifyModelSigningBundle(json: unknown, trust: BundleTrust): VerifiedBundle {
  const { verify, bundle: bundles, specs, publicGoodRoot } = sigstoreLibraries();
  const bundle = bundles.bundleFromJSON(json);
  const keyed = bundle.verificationMaterial.content.$case === "publicKey";
  const rootJson = trust.trustedRoot ?? publicGoodRoot();
  const root = specs.TrustedRoot.fromJSON(rootJson);
  const keys = new Map(trust.publicKeys.map((pem) => [createHash("sha256").update(pem).digest("hex"), pem]));
  const material = verify.toTrustMaterial(root, (hint) => {
    // model_signing's hint is the SHA-256 of the key's PEM; a single given key also serves an empty hint.
    const pem = keys.get(hint) ?? (hint === "" && keys.size === 1 ? [...keys.values()][0] : undefined);
    if (pem === undefined) throw new Error(`no public key given for the bundle's key hint ${hint || "(none)"}`);
    return { publicKey: createPublicKey(pem), validFor: () => true };
  });
  const ctlogs = (rootJson as { ctlogs?: unknown[] }).ctlogs?.length ?? 0;
  const verifier = new verify.Verifier(
    material,
    keyed
      ? { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }
      : { tlogThreshold: 1, ctlogThreshold: ctlogs > 0 ? 1 : 0, timestampThreshold: 1 },
  );
  const entity = verify.toSignedEntity(bundle);
  let signer: string;
  if (keyed) {
    verifier.verify(entity);
    const hint = (json as { verificationMaterial?: { publicKey?: { hint?: string } } }).verificationMaterial?.publicKey
      ?.hint;
    signer = `the key with hint ${hint || "(none)"}`;
  } else {
    signer = describe(verifyIdentity(verifier, entity, trust.identities));
  }
  const envelope = (json as { dsseEnvelope?: { payload?: unknown; payloadType?: unknown } }).dsseEnvelope;
  if (!envelope) throw new Error("the bundle holds no DSSE envelope (a model-signing bundle signs a statement)");
  // A verified SLSA provenance attestation vouches for its subjects and says who built them, from what.
  const build = readBuildProvenance(json);
  if (build) {
    const files = new Map(
      build.subjects.flatMap((subject) => (subject.sha256 ? [[subject.name, subject.sha256] as const] : [])),
    );
    return { kind: "slsa-provenance", signer: `${signer}; ${describeBuildProvenance(build)}`, files, ignorePaths: [] };
  }
  return { kind: "model-signing", signer, ...readSignedStatement(envelope) };
}

/** The first accepted identity the certificate matches; every policy failure otherwise, in one message. */
function verifyIdentity(
  verifier: { verify(entity: unknown, policy?: SigstorePolicy): SigstoreSigner },
  entity: unknown,
  identities: readonly SignerIdentity[],
): SigstoreSigner {
  if (identities.length === 0) return verifier.verify(entity);
  const failures: string[] = [];
  for (const { identity, issuer } of identities) {
    try {
      return verifier.verify(entity, { subjectAlternativeName: identity, extensions: { issuer } });
    } catch (error) {
      // Only a policy mismatch means "another signer": a bad signature or chain fails for every identity.
      if ((error as { code?: string }).code !== "UNTRUSTED_SIGNER_ERROR") throw error;
      failures.push((error as Error).message);
    }
  }
  throw new Error(`the signer is none of the accepted identities: ${failures.join("; ")}`);
}

function describe(signer: SigstoreSigner): string {
  const identity = signer.identity?.subjectAlternativeName ?? "an unnamed certificate";
  const issuer = signer.identity?.extensions?.issuer;
  return issuer ? `${identity} (issuer ${issuer})` : identity;
}
