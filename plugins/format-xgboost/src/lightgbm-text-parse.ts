import type { ParseContext } from "@modelaudit/core";
import { JsonProblem, parseBoundedJson } from "@modelaudit/core/format";
import { ModelReport } from "./model-report.js";
import { readModelBytes } from "./read-model-bytes.js";

/**
 * LightGBM text models (`Booster.save_model("model.txt")`): a `tree` line, `key=value` header lines,
 * `Tree=<i>` sections, `end of trees`, feature importances, a `parameters:` block and a
 * `pandas_categorical:` JSON line. Parsed line by line with bounded line length.
 */

const MAX_LINE = 16 * 1024 * 1024;
const HEADER_REQUIRED = ["version", "num_class", "max_feature_idx"];
/** Per-tree arrays with one entry per internal node (num_leaves - 1) and per leaf (num_leaves). */
const INTERNAL_ARRAYS = ["split_feature", "split_gain", "threshold", "decision_type", "left_child", "right_child"];
const LEAF_ARRAYS = ["leaf_value"];
const OPTIONAL_LEAF_ARRAYS = ["leaf_weight", "leaf_count"];
const OPTIONAL_INTERNAL_ARRAYS = ["internal_value", "internal_weight", "internal_count"];

interface Line {
  text: string;
  /** The line was longer than MAX_LINE and was not decoded. */
  tooLong: boolean;
  /** Byte offset of the line start (the file is ASCII apart from feature names and JSON). */
  offset: number;
}

/** The parse of {@link lightgbmTextHandler}, imported on the first LightGBM model. */
export async function parseLightgbmText(context: ParseContext): Promise<void> {
  const bytes = await readModelBytes(context, "LightGBM model");
  if (!bytes) return;
  const report = new ModelReport(context);
  parseLightgbm(bytes, report, context.checkDeadline);
  report.finish("LightGBM model structure is invalid");
}

function* lines(bytes: Uint8Array): Generator<Line> {
  const decoder = new TextDecoder("utf-8");
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
    const tooLong = stop - start > MAX_LINE;
    yield { text: tooLong ? "" : decoder.decode(bytes.subarray(start, stop)), tooLong, offset: start };
    start = end + 1;
  }
}

function splitValues(value: string): string[] {
  return value.length === 0 ? [] : value.split(" ");
}

