import { API_VERSION, definePlugin, defineRule, type FormatHandler } from "../src/plugin.js";
import { CWE_502 } from "../src/references.js";
import { BufferSource, SliceSource } from "../src/source.js";

const decoder = new TextDecoder();

/**
 * A toy format for engine tests: text files starting with "TOY". Each following line is a command:
 * `import <module> <name>` emits an import fact, `nest <text>` scans <text> as a nested source,
 * `loop` spins until the deadline, `throw` throws, `limit` reports inconclusive.
 */
export const toyHandler: FormatHandler = {
  id: "toy",
  description: "test format",
  sniff: (input) => decoder.decode(input.head.subarray(0, 3)) === "TOY",
  async parse(context) {
    const text = decoder.decode(await context.source.read(0, context.source.size));
    let offset = 0;
    for (const line of text.split("\n").slice(1)) {
      const [command, ...rest] = line.split(" ");
      if (command === "import") {
        context.emit({
          kind: "import",
          module: rest[0] ?? null,
          name: rest[1] ?? null,
          via: "toy",
          location: { offset },
        });
      } else if (command === "nest") {
        await context.scanChild(
          `nested@${offset}`,
          new BufferSource("nested", new TextEncoder().encode(rest.join(" ").replaceAll("\\n", "\n"))),
        );
      } else if (command === "slice") {
        const start = Number(rest[0]);
        const length = Number(rest[1]);
        await context.scanChild(`slice@${start}`, new SliceSource("slice", context.source, start, length));
      } else if (command === "tensor") {
        const start = Number(rest[0]);
        const length = Number(rest[1]);
        context.emit({
          kind: "tensor",
          name: "t",
          dtype: "f32",
          formatDtype: "F32",
          byteOrder: "little",
          shape: [length / 4],
          data: { offset: start, length },
        });
      } else if (command === "loop") {
        for (;;) context.checkDeadline();
      } else if (command === "throw") {
        throw new Error("toy parser exploded");
      } else if (command === "limit") {
        context.inconclusive("toy limit hit");
      }
      offset += line.length + 1;
    }
  },
};

export const toyPlugin = definePlugin({
  meta: { name: "toy-plugin", version: "1.2.3", namespace: "toy" },
  apiVersion: API_VERSION,
  formats: [toyHandler],
  detectors: [
    {
      id: "toy-detector",
      description: "flags imports of module evil",
      facts: ["import"],
      rules: ["evil-import", "never-fires"],
      create: (context) => ({
        onFact(fact, origin) {
          if (fact.kind === "import" && fact.module === "evil") {
            context.report({
              rule: "evil-import",
              messageId: "evilImport",
              data: { name: `${fact.module}.${fact.name}` },
              origin,
              location: fact.location,
            });
          }
        },
      }),
    },
  ],
  rules: {
    "evil-import": defineRule({
      meta: {
        description: "imports from module evil",
        severity: "critical",
        confidence: 0.9,
        recommended: true,
        remediation: "do not load it",
        references: [CWE_502],
        messages: { evilImport: "{{name}} is evil" },
      },
    }),
    "never-fires": defineRule({
      meta: {
        description: "never fires",
        severity: "info",
        confidence: 0.5,
        recommended: true,
        remediation: "nothing",
        references: [],
        messages: { never: "never" },
      },
    }),
  },
});
