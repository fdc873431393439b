import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pluginRules, RULE_DOCS_DIRECTORY, type RuleDocInput, renderRuleDocs, ruleDocsUrl } from "@modelaudit/report";
import { beforeAll, describe, expect, it } from "vitest";

// The rules' metadata as written in each first-party plugin's source (not a build that may be stale).
const root = fileURLToPath(new URL("../../../", import.meta.url));
const REPOSITORY = "https://github.com/modelaudit-ts/modelaudit-ts/";

let rules: RuleDocInput[] = [];
beforeAll(async () => {
  const folders = readdirSync(path.join(root, "plugins")).filter((folder) =>
    existsSync(path.join(root, "plugins", folder, "src/index.ts")),
  );
  for (const folder of folders.sort()) {
    const module = await import(pathToFileURL(path.join(root, "plugins", folder, "src/index.ts")).href);
    rules.push(...pluginRules(module.default as Parameters<typeof pluginRules>[0]));
  }
  rules = rules.sort((a, b) => (a.id < b.id ? -1 : 1));
}, 120_000);

function listFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const heading = match[1] as string;
    anchors.add(
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-"),
    );
  }
  return anchors;
}

/** Why a link is not a file (and heading) of this repository, or undefined when it is one. */
function checkRepositoryLink(url: string | undefined): string | undefined {
  if (!url?.startsWith(REPOSITORY)) return `${url ?? "no link"} is not in the repository`;
  const [location = "", anchor] = url.slice(REPOSITORY.length).split("#");
  const relative = decodeURIComponent(location.replace(/^(tree|blob)\/main\/?/, ""));
  let file = path.join(root, relative);
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "README.md");
  if (!existsSync(file)) return `${url}: ${path.relative(root, file)} does not exist`;
  if (anchor !== undefined && !headingAnchors(readFileSync(file, "utf8")).has(anchor)) {
    return `${url}: no heading #${anchor} in ${path.relative(root, file)}`;
  }
  return undefined;
}

describe("rule documentation", () => {
  it("finds the first-party rules", () => {
    expect(rules.length).toBeGreaterThan(50);
    expect(rules.map((rule) => rule.id)).toContain("code-execution/dangerous-global");
  });

  it("docs/rules is what `pnpm docs:rules` generates from the rules' metadata (run it after changing a rule)", () => {
    const expected = renderRuleDocs(rules);
    const stale: string[] = [];
    for (const [file, content] of expected) {
      const absolute = path.join(root, file);
      if (!existsSync(absolute)) stale.push(`${file}: missing`);
      else if (readFileSync(absolute, "utf8") !== content) stale.push(`${file}: out of date`);
    }
    for (const file of listFiles(path.join(root, RULE_DOCS_DIRECTORY))) {
      const relative = path.relative(root, file).split(path.sep).join("/");
      if (!expected.has(relative)) stale.push(`${relative}: no such rule`);
    }
    expect(stale, "run `pnpm build && pnpm docs:rules`").toEqual([]);
  });

  it("every rule's documentation link points at a page in this repository", () => {
    const broken = rules.flatMap((rule) => {
      const problem = checkRepositoryLink(ruleDocsUrl(rule));
      return problem ? [`${rule.id}: ${problem}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it("a plugin's own docs link into the repository reaches an existing file and heading", () => {
    const broken = rules.flatMap((rule) => {
      const url = rule.meta.docs?.url;
      if (url === undefined) return [];
      const problem = checkRepositoryLink(url);
      return problem ? [`${rule.id}: ${problem}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it("the anchor check reads headings as GitHub does", () => {
    const anchors = headingAnchors("# Title\n### path-traversal\n## `crypto/ecb-mode` (old)\n");
    expect([...anchors]).toEqual(["title", "path-traversal", "cryptoecb-mode-old"]);
  });
});