function parseLightgbm(bytes: Uint8Array, report: ModelReport, checkDeadline: () => void): void {
  const header = new Map<string, string>();
  const trees: { index: number; fields: Map<string, string>; offset: number; end: number }[] = [];
  let section: "header" | "tree" | "after-trees" | "importances" | "parameters" | "done" = "header";
  let current: (typeof trees)[number] | null = null;
  let sawEnd = false;
  let count = 0;
  for (const line of lines(bytes)) {
    if ((++count & 0x3fff) === 0) checkDeadline();
    const text = line.text;
    if (line.tooLong) {
      report.anomaly("limit-exceeded", `line longer than ${MAX_LINE} bytes not parsed`, `line ${count}`);
      continue;
    }
    if (count === 1) {
      if (text !== "tree") report.anomaly("malformed", "first line is not `tree`", "line 1");
      continue;
    }
    if (text.startsWith("Tree=")) {
      if (current) current.end = line.offset;
      const index = Number(text.slice(5));
      current = { index, fields: new Map(), offset: line.offset, end: bytes.length };
      if (!Number.isSafeInteger(index) || index !== trees.length) {
        report.anomaly("malformed", `tree section ${JSON.stringify(text)} out of order`, `Tree=${trees.length}`);
      }
      trees.push(current);
      section = "tree";
      continue;
    }
    if (text === "end of trees") {
      if (current) current.end = line.offset;
      current = null;
      sawEnd = true;
      section = "after-trees";
      continue;
    }
    if (text === "feature_importances:") {
      section = "importances";
      continue;
    }
    if (text === "parameters:") {
      section = "parameters";
      continue;
    }
    if (text === "end of parameters") {
      section = "done";
      continue;
    }
    if (text.startsWith("pandas_categorical:")) {
      emitPandasCategorical(text.slice("pandas_categorical:".length), report);
      continue;
    }
    if (text.length === 0) continue;
    if (section === "parameters") {
      const match = /^\[([^:\]]+): ?(.*)\]$/.exec(text);
      if (match) report.text(match[2]!, `parameters.${match[1]}`, "config");
      continue;
    }
    const equals = text.indexOf("=");
    if (equals <= 0) continue;
    const key = text.slice(0, equals);
    const value = text.slice(equals + 1);
    if (section === "header") header.set(key, value);
    else if (section === "tree" && current) current.fields.set(key, value);
  }
  validateHeader(header, trees.length, report);
  if (!sawEnd) report.anomaly("truncated", "no `end of trees` line", "end of trees");
  const featureLimit = Number(header.get("max_feature_idx") ?? "-1");
  const sizes = splitValues(header.get("tree_sizes") ?? "").map(Number);
  for (const tree of trees) {
    checkDeadline();
    validateTree(tree.fields, `Tree=${tree.index}`, featureLimit, report);
    const declared = sizes[trees.indexOf(tree)];
    if (sizes.length === trees.length && declared !== undefined && declared !== tree.end - tree.offset) {
      // LightGBM locates trees by these sizes; a mismatch means it reads other bytes than a line reader.
      report.anomaly(
        "malformed",
        `tree_sizes says ${declared} bytes but the section has ${tree.end - tree.offset}`,
        `Tree=${tree.index}`,
      );
    }
  }
}

function validateHeader(header: Map<string, string>, treeCount: number, report: ModelReport): void {
  for (const key of HEADER_REQUIRED) {
    if (!header.has(key)) report.anomaly("malformed", `header key ${key} missing`, key);
  }
  const version = header.get("version");
  if (version !== undefined && !/^v\d+$/.test(version))
    report.anomaly("malformed", `unknown version ${version}`, "version");
  const maxFeature = Number(header.get("max_feature_idx"));
  const names = splitValues(header.get("feature_names") ?? "");
  for (const name of names) report.text(name, "feature_names", "name");
  if (Number.isSafeInteger(maxFeature) && names.length > 0 && names.length !== maxFeature + 1) {
    report.anomaly("malformed", `${names.length} feature names for max_feature_idx ${maxFeature}`, "feature_names");
  }
  const infos = splitValues(header.get("feature_infos") ?? "");
  if (Number.isSafeInteger(maxFeature) && infos.length > 0 && infos.length !== maxFeature + 1) {
    report.anomaly("malformed", `${infos.length} feature_infos for max_feature_idx ${maxFeature}`, "feature_infos");
  }
  const objective = header.get("objective");
  if (objective) report.text(objective, "objective", "config");
  const sizes = header.get("tree_sizes");
  if (sizes !== undefined && splitValues(sizes).length !== treeCount) {
    report.anomaly(
      "malformed",
      `tree_sizes lists ${splitValues(sizes).length} trees, ${treeCount} stored`,
      "tree_sizes",
    );
  }
  const perIteration = Number(header.get("num_tree_per_iteration") ?? "1");
  if (!Number.isSafeInteger(perIteration) || perIteration < 1 || treeCount % perIteration !== 0) {
    report.anomaly(
      "malformed",
      `${treeCount} trees is not a multiple of num_tree_per_iteration`,
      "num_tree_per_iteration",
    );
  }
}

