import type { FormatHandler } from "@modelaudit/core";
import { API_VERSION, definePlugin } from "@modelaudit/core";
import type { Report } from "@modelaudit/core/engine";
import { scanBytes } from "@modelaudit/core/testing";
import plugin from "../src/index.js";

/**
 * Test-only handler: a `.py` file becomes a python `code` fact, a `.ts-code` file a torchscript one
 * and a `.names` file (one name per line) python-bytecode, as the real handlers emit them.
 */
const codeFileHandler: FormatHandler = {
  id: "test-code-file",
  description: "test-only: code files as code facts",
  sniff: (input) => [".py", ".ts-code", ".names"].includes(input.extension),
  async parse(context) {
    const text = new TextDecoder().decode(await context.source.read(0, context.source.size));
    const name = context.memberChain.at(-1) ?? context.file;
    const path = name.slice(name.lastIndexOf("/") + 1);
    if (path.endsWith(".names")) {
      const names = text.split("\n").filter((line) => line.length > 0);
      context.emit({
        kind: "code",
        language: "python-bytecode",
        text: `names: ${names.join(", ")}`,
        names,
        location: { path },
      });
    } else {
      context.emit({
        kind: "code",
        language: path.endsWith(".py") ? "python" : "torchscript",
        text,
        location: { path },
      });
    }
  },
};

export const codeFilePlugin = definePlugin({
  meta: { name: "test-code-file", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [codeFileHandler],
});

export type TestLanguage = "python" | "torchscript" | "python-bytecode";

const EXTENSIONS: Record<TestLanguage, string> = {
  python: "case.py",
  torchscript: "case.ts-code",
  "python-bytecode": "case.names",
};

/** Scans code through the engine with the jit plugin and the test-only handler. */
export function scanCode(code: string, language: TestLanguage = "python"): Promise<Report> {
  return scanBytes(EXTENSIONS[language], new TextEncoder().encode(code), [codeFilePlugin, plugin]);
}
