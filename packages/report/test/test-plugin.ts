import { API_VERSION, BufferSource, CWE_502, definePlugin, defineRule, link } from "@modelaudit/core";

/**
 * A tiny plugin for reporter tests. Files start with "TEST\n"; each further line is one of:
 * `text <value>` (a text fact), `member <name> <value>` (a nested member holding `text <value>`),
 * `truncated` (the handler gives up: inconclusive).
 * The detector reports `test/bad-value` (critical) for values containing BAD and `test/odd-value`
 * (warning) for values containing ODD.
 */
export const testPlugin = definePlugin({
  meta: { name: "modelaudit-plugin-test", version: "1.2.3", namespace: "test" },
  apiVersion: API_VERSION,
  formats: [
    {
      id: "test-format",
      description: "Line-based test format",
      sniff: (input) => new TextDecoder().decode(input.head.subarray(0, 4)) === "TEST",
      parse: async (context) => {
        const text = new TextDecoder().decode(await context.source.read(0, context.source.size));
        let offset = 0;
        for (const [index, line] of text.split("\n").entries()) {
          const [command, ...rest] = line.split(" ");
          if (command === "text") {
            context.emit({
              kind: "text",
              text: rest.join(" "),
              location: { offset: offset + 5, path: `lines[${index}]`, line: index + 1 },
            });
          } else if (command === "member") {
            const [name = "member", ...value] = rest;
            const bytes = new TextEncoder().encode(`TEST\ntext ${value.join(" ")}`);
            await context.scanChild(name, new BufferSource(name, bytes));
          } else if (command === "truncated") {
            context.inconclusive(`record at offset ${offset} is truncated`);
            return;
          }
          offset += line.length + 1;
        }
      },
    },
  ],
  detectors: [
    {
      id: "test-detector",
      description: "Flags BAD and ODD values",
      facts: ["text"],
      rules: ["bad-value", "odd-value"],
      create: (context) => ({
        onFact: (fact, origin) => {
          if (fact.kind !== "text") return;
          if (fact.text.includes("BAD")) {
            context.report({
              rule: "bad-value",
              messageId: "found",
              data: { value: fact.text },
              origin,
              location: fact.location,
              evidence: fact.text.slice(0, 8),
            });
          }
          if (fact.text.includes("ODD")) {
            context.report({ rule: "odd-value", messageId: "odd", data: { value: fact.text }, origin });
          }
        },
      }),
    },
  ],
  rules: {
    "bad-value": defineRule({
      meta: {
        description: "A value marked BAD",
        severity: "critical",
        confidence: 0.95,
        recommended: true,
        remediation: "Remove the BAD value.",
        references: [CWE_502, link("https://example.com/toy-advisory", "Toy advisory")],
        messages: { found: "Found a bad value: {{value}}" },
        docs: { url: "https://example.test/rules#bad-value" },
      },
    }),
    "odd-value": defineRule({
      meta: {
        description: "A value marked ODD",
        severity: "warning",
        confidence: 0.5,
        recommended: true,
        remediation: "Check the ODD value.",
        references: [],
        messages: { odd: "Odd value {{value}}" },
      },
    }),
  },
});

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
