import type { ParseContext } from "@modelaudit/core";
import { ConfigFacts } from "./config-facts.js";
import { childPath } from "./json-path.js";
import { isObject, readJson } from "./read-source.js";

/** Large vocabularies (Gemma's tokenizer.json is ~34 MB) still fit; beyond this is not a tokenizer. */
export const MAX_TOKENIZER_BYTES = 256 * 1024 * 1024;
/** Most vocabulary entries emitted as text facts. */
export const MAX_VOCABULARY_FACTS = 2_000_000;

/** The parse of {@link tokenizerHandler}, imported on the first tokenizer.json. */
export async function parseTokenizer(context: ParseContext): Promise<void> {
  const parsed = await readJson(context, MAX_TOKENIZER_BYTES, "tokenizer.json");
  if (!parsed) return;
  const root = parsed.value;
  if (!isObject(root)) {
    const message = "tokenizer.json: top level is not an object";
    context.emit({ kind: "anomaly", code: "malformed", message });
    context.inconclusive(message);
    return;
  }
  const config = new ConfigFacts(context, "tokenizer.json");
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(root)) {
    if (key === "model" && isObject(value)) {
      emitVocabulary(context, value);
      const { vocab: _vocab, merges: _merges, ...modelRest } = value;
      rest.model = modelRest;
    } else if (key === "added_tokens" && Array.isArray(value)) {
      value.forEach((token, index) => {
        if (isObject(token) && typeof token.content === "string") {
          config.text(token.content, `added_tokens[${index}].content`, "vocabulary");
        }
      });
    } else rest[key] = value;
  }
  config.emitDocument(rest);
}

function emitVocabulary(context: ParseContext, model: Record<string, unknown>): void {
  const vocabulary = model.vocab;
  const key = childPath("model", "vocab");
  let emitted = 0;
  const emit = (token: unknown): boolean => {
    if (typeof token !== "string" || token.length === 0) return true;
    if (emitted >= MAX_VOCABULARY_FACTS) return false;
    if ((++emitted & 0xffff) === 0) context.checkDeadline();
    // No per-token location: the key is enough and keeps a 250k-token vocabulary cheap.
    context.emit({ kind: "text", text: token, key, role: "vocabulary" });
    return true;
  };
  let complete = true;
  if (isObject(vocabulary)) {
    // BPE / WordPiece / WordLevel: token → id.
    for (const token in vocabulary) {
      if (!emit(token)) {
        complete = false;
        break;
      }
    }
  } else if (Array.isArray(vocabulary)) {
    // Unigram: [token, score] pairs.
    for (const entry of vocabulary) {
      if (!emit(Array.isArray(entry) ? entry[0] : undefined)) {
        complete = false;
        break;
      }
    }
  }
  if (!complete) {
    const message = `tokenizer.json: more than ${MAX_VOCABULARY_FACTS} vocabulary entries; the rest were not emitted`;
    context.emit({ kind: "anomaly", code: "limit-exceeded", message, location: { path: key } });
    context.inconclusive(message);
  }
}
