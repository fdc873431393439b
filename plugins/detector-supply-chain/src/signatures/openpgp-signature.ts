import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Readable, Transform } from "node:stream";

export interface OpenPgpResult {
  /** `Name <email> (key 0123456789abcdef)`. */
  signer: string;
  /** SHA-256 of the bytes that were verified, so the scan can tell they are the bytes it read. */
  sha256: string;
}

/**
 * Verifies a detached OpenPGP signature (armored `.asc` or binary `.sig`) of a file against the
 * public keys the user gave. The signed data is streamed once through both openpgp and SHA-256.
 * Throws why it does not verify.
 */
export async function verifyDetachedOpenPgp(
  file: string,
  signatureBytes: Uint8Array,
  armoredKeys: readonly string[],
): Promise<OpenPgpResult> {
  if (armoredKeys.length === 0) throw new Error("no OpenPGP public key was given to check it with");
  // Loaded when a signature is checked: a scan that verifies none never compiles openpgp.
  const openpgp = await import("openpgp");
  const keys = (
    await Promise.all(armoredKeys.map((armoredKey) => openpgp.readKeys({ armoredKeys: armoredKey })))
  ).flat();
  const text = Buffer.from(signatureBytes.subarray(0, 64)).toString("latin1");
  const signature = text.includes("-----BEGIN PGP SIGNATURE-----")
    ? await openpgp.readSignature({ armoredSignature: Buffer.from(signatureBytes).toString("utf8") })
    : await openpgp.readSignature({ binarySignature: signatureBytes });
  const hash = createHash("sha256");
  const hashed = createReadStream(file).pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    }),
  );
  const message = await openpgp.createMessage({
    binary: Readable.toWeb(hashed) as unknown as ReadableStream<Uint8Array>,
  });
  const result = await openpgp.verify({ message, signature, verificationKeys: keys, format: "binary" });
  // Streamed verification completes only once the data has been read to its end.
  const reader = (result.data as ReadableStream<Uint8Array>).getReader();
  while (!(await reader.read()).done) {
    // drain
  }
  const [first] = result.signatures;
  if (!first) throw new Error("the signature file holds no signature");
  await first.verified; // throws when the signature does not verify
  const key = keys.find((candidate) => candidate.getKeys(first.keyID).length > 0);
  const user = key?.getUserIDs()[0];
  return { signer: `${user ?? "an unnamed key"} (key ${first.keyID.toHex()})`, sha256: hash.digest("hex") };
}
