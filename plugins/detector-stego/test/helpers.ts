import { readFileSync } from "node:fs";
import type { Plugin, ScanLevel } from "@modelaudit/core";
import { scanPaths } from "@modelaudit/core/testing";
import archive from "@modelaudit/format-archive";
import executable from "@modelaudit/format-executable";
import gguf from "@modelaudit/format-gguf";
import onnx from "@modelaudit/format-onnx";
import pickle from "@modelaudit/format-pickle";
import pytorch from "@modelaudit/format-pytorch";
import safetensors from "@modelaudit/format-safetensors";
import plugin from "../src/index.js";

export const FIXTURES = new URL("../../../tooling/fixtures/stego/", import.meta.url);

export interface ManifestEntry {
  file: string;
  expect: "clean" | "findings";
  rules: string[];
  hides: string | null;
  description: string;
}

export function manifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8")) as ManifestEntry[];
}

/** The format plugins the fixtures need, the sniffers for extracted bytes, and this detector. */
export const PLUGINS: Plugin[] = [safetensors, pickle, archive, pytorch, gguf, onnx, executable, plugin];

export async function scanFixture(
  file: string,
  level: ScanLevel = "standard",
  options: Record<string, unknown> = {},
): ReturnType<typeof scanPaths> {
  return scanPaths([new URL(file, FIXTURES).pathname], PLUGINS, { level, options: { stego: options } });
}
