import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { verifyDetachedOpenPgp } from "./openpgp-signature.js";
import type { FileSignature, SignatureOptions, SignatureResults } from "./options.js";
import { verifyModelSigningBundle } from "./sigstore-bundle.js";

/** The name model_signing writes its bundle under, in the model folder. */
export const MODEL_SIGNING_BUNDLE = "model.sig";
/** Sigstore bundles of an attestation (SLSA provenance) kept beside the model, as sigstore tools name them. */
const SIGSTORE_BUNDLE_SUFFIX = ".sigstore.json";
const DETACHED = [".sig", ".asc"];
/** Bounds on what the stage looks at: entries walked, and the size of a signature or key file. */
const MAX_ENTRIES = 200_000;
const MAX_SIGNATURE_BYTES = 16 * 1024 * 1024;

/**
 * Verifies, before a scan, every signature found under the targets: OpenSSF model-signing bundles
 * (`model.sig` in a folder) and detached OpenPGP signatures (`<file>.sig` / `<file>.asc`). The results
 * go to the detector through `options.signatures.results`, which compares each signed digest with the
 * bytes the scan reads (so a bundle costs no second read of the model; an OpenPGP signature is over
 * the data itself, so its file is read once more here).
 */
export async function prepareSignatures(
  targets: readonly string[],
  options: SignatureOptions,
): Promise<SignatureResults> {
  const results: SignatureResults = { files: {}, folders: {}, signatureFiles: [] };
  const trust = {
    ...(options.trustedRoot !== undefined && { trustedRoot: JSON.parse(await readBounded(options.trustedRoot)) }),
    publicKeys: await Promise.all(options.publicKeys.map(readBounded)),
    identities: options.identities,
  };
  const openpgpKeys = await Promise.all(options.openpgpKeys.map(readBounded));
  for (const file of await listFiles(targets)) {
    const base = path.basename(file);
    if (base === MODEL_SIGNING_BUNDLE || base.endsWith(SIGSTORE_BUNDLE_SUFFIX)) {
      results.signatureFiles.push(file);
      const folder = path.dirname(file);
      try {
        const json = JSON.parse(await readBounded(file));
        // A bundle of a blob signature (no DSSE statement) signs one file's bytes, which this stage does not read.
        if (!json?.dsseEnvelope) continue;
        // A key-signed bundle can only be checked with the signer's key: without one, the folder is unsigned.
        if (json?.verificationMaterial?.publicKey && trust.publicKeys.length === 0) continue;
        const verified = verifyModelSigningBundle(json, trust);
        for (const [name, sha256] of verified.files) {
          const signed: FileSignature = { kind: verified.kind, signature: file, signer: verified.signer, sha256 };
          results.files[path.join(folder, ...name.split("/"))] = signed;
        }
      } catch (error) {
        results.folders[folder] = { signature: file, invalid: (error as Error).message };
      }
      continue;
    }
    const extension = DETACHED.find((suffix) => base.endsWith(suffix));
    if (!extension) continue;
    const signed = file.slice(0, -extension.length);
    if (!(await stat(signed).catch(() => undefined))?.isFile()) continue;
    results.signatureFiles.push(file);
    // Without the user's OpenPGP keys there is nothing to check a detached signature against.
    if (openpgpKeys.length === 0) continue;
    const signature: FileSignature = { kind: "openpgp", signature: file };
    try {
      const verified = await verifyDetachedOpenPgp(signed, await readFile(file), openpgpKeys);
      signature.signer = verified.signer;
      signature.sha256 = verified.sha256;
    } catch (error) {
      signature.invalid = (error as Error).message;
    }
    results.files[signed] = signature;
  }
  return results;
}

async function readBounded(file: string): Promise<string> {
  const info = await stat(file);
  if (info.size > MAX_SIGNATURE_BYTES) throw new Error(`${file} is larger than ${MAX_SIGNATURE_BYTES} bytes`);
  return readFile(file, "utf8");
}

/** Regular files under the targets (absolute paths); links to folders and `.git` are not entered. */
async function listFiles(targets: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const pending = targets.map((target) => path.resolve(target));
  let entries = 0;
  while (pending.length > 0) {
    const current = pending.pop() as string;
    const info = await stat(current).catch(() => undefined);
    if (info?.isFile()) {
      files.push(current);
      // A file named alone: its detached signature and its folder's bundle sit beside it.
      for (const sibling of [
        ...DETACHED.map((suffix) => current + suffix),
        path.join(path.dirname(current), MODEL_SIGNING_BUNDLE),
      ]) {
        if ((await stat(sibling).catch(() => undefined))?.isFile() && !files.includes(sibling)) files.push(sibling);
      }
      continue;
    }
    if (!info?.isDirectory()) continue;
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      if (++entries > MAX_ENTRIES) return files;
      const child = path.join(current, entry.name);
      if (entry.isDirectory() && entry.name !== ".git") pending.push(child);
      else if (entry.isFile()) files.push(child);
    }
  }
  return files;
}
