import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");

/** The options block of a help text: every `-x` and `--long-flag` it offers. */
function flagsOf(help: string): string[] {
  const options = help.slice(help.indexOf("Options:"));
  const flags = new Set<string>();
  for (const line of options.split("\n")) {
    const spec = line.match(/^ {2}(-[^ ].*?)(?: {2,}|$)/)?.[1];
    if (!spec) continue;
    for (const flag of spec.matchAll(/(?<![\w-])--?[a-zA-Z][\w-]*/g)) flags.add(flag[0]);
  }
  return [...flags];
}

describe("README", () => {
  it("lists every command and every flag of each", async () => {
    const root = (await runCli(["--help"])).stdout;
    const commands = [...root.slice(root.indexOf("Commands:")).matchAll(/^ {2}([a-z]+)\b/gm)]
      .map((match) => match[1] as string)
      .filter((name) => name !== "help");
    expect(commands).toEqual(expect.arrayContaining(["scan", "rules", "plugins", "serve", "worker"]));
    const missing: string[] = [];
    for (const flag of flagsOf(root)) if (!readme.includes(flag)) missing.push(`modelaudit ${flag}`);
    for (const command of commands) {
      if (!readme.includes(`modelaudit ${command}`)) missing.push(`modelaudit ${command}`);
      const help = (await runCli([command, "--help"])).stdout;
      const flags = flagsOf(help);
      expect(flags.length, command).toBeGreaterThan(1);
      for (const flag of flags) {
        if (!new RegExp(`(^|[\\s\`(|,])${flag}(?![\\w-])`, "m").test(readme))
          missing.push(`modelaudit ${command} ${flag}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("reads flags as the help prints them", () => {
    expect(
      flagsOf("Options:\n  -f, --format <format>  text\n  --no-progress          none\n      continued --not-a-flag\n"),
    ).toEqual(["-f", "--format", "--no-progress"]);
  });
});
