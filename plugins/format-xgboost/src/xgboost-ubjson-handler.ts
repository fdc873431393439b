import { FORMATS, type FormatHandler } from "@modelaudit/core";

const LEARNER = new TextEncoder().encode("learner");

function containsAt(bytes: Uint8Array, needle: Uint8Array, at: number): boolean {
  if (at + needle.length > bytes.length) return false;
  for (let index = 0; index < needle.length; index++) if (bytes[at + index] !== needle[index]) return false;
  return true;
}

/** `Booster.save_model("x.ubj")`: the JSON document in UBJSON, first key `learner`. */
export const xgboostUbjsonHandler: FormatHandler = {
  id: FORMATS.xgboostUbj,
  description: "XGBoost UBJSON model (Booster.save_model to .ubj)",
  sniff({ head }) {
    if (head[0] !== 0x7b /* { */) return false;
    // `{` then an integer-typed key length then "learner": i/U (1 byte), I (2), l (4), L (8).
    const sizes: Record<number, number> = { 105: 1, 85: 1, 73: 2, 108: 4, 76: 8 };
    const size = sizes[head[1] ?? -1];
    if (size === undefined) return false;
    const lengthEnd = 2 + size;
    if (head[lengthEnd - 1] !== LEARNER.length) return false;
    return containsAt(head, LEARNER, lengthEnd);
  },
  async parse(context) {
    const { parseXgboostUbjson } = await import("./xgboost-ubjson-parse.js");
    return parseXgboostUbjson(context);
  },
};
