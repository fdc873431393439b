import {
  API_VERSION,
  BufferSource,
  CWE_502,
  definePlugin,
  type Fact,
  type Finding,
  type FormatHandler,
} from "@modelaudit/core";
import type { Config } from "@modelaudit/core/engine";
import { scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import { MAX_DISTINCT_PER_RULE } from "../src/detector.js";
import codeExecution from "../src/index.js";

/**
 * A test-only format: `FACTS\n` then JSON `{ facts: Fact[], children?: { name, facts }[] }`. It turns
 * a description into the facts a real handler (pickle, Keras, TorchScript) would emit.
 */
interface Description {
  facts: Fact[];
  children?: { name: string; facts: Fact[] }[];
}

const MAGIC = "FACTS\n";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function encode(description: Description): Uint8Array {
  return encoder.encode(MAGIC + JSON.stringify(description));
}

const factsHandler: FormatHandler = {
  id: "test-facts",
  description: "Test-only: emits the facts a JSON description lists.",
  sniff: (input) => decoder.decode(input.head.subarray(0, MAGIC.length)) === MAGIC,
  async parse(context) {
    const bytes = await context.source.read(0, context.source.size);
    const description = JSON.parse(decoder.decode(bytes).slice(MAGIC.length)) as Description;
    for (const fact of description.facts) context.emit(fact);
    for (const child of description.children ?? []) {
      await context.scanChild(child.name, new BufferSource(child.name, encode({ facts: child.facts })));
    }
  },
};

const testPlugin = definePlugin({
  meta: { name: "test-facts-format", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [factsHandler],
});

async function scanFacts(description: Description, config: Config = {}): Promise<Finding[]> {
  const report = await scanBytes("model.facts", encode(description), [testPlugin, codeExecution], config);
  expect(report.files[0]?.formats).toContain("test-facts");
  return report.findings;
}

function importFact(module: string | null, name: string | null, offset: number, via = "STACK_GLOBAL"): Fact {
  return { kind: "import", module, name, via, location: { offset, opcode: via } };
}

function callFact(module: string | null, name: string | null, offset: number, extra: Partial<Fact> = {}): Fact {
  return {
    kind: "call",
    callee: { module, name },
    via: "REDUCE",
    location: { offset, opcode: "REDUCE" },
    ...extra,
  } as Fact;
}

describe("code-execution detector", () => {
  it("reports a dangerous global once per origin with the first location and the count", async () => {
    const findings = await scanFacts({
      facts: [
        importFact("posix", "system", 2),
        callFact("posix", "system", 30, { args: ["touch /tmp/pwned"] } as Partial<Fact>),
        importFact("posix", "system", 40),
      ],
    });
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      ruleId: "code-execution/dangerous-global",
      severity: "critical",
      messageId: "dangerousGlobal",
      message:
        "posix.system is imported and called via STACK_GLOBAL, REDUCE: it runs shell commands or starts processes.",
      location: { offset: 2, opcode: "STACK_GLOBAL" },
      memberChain: [],
    });
    expect(finding?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(finding?.evidence).toContain("touch /tmp/pwned");
    expect(finding?.evidence).toContain("2 imports, 1 call");
    expect(finding?.remediation).toMatch(/weights_only=True/);
    expect(finding?.references).toContainEqual(CWE_502);
  });

  it("leaves a nested loader of constant bytes scanned as a child to the child's findings", async () => {
    const loader = ["torch.storage", "_load_from_bytes"] as const;
    const judged = await scanFacts({
      facts: [callFact(...loader, 40, { loadsChild: "bytes@20", args: ["<335 bytes>"] } as Partial<Fact>)],
    });
    expect(judged).toEqual([]);
    // Without the child (bytes not read as one, or another argument) it is a nested loader as before.
    const bare = await scanFacts({ facts: [importFact(...loader, 2), callFact(...loader, 40)] });
    expect(bare.map((finding) => [finding.ruleId, finding.severity])).toEqual([
      ["code-execution/dangerous-global", "critical"],
    ]);
    // A child is no excuse for a callee that is dangerous for another reason.
    const other = await scanFacts({
      facts: [callFact("os", "system", 40, { loadsChild: "bytes@20" } as Partial<Fact>)],
    });
    expect(other.map((finding) => finding.ruleId)).toEqual(["code-execution/dangerous-global"]);
  });

  it("explains a dotted-name bypass through its attribute chain", async () => {
    const findings = await scanFacts({ facts: [importFact("pathlib", "os.system", 7)] });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: "code-execution/dangerous-global",
      severity: "critical",
      messageId: "dangerousAttributeChain",
      message:
        "pathlib.os.system is imported via STACK_GLOBAL and resolves through its attribute chain to os.system, which runs shell commands or starts processes.",
      location: { offset: 7 },
    });
  });

  it("reports unresolvable callees and imports with the parser's reason", async () => {
    const findings = await scanFacts({
      facts: [
        {
          kind: "call",
          callee: { module: null, name: null, unresolvedReason: "memo miss" },
          via: "REDUCE",
          location: { offset: 12, opcode: "REDUCE" },
        },
        {
          kind: "import",
          module: null,
          name: null,
          via: "EXT1",
          unresolvedReason: "extension code 240",
          location: { offset: 3, opcode: "EXT1" },
        },
        {
          kind: "import",
          module: "torch._utils",
          name: null,
          via: "STACK_GLOBAL",
          unresolvedReason: "name operand is not a string",
          location: { offset: 98 },
        },
      ],
    });
    const unresolved = findings.filter((finding) => finding.ruleId === "code-execution/unresolved-callable");
    // The report orders findings itself; compare as sets.
    expect(unresolved.map((finding) => finding.message).sort()).toEqual([
      "The callable applied via REDUCE cannot be resolved statically (memo miss): the loader would call whatever it turns out to be.",
      "The global imported via EXT1 cannot be resolved statically (extension code 240): the loader would import whatever it turns out to be.",
      "The global imported via STACK_GLOBAL cannot be resolved statically (name operand is not a string; module torch._utils): the loader would import whatever it turns out to be.",
    ]);
    expect(unresolved.every((finding) => finding.severity === "critical")).toBe(true);
    const call = unresolved.find((finding) => finding.messageId === "unresolvedCall");
    expect(call?.location).toEqual({ offset: 12, opcode: "REDUCE" });
  });

  it("warns about globals off the allowlist, including implausible module names", async () => {
    const findings = await scanFacts({
      facts: [importFact("__main__", "MyModel", 5, "GLOBAL"), callFact("PEDRA 2020", "x", 9)],
    });
    expect(findings.map((finding) => [finding.ruleId, finding.severity, finding.messageId, finding.message])).toEqual([
      [
        "code-execution/non-allowlisted-global",
        "warning",
        "notAllowlisted",
        "__main__.MyModel is imported via GLOBAL and is not on the allowlist of known-safe ML globals: loading the file imports and runs it.",
      ],
      [
        "code-execution/non-allowlisted-global",
        "warning",
        "implausibleModule",
        'PEDRA 2020.x is called via REDUCE, but "PEDRA 2020" is not a valid Python module path: the file names something no normal serializer writes.',
      ],
    ]);
  });

  it("stays silent on an ordinary torch checkpoint's globals", async () => {
    const findings = await scanFacts({
      facts: [
        importFact("collections", "OrderedDict", 2, "GLOBAL"),
        importFact("torch._utils", "_rebuild_tensor_v2", 30, "GLOBAL"),
        importFact("torch", "FloatStorage", 60, "GLOBAL"),
        callFact("torch._utils", "_rebuild_tensor_v2", 90),
        callFact("collections", "OrderedDict", 120),
        importFact("_codecs", "encode", 150, "GLOBAL"),
      ],
    });
    expect(findings).toEqual([]);
  });

  it("reports parser differentials as critical, one per distinct detail", async () => {
    const findings = await scanFacts({
      facts: [
        {
          kind: "anomaly",
          code: "parser-differential",
          message: "BINBYTES at 40 crosses the FRAME ending at 44",
          location: { offset: 40, opcode: "BINBYTES" },
        },
        {
          kind: "anomaly",
          code: "parser-differential",
          message: "BINBYTES at 40 crosses the FRAME ending at 44",
          location: { offset: 90 },
        },
        { kind: "anomaly", code: "truncated", message: "stream ends early" },
      ],
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: "code-execution/parser-differential",
      severity: "critical",
      message:
        "Parsers would disagree about these bytes: BINBYTES at 40 crosses the FRAME ending at 44. A scanner that reads them one way can miss what the loader runs.",
      location: { offset: 40, opcode: "BINBYTES" },
      evidence: "2 occurrences",
    });
  });

  it("keeps findings of each archive member apart", async () => {
    const findings = await scanFacts({
      facts: [importFact("builtins", "eval", 1)],
      children: [
        { name: "archive/data.pkl", facts: [importFact("builtins", "eval", 11)] },
        { name: "archive/other.pkl", facts: [importFact("builtins", "eval", 21), importFact("builtins", "eval", 31)] },
      ],
    });
    const chains = findings.map((finding) => [finding.memberChain.join(" > "), finding.location?.offset]);
    expect(chains).toEqual([
      ["", 1],
      ["archive/data.pkl", 11],
      ["archive/other.pkl", 21],
    ]);
  });

  it("escapes control characters a hostile file puts into names", async () => {
    const findings = await scanFacts({ facts: [importFact("evil\u001b[2J", "x\u202eyz", 0)] });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain("evil\\u001b[2J.x\\u202eyz");
    expect(findings[0]?.message).not.toMatch(/[\u001b\u202e]/);
  });

  it("applies options.allow and options.deny", async () => {
    const config: Config = {
      options: { "code-execution": { allow: ["__main__:MyModel", "os.system"], deny: ["mypackage.unsafe.*"] } },
    };
    const findings = await scanFacts(
      {
        facts: [
          importFact("__main__", "MyModel", 1),
          importFact("os", "system", 2),
          importFact("mypackage.unsafe.tools", "run", 3),
        ],
      },
      config,
    );
    expect(findings.map((finding) => [finding.ruleId, finding.location?.offset])).toEqual([
      ["code-execution/dangerous-global", 2],
      ["code-execution/dangerous-global", 3],
    ]);
    expect(findings[1]?.message).toBe(
      "mypackage.unsafe.tools.run is imported via STACK_GLOBAL: it is on this scan's deny list.",
    );
  });

  it("bounds the number of distinct findings and summarises the rest", async () => {
    const extra = 25;
    const facts = Array.from({ length: MAX_DISTINCT_PER_RULE + extra }, (_, index) =>
      importFact(`generated_module_${index}`, "Thing", index),
    );
    const findings = await scanFacts({ facts });
    expect(findings).toHaveLength(MAX_DISTINCT_PER_RULE + 1);
    const summary = findings.find((finding) => finding.messageId === "moreFindings");
    expect(summary?.message).toBe(
      `${extra} more distinct non-allowlisted globals in this file are not listed one by one.`,
    );
    expect(summary?.severity).toBe("warning");
  });

  it("records passed checks for a clean file", async () => {
    const report = await scanBytes("model.facts", encode({ facts: [importFact("numpy", "ndarray", 0)] }), [
      testPlugin,
      codeExecution,
    ]);
    expect(report.findings).toEqual([]);
    const statuses = report.checks
      .filter((check) => check.ruleId.startsWith("code-execution/"))
      .map((check) => [check.ruleId, check.status])
      .sort();
    expect(statuses).toEqual([
      ["code-execution/dangerous-global", "passed"],
      ["code-execution/non-allowlisted-global", "passed"],
      ["code-execution/parser-differential", "passed"],
      ["code-execution/unresolved-callable", "passed"],
    ]);
  });
});
