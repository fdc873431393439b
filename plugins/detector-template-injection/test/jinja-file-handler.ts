import type { FormatHandler } from "@modelaudit/core";
import { API_VERSION, definePlugin } from "@modelaudit/core";

/** Test-only handler: a `.jinja` file becomes one `code` fact, as the Hugging Face handler emits it. */
const jinjaFileHandler: FormatHandler = {
  id: "test-jinja-file",
  description: "test-only: .jinja text files as code facts",
  sniff: (input) => input.extension === ".jinja",
  async parse(context) {
    const bytes = await context.source.read(0, context.source.size);
    context.emit({
      kind: "code",
      language: "jinja",
      text: new TextDecoder().decode(bytes),
      location: { path: "template" },
    });
  },
};

export const jinjaFilePlugin = definePlugin({
  meta: { name: "test-jinja-file", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [jinjaFileHandler],
});
