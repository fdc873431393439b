import path from "node:path";
import { type Detector, type Origin, ruleNames } from "@modelaudit/core";
import { readOptions } from "../options.js";
import signature from "../rules/signature.js";
import type { SignatureOptions } from "./options.js";

// Options are the same object for every artifact of a scan: read them once.
const cache = new WeakMap<object, SignatureOptions>();

function signatureOptions(raw: Readonly<Record<string, unknown>>): SignatureOptions {
  let options = cache.get(raw);
  if (!options) {
    options = readOptions(raw).signatures;
    cache.set(raw, options);
  }
  return options;
}

/** The rules this detector reports, each written once (its file); the plugin registers the same list. */
export const SIGNATURE_RULES = [signature];

/**
 * Judges each file against the signatures the CLI verified before the scan (options.signatures.results):
 * the digest a signature vouches for must be the SHA-256 the scan computed in its one pass.
 */
export const signatureDetector: Detector = {
  id: "signatures",
  description:
    "Compares each file with the model-signing bundles and detached OpenPGP signatures verified before the scan: " +
    "invalid or mismatching signatures are critical, unsigned files a warning when signatures are required, and " +
    "valid ones a passed check naming the signer.",
  facts: [],
  rules: ruleNames(SIGNATURE_RULES),
  create(context) {
    const options = signatureOptions(context.options);
    return {
      finish(artifact) {
        const origin: Origin = { file: artifact.file, memberChain: [], formats: artifact.formats };
        const results = options.results;
        if (!results) {
          if (options.required) {
            context.inconclusive(
              "signatures are required but were not verified (the modelaudit CLI verifies them)",
              origin,
            );
          }
          return;
        }
        const file = path.resolve(artifact.file);
        if (results.signatureFiles.includes(file)) return;
        const folder = Object.keys(results.folders)
          .filter((candidate) => file.startsWith(candidate + path.sep))
          .sort((left, right) => right.length - left.length)[0];
        const signed = results.files[file];
        if (folder !== undefined) {
          const bundle = results.folders[folder] as { signature: string; invalid: string };
          context.report({
            rule: "signature",
            messageId: "invalid",
            data: { kind: "model-signing", signature: bundle.signature, reason: bundle.invalid },
            origin,
          });
        }
        if (signed?.invalid !== undefined) {
          context.report({
            rule: "signature",
            messageId: "invalid",
            data: { kind: signed.kind, signature: signed.signature, reason: signed.invalid },
            origin,
          });
        } else if (signed && artifact.sha256 !== null) {
          const signer = signed.signer ?? "unknown";
          if (signed.sha256 !== artifact.sha256) {
            context.report({
              rule: "signature",
              messageId: "changed",
              data: {
                actual: artifact.sha256,
                expected: signed.sha256 ?? "unknown",
                signature: signed.signature,
                signer,
              },
              origin,
              evidence: artifact.sha256,
            });
          } else if (folder === undefined) {
            context.note?.({
              rule: "signature",
              messageId: "signedBy",
              data: { signer, kind: signed.kind, signature: signed.signature },
            });
          }
        } else if (!signed && folder === undefined && options.required) {
          context.report({ rule: "signature", messageId: "unsigned", origin, severity: "warning" });
        }
      },
    };
  },
};
