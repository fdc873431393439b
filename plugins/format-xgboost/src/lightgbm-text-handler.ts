import { FORMATS, type FormatHandler } from "@modelaudit/core";
import { headText } from "./read-model-bytes.js";

/** LightGBM text models (`Booster.save_model("model.txt")`); the line parser is imported on the first one. */
export const lightgbmTextHandler: FormatHandler = {
  id: FORMATS.lightgbmText,
  description: "LightGBM text model (Booster.save_model)",
  sniff({ head }) {
    const text = headText(head, 512);
    return /^tree\r?\n/.test(text) && /\nversion=v\d/.test(text);
  },
  async parse(context) {
    const { parseLightgbmText } = await import("./lightgbm-text-parse.js");
    return parseLightgbmText(context);
  },
};