function validateTree(fields: Map<string, string>, path: string, maxFeature: number, report: ModelReport): void {
  const leaves = Number(fields.get("num_leaves"));
  if (!Number.isSafeInteger(leaves) || leaves < 1) {
    report.anomaly("malformed", "num_leaves missing or invalid", `${path}.num_leaves`);
    return;
  }
  const internal = leaves - 1;
  const expect = (name: string, length: number, required: boolean): string[] | null => {
    const raw = fields.get(name);
    if (raw === undefined) {
      if (required) report.anomaly("malformed", `${name} missing`, `${path}.${name}`);
      return null;
    }
    const values = splitValues(raw);
    if (values.length !== length) {
      report.anomaly("malformed", `${name} has ${values.length} values, expected ${length}`, `${path}.${name}`);
      return null;
    }
    return values;
  };
  // A one-leaf tree stores only leaf_value (LightGBM omits the empty internal arrays).
  const internalRequired = internal > 0;
  const arrays = new Map<string, string[] | null>();
  for (const name of INTERNAL_ARRAYS) arrays.set(name, expect(name, internal, internalRequired));
  for (const name of OPTIONAL_INTERNAL_ARRAYS) expect(name, internal, false);
  for (const name of LEAF_ARRAYS) expect(name, leaves, true);
  for (const name of OPTIONAL_LEAF_ARRAYS) expect(name, leaves, false);
  const features = arrays.get("split_feature");
  if (features && Number.isSafeInteger(maxFeature)) {
    for (const feature of features) {
      const value = Number(feature);
      if (!Number.isSafeInteger(value) || value < 0 || value > maxFeature) {
        report.anomaly(
          "malformed",
          `split on feature ${feature} beyond max_feature_idx ${maxFeature}`,
          `${path}.split_feature`,
        );
        break;
      }
    }
  }
  // Children: >= 0 is an internal node, < 0 is leaf ~child. Each node and leaf is reached once.
  const left = arrays.get("left_child");
  const right = arrays.get("right_child");
  if (left && right) {
    const seenInternal = new Uint8Array(Math.max(internal, 1));
    const seenLeaf = new Uint8Array(leaves);
    for (const raw of [...left, ...right]) {
      const child = Number(raw);
      const ok =
        Number.isSafeInteger(child) &&
        (child >= 0 ? child > 0 && child < internal && !seenInternal[child] : ~child < leaves && !seenLeaf[~child]);
      if (!ok) {
        report.anomaly("malformed", `child ${raw} is outside the tree or reached twice`, `${path}.left_child`);
        return;
      }
      if (child >= 0) seenInternal[child] = 1;
      else seenLeaf[~child] = 1;
    }
  }
  const categories = Number(fields.get("num_cat") ?? "0");
  if (Number.isSafeInteger(categories) && categories > 0) {
    const boundaries = expect("cat_boundaries", categories + 1, true);
    const thresholds = splitValues(fields.get("cat_threshold") ?? "");
    const last = boundaries ? Number(boundaries.at(-1)) : Number.NaN;
    if (boundaries && last !== thresholds.length) {
      report.anomaly(
        "malformed",
        `cat_boundaries ends at ${last}, cat_threshold has ${thresholds.length}`,
        `${path}.cat_threshold`,
      );
    }
  }
}

/** `pandas_categorical:` holds JSON (`null` or a list of category lists); its strings are data. */
function emitPandasCategorical(json: string, report: ModelReport): void {
  let value: unknown;
  try {
    value = parseBoundedJson(new TextEncoder().encode(json), 8);
  } catch (error) {
    if (!(error instanceof JsonProblem)) throw error;
    report.anomaly(error.kind, `pandas_categorical: ${error.message}`, "pandas_categorical");
    return;
  }
  if (value === null) return;
  if (!Array.isArray(value)) {
    report.anomaly("malformed", "pandas_categorical is neither null nor a list", "pandas_categorical");
    return;
  }
  value.forEach((categories, column) => {
    if (!Array.isArray(categories)) return;
    for (const category of categories) {
      if (typeof category === "string") report.text(category, `pandas_categorical[${column}]`, "string-constant");
    }
  });
}
