#!/usr/bin/env node
// Scaffolds a plugin that builds and passes its tests as generated: a detector with one rule, or a
// format handler, each with its tests, README, LICENSE and CHANGELOG.
//
//   pnpm gen:plugin detector banned-terms                  # plugins/detector-banned-terms, @modelaudit/detector-banned-terms
//   pnpm gen:plugin format acme-weights                    # plugins/format-acme-weights
//   pnpm gen:plugin detector banned-terms --out ../my-plugin   # a third-party package: modelaudit-plugin-banned-terms
//
// In the repository, run `pnpm install` afterwards. A third-party package depends on the published
// @modelaudit/core (`npm install`, then `npm run build && npm test`).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const USAGE = "usage: pnpm gen:plugin <format|detector> <kebab-name> [description] [--out DIR]";
const REPO = path.resolve(import.meta.dirname, "../..");

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string" }, root: { type: "string" } },
});
const [kind, name, description = defaultDescription(positionals[0], positionals[1])] = positionals;
if (!["format", "detector"].includes(kind) || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name ?? "")) fail(USAGE);

// --root is the monorepo to write into (tests use a scratch copy); --out makes a stand-alone package.
const root = path.resolve(values.root ?? REPO);
const thirdParty = values.out !== undefined;
const folder = `${kind}-${name}`;
const dir = thirdParty ? path.resolve(values.out) : path.join(root, "plugins", folder);
const packageName = thirdParty ? `modelaudit-plugin-${name}` : `@modelaudit/${folder}`;
if (existsSync(dir) && readdirSync(dir).length > 0) fail(`${dir} exists and is not empty`);

const coreVersion = JSON.parse(readFileSync(path.join(REPO, "packages/core/package.json"), "utf8")).version;
const coreRange = thirdParty ? `^${coreVersion}` : "workspace:^";
// The format scaffold's signature line (`NIGHTJAR_CHECK1`).
const magic = `${name.toUpperCase().replace(/-/g, "_")}1`;
const camel = name.replace(/-([a-z0-9])/g, (_match, letter) => letter.toUpperCase());
const files = kind === "detector" ? detectorFiles() : formatFiles();

files["package.json"] = `${JSON.stringify(packageJson(), null, 2)}\n`;
files["tsconfig.json"] = thirdParty
  ? `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "lib": ["ES2022"],
    "types": ["node"],
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "isolatedModules": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["src", "test"]
}
`
  : `{\n  "extends": "../../tooling/tsconfig/base.json",\n  "include": ["src", "test"]\n}\n`;
files["tsup.config.ts"] = `import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
});
`;
files["vitest.config.ts"] = `import { defineConfig } from "vitest/config";

export default defineConfig({
  define: { __PACKAGE_VERSION__: JSON.stringify("0.0.0-test") },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
`;
files["src/globals.d.ts"] =
  "/** Replaced at build time by tsup `define` with the package version. */\ndeclare const __PACKAGE_VERSION__: string;\n";
files["CHANGELOG.md"] = `# ${packageName}\n`;
files.LICENSE = readFileSync(path.join(REPO, "LICENSE"), "utf8");
files["README.md"] = readme();

for (const [file, text] of Object.entries(files)) {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}
console.log(
  thirdParty
    ? `created ${packageName} in ${dir}: npm install, then npm run build && npm test`
    : `created plugins/${folder} (${packageName}): run pnpm install, then pnpm --filter ${packageName} test`,
);

function fail(message) {
  console.error(message);
  process.exit(2);
}

function defaultDescription(kindArg, nameArg) {
  return kindArg === "format"
    ? `ModelAudit-TS format handler for ${nameArg} files.`
    : `ModelAudit-TS detector: ${nameArg}.`;
}

