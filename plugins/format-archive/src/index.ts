import { definePlugin } from "@modelaudit/core";
import { STREAM_CODECS } from "./compressed/stream-codecs.js";
import { createStreamHandler } from "./compressed/stream-handler.js";
import { sevenZipHandler } from "./seven-zip/seven-zip-handler.js";
import { tarHandler } from "./tar/tar-handler.js";
import { zipHandler } from "./zip/zip-handler.js";

export { STREAM_CODECS } from "./compressed/stream-codecs.js";
export { createStreamHandler, decompressedName } from "./compressed/stream-handler.js";
export { sevenZipHandler } from "./seven-zip/seven-zip-handler.js";
export { tarHandler } from "./tar/tar-handler.js";
export { zipHandler } from "./zip/zip-handler.js";

export const streamHandlers = STREAM_CODECS.map(createStreamHandler);

export default definePlugin({
  meta: { name: "@modelaudit/format-archive", version: __PACKAGE_VERSION__ },
  // The plugin API this package is built for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [zipHandler, tarHandler, sevenZipHandler, ...streamHandlers],
});
