import type { ParseContext } from "@modelaudit/core";
import { ModelReport } from "./model-report.js";
import { readModelBytes } from "./read-model-bytes.js";
import { LEARNER_PARAM } from "./xgboost-legacy-binary-handler.js";

/**
 * The legacy binary XGBoost model (`save_model("x.model")` / `.bst` before 2.0, `save_raw()`):
 * little-endian structs written field by field. Layout as of XGBoost 1.x:
 *   ["binf"] LearnerModelParam (136 bytes) | objective name | booster name | booster model | attributes
 * Strings are a uint64 length then bytes. gbtree/dart: GBTreeModelParam (160 bytes), then per tree a
 * TreeParam (148 bytes), num_nodes nodes (20 bytes) and node stats (16 bytes), then tree_info.
 */

const GBTREE_PARAM = 160;
const TREE_PARAM = 148;
const NODE = 20;
const NODE_STAT = 16;
const GBLINEAR_PARAM = 136;
const MAX_NAME = 256;

class BinaryProblem extends Error {
  constructor(
    readonly code: "truncated" | "malformed",
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

class LittleEndianReader {
  offset: number;
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
  ) {
    this.offset = offset;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get remaining(): number {
    return this.bytes.length - this.offset;
  }
  need(count: number, what: string): void {
    if (count > this.remaining) {
      throw new BinaryProblem("truncated", `${what} needs ${count} bytes, ${this.remaining} remain`, this.offset);
    }
  }
  int32(what: string): number {
    this.need(4, what);
    const value = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }
  uint64(what: string): number {
    this.need(8, what);
    const value = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new BinaryProblem("malformed", `${what} ${value} is absurd`, this.offset - 8);
    }
    return Number(value);
  }
  skip(count: number, what: string): void {
    this.need(count, what);
    this.offset += count;
  }
  string(what: string, max = Number.MAX_SAFE_INTEGER): string {
    const length = this.uint64(`${what} length`);
    if (length > max) throw new BinaryProblem("malformed", `${what} length ${length} exceeds ${max}`, this.offset - 8);
    this.need(length, what);
    const text = new TextDecoder("utf-8").decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }
}

/** The parse of {@link xgboostLegacyBinaryHandler}, imported on the first legacy binary model. */
export async function parseXgboostLegacyBinary(context: ParseContext): Promise<void> {
  const bytes = await readModelBytes(context, "legacy binary XGBoost model");
  if (!bytes) return;
  const report = new ModelReport(context);
  try {
    parseLegacy(bytes, report, context.checkDeadline);
  } catch (error) {
    if (!(error instanceof BinaryProblem)) throw error;
    report.anomaly(error.code, error.message, undefined, true, error.offset);
  }
  report.finish("legacy binary XGBoost model not fully parsed");
}

function parseLegacy(bytes: Uint8Array, report: ModelReport, checkDeadline: () => void): void {
  const hasMagic = bytes[0] === 0x62 && bytes[1] === 0x69 && bytes[2] === 0x6e && bytes[3] === 0x66;
  const reader = new LittleEndianReader(bytes, hasMagic ? 4 : 0);
  const paramStart = reader.offset;
  reader.skip(4, "base_score");
  const featureCount = reader.int32("num_feature");
  reader.int32("num_class");
  const extraAttributes = reader.int32("contain_extra_attrs");
  const evalMetrics = reader.int32("contain_eval_metrics");
  reader.offset = paramStart;
  reader.skip(LEARNER_PARAM, "learner parameters");
  const objective = reader.string("objective name", MAX_NAME);
  report.text(objective, "objective", "config");
  const booster = reader.string("booster name", MAX_NAME);
  report.text(booster, "gradient_booster", "config");
  if (booster === "gbtree" || booster === "dart") {
    const treeCount = readTrees(reader, featureCount, report, checkDeadline);
    if (booster === "dart") {
      const weights = reader.uint64("dart weight count");
      if (weights !== treeCount) {
        report.anomaly("malformed", `${weights} dart weights for ${treeCount} trees`, "weight_drop");
      }
      reader.skip(weights * 4, "dart weights");
    }
  } else if (booster === "gblinear") {
    reader.skip(GBLINEAR_PARAM, "gblinear parameters");
    const weights = reader.uint64("linear weight count");
    reader.skip(weights * 4, "linear weights");
  } else {
    report.anomaly("malformed", `unknown booster ${JSON.stringify(booster)}`, "gradient_booster");
    return;
  }
  if (extraAttributes !== 0) {
    const count = reader.uint64("attribute count");
    // Each attribute needs two 8-byte lengths at least.
    if (count * 16 > reader.remaining) {
      throw new BinaryProblem("truncated", `${count} attributes cannot fit`, reader.offset - 8);
    }
    for (let index = 0; index < count; index++) {
      const key = reader.string("attribute name");
      const value = reader.string("attribute value");
      report.text(key, "attributes", "metadata");
      report.text(value, `attributes.${key}`, "metadata");
    }
  }
  if (evalMetrics !== 0) {
    const count = reader.uint64("eval metric count");
    if (count * 8 > reader.remaining)
      throw new BinaryProblem("truncated", `${count} metrics cannot fit`, reader.offset);
    for (let index = 0; index < count; index++) report.text(reader.string("eval metric"), "metrics", "config");
  }
  if (reader.remaining > 0) {
    report.anomaly("trailing-data", `${reader.remaining} bytes after the model`, undefined, false, reader.offset);
  }
}

function readTrees(
  reader: LittleEndianReader,
  featureCount: number,
  report: ModelReport,
  checkDeadline: () => void,
): number {
  const start = reader.offset;
  const treeCount = reader.int32("num_trees");
  reader.offset = start;
  reader.skip(GBTREE_PARAM, "gbtree parameters");
  if (treeCount < 0 || treeCount * TREE_PARAM > reader.remaining) {
    throw new BinaryProblem("malformed", `num_trees ${treeCount} cannot fit in the file`, start);
  }
  for (let tree = 0; tree < treeCount; tree++) {
    checkDeadline();
    const treeStart = reader.offset;
    reader.int32("num_roots");
    const nodeCount = reader.int32("num_nodes");
    reader.skip(12, "tree parameters");
    const leafVector = reader.int32("size_leaf_vector");
    reader.offset = treeStart;
    reader.skip(TREE_PARAM, "tree parameters");
    if (nodeCount < 1 || nodeCount * (NODE + NODE_STAT) > reader.remaining) {
      throw new BinaryProblem("malformed", `tree ${tree}: num_nodes ${nodeCount} cannot fit in the file`, treeStart);
    }
    checkNodes(reader, tree, nodeCount, featureCount, report);
    reader.skip(nodeCount * (NODE + NODE_STAT), `tree ${tree} nodes`);
    if (leafVector !== 0) {
      const length = reader.uint64(`tree ${tree} leaf vector length`);
      reader.skip(length * 4, `tree ${tree} leaf vector`);
    }
  }
  reader.skip(treeCount * 4, "tree_info");
  return treeCount;
}

/** Children inside the tree and never shared; split features inside num_feature. */
function checkNodes(
  reader: LittleEndianReader,
  tree: number,
  nodeCount: number,
  featureCount: number,
  report: ModelReport,
): void {
  const view = new DataView(reader.bytes.buffer, reader.bytes.byteOffset, reader.bytes.byteLength);
  const referenced = new Uint8Array(nodeCount);
  for (let node = 0; node < nodeCount; node++) {
    const at = reader.offset + node * NODE;
    const left = view.getInt32(at + 4, true);
    const right = view.getInt32(at + 8, true);
    const feature = view.getUint32(at + 12, true) & 0x7fffffff;
    if (left === -1 && right === -1) continue;
    for (const child of [left, right]) {
      if (child <= 0 || child >= nodeCount || referenced[child]) {
        report.anomaly("malformed", `tree ${tree} node ${node} has invalid or shared child ${child}`, `trees[${tree}]`);
        return;
      }
      referenced[child] = 1;
    }
    if (featureCount > 0 && feature >= featureCount) {
      report.anomaly(
        "malformed",
        `tree ${tree} node ${node} splits on feature ${feature} of ${featureCount}`,
        `trees[${tree}]`,
      );
      return;
    }
  }
}
