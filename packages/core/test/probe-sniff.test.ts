import { describe, expect, it } from "vitest";
import { API_VERSION, definePlugin } from "../src/plugin.js";
import { scanBytes } from "../src/testing/index.js";

/** A handler that probes every file and finds its format only where the bytes say `FOUND`. */
const probing = definePlugin({
  meta: { name: "probing", version: "0", namespace: "probing" },
  apiVersion: API_VERSION,
  formats: [
    {
      id: "probed",
      description: "looks inside every file for its format",
      sniff: () => "probe",
      parse: async (context) => {
        const bytes = await context.source.read(0, context.source.size);
        if (new TextDecoder().decode(bytes).includes("FOUND")) context.addFormat("probed");
      },
    },
  ],
});

describe('a sniff that answers "probe"', () => {
  it("has its handler parse the file, labelled only when the parse finds the format", async () => {
    const report = await scanBytes("a.bin", new TextEncoder().encode("nothing here"), [probing]);
    expect(report.files[0]?.formats).toEqual([]);
    const found = await scanBytes("b.bin", new TextEncoder().encode("xx FOUND xx"), [probing]);
    expect(found.files[0]?.formats).toEqual(["probed"]);
  });

  it("does not count as a claim: an unread model-named file is still inconclusive", async () => {
    const report = await scanBytes("model.bin", new TextEncoder().encode("nothing here"), [probing]);
    expect(report.files[0]?.outcome).toBe("inconclusive");
  });
});
