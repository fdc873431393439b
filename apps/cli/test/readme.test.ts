import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8");

/** The options block of a help text: every `-x` and `--long-flag` it offers. */
function flagsOf(help: string): string[] {
  const options = help.slice(
    help.indexOf("Options:"),
    help.includes("Commands:") ? help.indexOf("Commands:") : undefined,
  );
  const flags = new Set<string>();
  for (const line of options.split("\n")) {
    const spec = line.match(/^ {2}(-[^ ].*?)(?: {2,}|$)/)?.[1];
    if (!spec) continue;
    for (const flag of spec.matchAll(/(?<![\w-])--?[a-zA-Z][\w-]*/g)) flags.add(flag[0]);
  }
  return [...flags];
}

/** The subcommands a help text lists (`help` left out). */
function commandsOf(help: string): string[] {
  if (!help.includes("Commands:")) return [];
  return [...help.slice(help.indexOf("Commands:")).matchAll(/^ {2}([a-z]+)\b/gm)]
    .map((match) => match[1] as string)
    .filter((name) => name !== "help");
}

/** Every command path of the CLI (`["hashdb", "import"]`), with its help text, depth first. */
async function commandTree(prefix: string[] = []): Promise<{ path: string[]; help: string }[]> {
  const help = (await runCli([...prefix, "--help"])).stdout;
  const below = [];
  for (const name of commandsOf(help)) below.push(...(await commandTree([...prefix, name])));
  return [{ path: prefix, help }, ...below];
}

/**
 * The README's usage block cut into one section per `modelaudit <command>` line, with the indented
 * flag lines under it, keyed by the command words (`hashdb import`).
 */
function usageSections(text: string): Map<string, string> {
  const open = text.indexOf("```sh\n", text.indexOf("## Using it")) + 6;
  const block = text.slice(open, text.indexOf("\n```", open));
  const sections = new Map<string, string>();
  let current: string | undefined;
  for (const line of block.split("\n")) {
    const command = line.match(/^modelaudit((?: [a-z]+)*)/);
    if (command) {
      current = (command[1] as string).trim();
      sections.set(current, `${sections.get(current) ?? ""}${line.replace(/#.*$/, "")}\n`);
    } else if (current !== undefined && line.startsWith("  ")) {
      sections.set(current, `${sections.get(current) as string}${line.replace(/#.*$/, "")}\n`);
    }
  }
  return sections;
}

/** Printed on every command's help; the README names them once, on the `modelaudit -V, --version` line. */
const GLOBAL_FLAGS = new Set(["-h", "--help", "-V", "--version"]);

describe("README", () => {
  it("lists every command, and every flag of each under that command's own line", async () => {
    const sections = usageSections(readme);
    const tree = await commandTree();
    expect(tree.map((command) => command.path.join(" "))).toEqual(
      expect.arrayContaining(["scan", "rules", "plugins", "hash", "verify", "hashdb import", "serve", "worker"]),
    );
    const missing: string[] = [];
    for (const { path, help } of tree) {
      const name = path.join(" ");
      const flags = flagsOf(help);
      if (path.length === 0) {
        for (const flag of flags) if (!(sections.get("") ?? "").includes(flag)) missing.push(`modelaudit ${flag}`);
        continue;
      }
      // A command with subcommands is documented by them.
      if (commandsOf(help).length > 0) continue;
      const section = sections.get(name);
      if (section === undefined) {
        missing.push(`modelaudit ${name}`);
        continue;
      }
      for (const flag of flags) {
        if (GLOBAL_FLAGS.has(flag)) continue;
        if (!new RegExp(`(^|[\\s\`(|,\\[])${flag}(?![\\w-])`, "m").test(section))
          missing.push(`modelaudit ${name} ${flag}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("reads flags and sections as they are printed", () => {
    expect(
      flagsOf("Options:\n  -f, --format <format>  text\n  --no-progress          none\n      continued --not-a-flag\n"),
    ).toEqual(["-f", "--format", "--no-progress"]);
    const sections = usageSections(
      "## Using it\n\n```sh\nmodelaudit scan <paths>   # --not-this\n  -f, --format F\nmodelaudit hashdb import X\n  --hashdb FILE\n```\n",
    );
    expect([...sections]).toEqual([
      ["scan", "modelaudit scan <paths>   \n  -f, --format F\n"],
      ["hashdb import", "modelaudit hashdb import X\n  --hashdb FILE\n"],
    ]);
  });
});
