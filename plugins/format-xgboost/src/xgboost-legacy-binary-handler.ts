import { FORMATS, type FormatHandler } from "@modelaudit/core";

/**
 * The legacy binary XGBoost model (`save_model("x.model")` / `.bst` before 2.0, `save_raw()`); the
 * struct reader is imported on the first one. LearnerModelParam is 136 bytes, then the objective name.
 */
export const LEARNER_PARAM = 136;
const BOOSTERS = new Set(["gbtree", "gblinear", "dart"]);

function readShortName(bytes: Uint8Array, at: number): string | null {
  if (at + 8 > bytes.length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(at, true);
  if (length < 1n || length > 64n) return null;
  const end = at + 8 + Number(length);
  if (end > bytes.length) return null;
  for (let index = at + 8; index < end; index++) {
    const byte = bytes[index]!;
    if (byte < 0x20 || byte > 0x7e) return null;
  }
  return String.fromCharCode(...bytes.subarray(at + 8, end));
}

/** The layout is only recognisable by content: an objective name then a booster name at fixed offsets. */
function looksLikeLegacyModel(head: Uint8Array): boolean {
  const base = head[0] === 0x62 && head[1] === 0x69 && head[2] === 0x6e && head[3] === 0x66 ? 4 : 0;
  const objective = readShortName(head, base + LEARNER_PARAM);
  if (!objective?.includes(":")) return false;
  const booster = readShortName(head, base + LEARNER_PARAM + 8 + objective.length);
  return booster !== null && BOOSTERS.has(booster);
}

export const xgboostLegacyBinaryHandler: FormatHandler = {
  id: FORMATS.xgboostBinary,
  description: "Legacy binary XGBoost model (.model / .bst, save_raw)",
  sniff: ({ head }) => looksLikeLegacyModel(head),
  async parse(context) {
    const { parseXgboostLegacyBinary } = await import("./xgboost-legacy-binary-parse.js");
    return parseXgboostLegacyBinary(context);
  },
};
