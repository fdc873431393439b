import type { CodeFact } from "@modelaudit/core";
import { collectNames, summarizeCode } from "./code-summary.js";
import { MarshalError, readMarshalCode } from "./marshal-reader.js";

/** Lambda bytecode is a few KiB; anything past this is not a real Lambda. */
export const MAX_LAMBDA_BASE64 = 16 * 1024 * 1024;

export type LambdaDecoding = { ok: true; fact: CodeFact } | { ok: false; reason: string };

/**
 * Decodes what Keras' `func_dump` stores: base64 (with the newlines `codecs.encode` inserts) of a
 * marshalled code object. Never runs it: the result is a code fact for the detectors to judge.
 */
export function decodeLambda(encoded: string, path: string): LambdaDecoding {
  if (encoded.length > MAX_LAMBDA_BASE64) {
    return { ok: false, reason: `bytecode is ${encoded.length} characters, over the ${MAX_LAMBDA_BASE64} bound` };
  }
  const compact = encoded.replace(/\s+/g, "");
  if (compact.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    return { ok: false, reason: "bytecode is not valid base64" };
  }
  const bytes = new Uint8Array(Buffer.from(compact, "base64"));
  try {
    const { code, trailing } = readMarshalCode(bytes);
    let text = summarizeCode(code);
    if (trailing > 0) text += `\n(${trailing} bytes after the code object)`;
    return {
      ok: true,
      fact: { kind: "code", language: "python-bytecode", text, names: collectNames(code), location: { path } },
    };
  } catch (error) {
    if (error instanceof MarshalError)
      return { ok: false, reason: `marshal data could not be decoded: ${error.message}` };
    throw error;
  }
}
