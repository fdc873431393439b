import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CRITICAL, runCli, workspace } from "./harness.js";

const execFileAsync = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));
const cliRoot = fileURLToPath(new URL("../", import.meta.url));

// A YAML parser without a new dependency: js-yaml, as the workspace's changesets tooling resolves it.
const fromRoot = createRequire(path.join(root, "package.json"));
const fromChangesets = createRequire(fromRoot.resolve("@changesets/cli/package.json"));
const fromParse = createRequire(fromChangesets.resolve("@changesets/parse"));
const yaml = fromParse("js-yaml") as { load(text: string): unknown };

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  if?: string;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
}

let scanHelp = "";
beforeAll(async () => {
  scanHelp = (await runCli(["scan", "--help"])).stdout;
});

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/** Long flags a command line uses; each must be one `modelaudit scan` accepts. */
function flagsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((match) => match[0]))];
}

function expectScanFlags(flags: readonly string[]) {
  expect(flags.length).toBeGreaterThan(0);
  for (const flag of flags)
    expect(scanHelp, `modelaudit scan has no ${flag}`).toMatch(new RegExp(`(^|[ ,])${flag}\\b`, "m"));
}

describe("action.yml", () => {
  const action = yaml.load(readFileSync(path.join(root, "action.yml"), "utf8")) as Action;
  const scanStep = action.runs.steps.find((step) => step.id === "scan") as Step;

  it("is a composite action: set up Node, install, scan, upload SARIF", () => {
    expect(action.runs.using).toBe("composite");
    const uses = action.runs.steps.map((step) => step.uses).filter(Boolean);
    expect(uses).toContain("actions/setup-node@v4");
    expect(uses).toContain("github/codeql-action/upload-sarif@v3");
    const upload = action.runs.steps.find((step) => step.uses?.startsWith("github/codeql-action/upload-sarif"));
    // The expression GitHub expands, not a JavaScript placeholder.
    expect(upload?.with?.sarif_file).toBe(["$", "{{ inputs.sarif-file }}"].join(""));
    for (const step of action.runs.steps) if (step.run) expect(step.shell).toBe("bash");
  });

  it("declares every input it reads, and never expands an input inside a script", () => {
    const text = readFileSync(path.join(root, "action.yml"), "utf8");
    for (const match of text.matchAll(/inputs\.([a-z-]+)/g)) expect(action.inputs).toHaveProperty(match[1] as string);
    for (const step of action.runs.steps) if (step.run) expect(step.run).not.toContain("${{");
  });

  it("calls the CLI with flags and formats that exist", () => {
    const commands = (scanStep.run ?? "")
      .split("\n")
      .filter((line) => line.includes("$MODELAUDIT_BIN") || line.includes("args"));
    expectScanFlags(flagsIn(commands.join("\n")));
    for (const format of (scanStep.run ?? "").matchAll(/--format (\w+)/g)) {
      expect(scanHelp).toMatch(new RegExp(`"${format[1]}"`));
    }
  });

  it("its scan step writes SARIF, reports the exit code and annotates the findings", async () => {
    const { dir, config } = await workspace({ "model.test": CRITICAL });
    const runnerTemp = await mkdtemp(path.join(tmpdir(), "modelaudit-action-"));
    cleanup.push(runnerTemp);
    const output = path.join(runnerTemp, "github-output");
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: runnerTemp,
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: output,
      MODELAUDIT_BIN: path.join(cliRoot, "bin", "modelaudit.js"),
      MODELAUDIT_PATHS: "model.test",
      MODELAUDIT_FAIL_ON: "warning",
      MODELAUDIT_LEVEL: "standard",
      MODELAUDIT_CONFIG: config,
      MODELAUDIT_SARIF: "results.sarif",
      MODELAUDIT_ANNOTATIONS: "true",
    };
    const { stdout } = await execFileAsync("bash", ["-c", scanStep.run ?? ""], { cwd: dir, env });
    expect(await readFile(output, "utf8")).toBe("exit-code=1\n");
    const sarif = JSON.parse(await readFile(path.join(dir, "results.sarif"), "utf8"));
    expect(sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId)).toEqual(["test/bad-value"]);
    expect(stdout).toMatch(/^::error file=model\.test,line=2,title=test\/bad-value \(critical\)::/m);
    // The annotation pass reused the first pass's results.
    expect(existsSync(path.join(runnerTemp, "modelaudit-cache"))).toBe(true);
  }, 120_000);
});

describe(".pre-commit-hooks.yaml", () => {
  const hooks = yaml.load(readFileSync(path.join(root, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];

  it("defines hooks that run `modelaudit scan` with flags that exist", () => {
    expect(hooks.map((hook) => hook.id)).toEqual(["modelaudit", "modelaudit-docker"]);
    for (const hook of hooks) {
      expect(hook.entry).toMatch(/^modelaudit scan /);
      expectScanFlags(flagsIn(hook.entry));
    }
    // The docker hook builds the repository's Dockerfile, whose entry point is on PATH as `modelaudit`.
    expect(hooks.find((hook) => hook.language === "docker")).toBeDefined();
    expect(readFileSync(path.join(root, "Dockerfile"), "utf8")).toContain("/usr/local/bin/modelaudit");
  });

  it("selects model files by name", () => {
    for (const hook of hooks) {
      const files = new RegExp(hook.files);
      for (const name of ["model.pt", "weights/model.safetensors", "a.pkl", "m.onnx", "x.gguf", "pytorch_model.bin"]) {
        expect(files.test(name), name).toBe(true);
      }
      for (const name of ["README.md", "src/model.py", "config.json"]) expect(files.test(name), name).toBe(false);
    }
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");

  it("builds the workspace on node:20-slim and runs the modelaudit package's bin as the entry point", () => {
    expect(dockerfile.match(/^FROM (\S+)/gm)).toEqual(["FROM node:20-slim", "FROM node:20-slim"]);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    // The `modelaudit` package: the CLI with the recommended preset (@modelaudit/cli alone has no plugins).
    expect(dockerfile).toMatch(/pnpm --filter modelaudit deploy --prod/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["modelaudit"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    // The link points at the bin the package ships.
    const pkg = JSON.parse(readFileSync(path.join(root, "apps/modelaudit/package.json"), "utf8"));
    expect(pkg.bin.modelaudit).toBe("./bin/modelaudit.js");
    expect(pkg.files).toContain("bin");
    expect(dockerfile).toContain("ln -s /opt/modelaudit/bin/modelaudit.js /usr/local/bin/modelaudit");
    expect(readFileSync(path.join(root, ".dockerignore"), "utf8")).toMatch(/\*\*\/node_modules/);
  });
});