function packageJson() {
  return {
    name: packageName,
    version: "0.1.0",
    description,
    license: "MIT",
    type: "module",
    sideEffects: false,
    main: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: { "./package.json": "./package.json", ".": { types: "./dist/index.d.ts", import: "./dist/index.js" } },
    files: ["dist", "README.md", "CHANGELOG.md"],
    ...(thirdParty ? { keywords: ["modelaudit-plugin"] } : {}),
    engines: { node: ">=20.19" },
    ...(thirdParty
      ? {}
      : {
          repository: {
            type: "git",
            url: "https://github.com/modelaudit-ts/modelaudit-ts",
            directory: `plugins/${folder}`,
          },
          publishConfig: { access: "public", provenance: true },
        }),
    scripts: { build: "tsup", "type-check": "tsc --noEmit", test: "vitest run" },
    peerDependencies: { "@modelaudit/core": coreRange },
    devDependencies: {
      "@modelaudit/core": coreRange,
      ...(thirdParty ? {} : { "@modelaudit/tsconfig": "workspace:*" }),
      "@types/node": "^20.19.0",
      tsup: "8.5.1",
      typescript: "5.9.3",
      vitest: "4.1.12",
    },
  };
}

// A detector with one rule: text values and printable strings that contain a configured term.
function detectorFiles() {
  return {
    "src/index.ts": `import { definePlugin, rulesByName } from "@modelaudit/core";
import { ${camel}Detector } from "./${name}-detector.js";
import termFound from "./rules/term-found.js";

export { ${camel}Detector };

export default definePlugin({
  // The namespace prefixes rule ids (\`${name}/term-found\`) and names this plugin's options key.
  meta: { name: "${packageName}", version: __PACKAGE_VERSION__, namespace: "${name}" },
  // The plugin API this package is written for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  // A loader, not the schema: zod (about 100 modules) loads only when a config sets this plugin's options.
  optionsSchema: () => import("./options-schema.js").then((module) => module.optionsSchema),
  detectors: [${camel}Detector],
  rules: rulesByName([termFound]),
});
`,
    "src/rules/term-found.ts": `import { defineRule, link } from "@modelaudit/core";

/** The rule's name is written here only: the plugin's rule map and the detector's list read it. */
export default defineRule({
  name: "term-found",
  meta: {
    description: "A model file contains a term that options.${name}.terms forbids.",
    severity: "warning",
    confidence: 0.8,
    recommended: true,
    remediation: "Remove the term from the model's metadata and strings, or keep the model internal.",
    references: [link("https://github.com/modelaudit-ts/modelaudit-ts/blob/main/docs/plugin-authoring.md")],
    messages: {
      termFound: "The file contains the forbidden term {{term}}.",
    },
  },
});
`,
    "src/options-schema.ts": `import { expected, z } from "@modelaudit/core/options";

const term = expected("a string of 1 to 200 characters");

/**
 * The schema of \`options.${name}\`: the engine checks the options against it when the scan starts
 * (each problem with its key path; \`strictObject\` makes an unknown key an error) and editors get
 * the keys from it. Only the plugin's \`optionsSchema\` loader imports this module, so a scan
 * without options never loads zod.
 */
export const optionsSchema = z.strictObject({
  terms: z
    .array(z.string({ error: term }).min(1, { error: term }).max(200, { error: term }), {
      error: "expected an array of strings",
    })
    .optional()
    .describe("Terms a model file must not contain (matched ignoring case)."),
});
`,
    "src/options.ts": `/** The configured terms, lower-case (matching ignores case). */
export function termsFrom(options: Readonly<Record<string, unknown>>): string[] {
  return ((options.terms as string[] | undefined) ?? []).map((term) => term.toLowerCase());
}
`,
    [`src/${name}-detector.ts`]: `import type { Detector, Location, Origin } from "@modelaudit/core";
import { ruleNames } from "@modelaudit/core";
import { termsFrom } from "./options.js";
import termFound from "./rules/term-found.js";

/**
 * Reads the text values format handlers emit (metadata, configs, pickled strings) and the printable
 * strings of every file's raw bytes, so it applies to every format, even files no handler claims.
 */
export const ${camel}Detector: Detector = {
  id: "${name}",
  description: "forbidden terms in model files",
  facts: ["text"],
  strings: true,
  rules: ruleNames([termFound]),
  create(context) {
    const terms = termsFrom(context.options);
    // Each term once per file and member: one thing to fix.
    const reported = new Set<string>();
    const check = (text: string, origin: Origin, seenIn: "fact" | "bytes", location: (index: number) => Location) => {
      const lower = text.toLowerCase();
      for (const term of terms) {
        const index = lower.indexOf(term);
        const key = \`\${origin.memberChain.join("/")}\\u0000\${term}\`;
        if (index < 0 || reported.has(key)) continue;
        reported.add(key);
        context.report({
          rule: termFound.name,
          messageId: "termFound",
          data: { term },
          origin,
          location: location(index),
          evidence: term,
          value: term,
          seenIn,
        });
      }
    };
    return {
      onFact(fact, origin) {
        if (fact.kind !== "text") return;
        check(fact.text, origin, "fact", () => ({ ...fact.location, ...(fact.key ? { path: fact.key } : {}) }));
      },
      onString(run, origin) {
        // Offsets are exact in ASCII runs; otherwise the run's start is the nearest known byte.
        check(run.text, origin, "bytes", (index) => ({ offset: run.offset + (run.ascii ? index : 0) }));
      },
    };
  },
};
`,
    [`test/${name}.test.ts`]: `import { loadOptionsSchema, optionProblems } from "@modelaudit/core/options";
import { driveDetector, scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin, { ${camel}Detector } from "../src/index.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("${name}", () => {
  it("reports a configured term in raw bytes once, at its offset", () => {
    const reports = driveDetector(${camel}Detector, {
      sources: [bytes("\\u0000\\u0001weights of project-nightjar, copy of project-nightjar")],
      options: { terms: ["Project-Nightjar"] },
    });
    expect(reports.map((report) => [report.rule, report.data?.term, report.location?.offset])).toEqual([
      ["term-found", "project-nightjar", 13],
    ]);
  });

  it("reports a term in a metadata value with its key", () => {
    const reports = driveDetector(${camel}Detector, {
      facts: [{ kind: "text", text: "internal: project-nightjar", key: "__metadata__.notes" }],
      options: { terms: ["project-nightjar"] },
    });
    expect(reports.map((report) => report.location?.path)).toEqual(["__metadata__.notes"]);
  });

  it("finds nothing when no term is configured", () => {
    expect(driveDetector(${camel}Detector, { sources: [bytes("project-nightjar weights here")] })).toEqual([]);
  });

  it("checks its options, naming the key", async () => {
    // The schema the plugin's loader imports, as the engine does for a config that sets these options.
    const schema = (await loadOptionsSchema(plugin.optionsSchema))!;
    const validateOptions = (options: Record<string, unknown>) => optionProblems(schema, options);
    expect(validateOptions({ terms: ["ok"] })).toEqual([]);
    expect(validateOptions({ term: [], terms: ["", 4] })).toEqual([
      'terms[0]: expected a string of 1 to 200 characters, got ""',
      "terms[1]: expected a string of 1 to 200 characters, got 4",
      "term: unknown option (known: terms)",
    ]);
  });

  it("fails a scan through the engine", async () => {
    const report = await scanBytes("model.bin", bytes("checkpoint of project-nightjar, step 9000"), [plugin], {
      options: { "${name}": { terms: ["project-nightjar"] } },
    });
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(["${name}/term-found"]);
    expect(report.summary.exitCode).toBe(1);
  });
});
`,
  };
}

