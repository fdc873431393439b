import { definePlugin } from "@modelaudit/core";
import { configHandler, generationConfigHandler } from "./config-handlers.js";
import { jinjaTemplateHandler } from "./jinja-template-handler.js";
import { lfsPointerHandler } from "./lfs-pointer-handler.js";
import { modelCardHandler } from "./model-card-handler.js";
import { pythonSourceHandler } from "./python-source-handler.js";
import { tokenizerConfigHandler } from "./tokenizer-config-handler.js";
import { tokenizerHandler } from "./tokenizer-handler.js";

export { type LfsPointer, MAX_POINTER_BYTES, parseLfsPointer } from "./lfs-pointer-handler.js";
export { classifyJson, type JsonFileKind } from "./text-sniff.js";
export {
  configHandler,
  generationConfigHandler,
  jinjaTemplateHandler,
  lfsPointerHandler,
  modelCardHandler,
  pythonSourceHandler,
  tokenizerConfigHandler,
  tokenizerHandler,
};

export default definePlugin({
  meta: { name: "@modelaudit/format-huggingface", version: __PACKAGE_VERSION__ },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [
    configHandler,
    tokenizerConfigHandler,
    tokenizerHandler,
    generationConfigHandler,
    modelCardHandler,
    pythonSourceHandler,
    lfsPointerHandler,
    jinjaTemplateHandler,
  ],
});