// A format handler: files that start with a magic line, whose header fields become metadata facts.
function formatFiles() {
  return {
    "src/index.ts": `import { definePlugin } from "@modelaudit/core";
import { ${camel}Handler } from "./${name}-handler.js";

export { ${camel}Handler };

export default definePlugin({
  meta: { name: "${packageName}", version: __PACKAGE_VERSION__ },
  // The plugin API this package is written for, as a literal: a core that cannot load it says so.
  apiVersion: 1,
  formats: [${camel}Handler],
});
`,
    [`src/${name}-handler.ts`]: `import type { FormatHandler } from "@modelaudit/core";

/** Every ${name} file starts with this line; replace it with the format's real signature. */
export const MAGIC = new TextEncoder().encode("${magic}\\n");
// A header is small: what is past this bound is not read, and the file is marked inconclusive.
const MAX_HEADER = 64 * 1024;

/**
 * Parses, never judges: the header's \`key=value\` lines (up to a blank line) become \`text\` facts
 * that every detector reads (secrets, network, code). Content decides, not the extension.
 */
export const ${camel}Handler: FormatHandler = {
  id: "${name}",
  description: "${name} files: a magic line, then key=value header lines",
  magic: [MAGIC],
  sniff: ({ head }) => head.length >= MAGIC.length && MAGIC.every((byte, index) => head[index] === byte),
  async parse(context) {
    const length = Math.min(context.source.size, MAX_HEADER);
    const text = new TextDecoder().decode(await context.source.read(0, length));
    const end = text.indexOf("\\n\\n");
    if (end < 0 && context.source.size > MAX_HEADER) context.inconclusive(\`header longer than \${MAX_HEADER} bytes\`);
    let offset = MAGIC.length;
    for (const line of text.slice(MAGIC.length, end < 0 ? undefined : end).split("\\n")) {
      const equals = line.indexOf("=");
      if (equals > 0) {
        context.emit({
          kind: "text",
          text: line.slice(equals + 1),
          key: line.slice(0, equals),
          role: "metadata",
          location: { offset: offset + equals + 1, path: line.slice(0, equals) },
        });
      }
      offset += new TextEncoder().encode(line).length + 1;
    }
  },
};
`,
    [`test/${name}.test.ts`]: `import { parseWith, scanBytes } from "@modelaudit/core/testing";
import { describe, expect, it } from "vitest";
import plugin, { ${camel}Handler } from "../src/index.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("${name} handler", () => {
  it("claims its magic and emits each header field as a metadata fact", async () => {
    const parsed = await parseWith(
      [${camel}Handler],
      "model.bin",
      bytes("${magic}\\nauthor=ada\\nsource=https://example.com/m\\n\\nweights"),
    );
    expect(parsed.formats).toEqual(["${name}"]);
    expect(parsed.facts).toEqual([
      { kind: "text", text: "ada", key: "author", role: "metadata", location: { offset: ${magic.length + 8}, path: "author" } },
      {
        kind: "text",
        text: "https://example.com/m",
        key: "source",
        role: "metadata",
        location: { offset: ${magic.length + 19}, path: "source" },
      },
    ]);
  });

  it("leaves other content alone, whatever its name", async () => {
    const parsed = await parseWith([${camel}Handler], "model.${name}", bytes("not this format"));
    expect(parsed.formats).toEqual([]);
  });

  it("labels the file in a scan through the engine", async () => {
    const report = await scanBytes("model.bin", bytes("${magic}\\nauthor=ada\\n\\n"), [plugin]);
    expect(report.files[0]?.formats).toEqual(["${name}"]);
  });
});
`,
  };
}

function readme() {
  const usage =
    kind === "detector"
      ? `\`\`\`json
{
  "plugins": ["${packageName}"],
  "options": { "${name}": { "terms": ["project-nightjar"] } }
}
\`\`\`

| rule                | severity | what                                              |
| ------------------- | -------- | ------------------------------------------------- |
| \`${name}/term-found\` | warning  | a term from \`options.${name}.terms\` in a model file |`
      : `\`\`\`json
{ "plugins": ["${packageName}"] }
\`\`\`

Files that start with \`${magic}\` are labelled \`${name}\`; their header fields are metadata facts
that every detector reads.`;
  return `# ${packageName}

${description}

Name it in \`modelaudit.config.json\` (plugins are added to the recommended preset):

${usage}

Written against the ModelAudit-TS plugin API 1; see the plugin-authoring guide
(https://github.com/modelaudit-ts/modelaudit-ts/blob/main/docs/plugin-authoring.md).
`;
}
