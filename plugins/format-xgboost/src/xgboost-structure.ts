import type { ModelReport } from "./model-report.js";

/**
 * Structure checks shared by the XGBoost JSON and UBJSON forms (they hold the same document):
 * learner, booster, tree count against `num_trees`, per-tree array lengths against `num_nodes`,
 * child indices inside the tree and never shared (a shared child can make prediction loop).
 * Strings that a person or a detector may want to judge become text facts.
 */

type Value = unknown;
type NumberList = ArrayLike<number>;

const TREE_ARRAYS = [
  "left_children",
  "right_children",
  "parents",
  "split_indices",
  "split_conditions",
  "default_left",
  "base_weights",
  "loss_changes",
  "sum_hessian",
] as const;

function isObject(value: Value): value is Record<string, Value> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function asNumberList(value: Value): NumberList | null {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return value as unknown as NumberList;
  if (Array.isArray(value) && value.every((item) => typeof item === "number" || typeof item === "boolean")) {
    return value.map(Number);
  }
  return null;
}

function listLength(value: Value): number | null {
  if (Array.isArray(value)) return value.length;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as NumberList).length;
  return null;
}

/** XGBoost writes integer parameters as decimal strings ("3"); accept numbers too. */
function integerParameter(value: Value): number | null {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value)) return Number(value);
  return null;
}

export interface StructureOptions {
  checkDeadline: () => void;
}

export function validateXgboostDocument(root: Value, report: ModelReport, options: StructureOptions): void {
  if (!isObject(root)) {
    report.anomaly("malformed", "top level is not an object");
    return;
  }
  const version = root.version;
  const versionNumbers = asNumberList(version);
  if (versionNumbers?.length !== 3) {
    report.anomaly("malformed", "missing or invalid `version` (expected [major, minor, patch])", "version");
  }
  const learner = root.learner;
  if (!isObject(learner)) {
    report.anomaly("malformed", "missing `learner` object", "learner");
    return;
  }
  emitStrings(learner.feature_names, "learner.feature_names", "name", report);
  emitStrings(learner.feature_types, "learner.feature_types", "config", report);
  if (isObject(learner.attributes)) {
    for (const [key, value] of Object.entries(learner.attributes)) {
      report.text(key, `learner.attributes`, "metadata");
      if (typeof value === "string") report.text(value, `learner.attributes.${key}`, "metadata");
    }
  }
  if (isObject(learner.objective)) {
    emitObjectStrings(learner.objective, "learner.objective", report, 0);
  } else {
    report.anomaly("malformed", "missing `learner.objective`", "learner.objective");
  }
  const parameters = isObject(learner.learner_model_param) ? learner.learner_model_param : null;
  const featureCount = integerParameter(parameters?.num_feature) ?? 0;
  const names = listLength(learner.feature_names);
  if (names !== null && names > 0 && featureCount > 0 && names !== featureCount) {
    report.anomaly("malformed", `${names} feature names for num_feature ${featureCount}`, "learner.feature_names");
  }
  validateBooster(learner.gradient_booster, "learner.gradient_booster", featureCount, report, options);
}

function emitStrings(value: Value, key: string, role: "name" | "config", report: ModelReport): void {
  if (!Array.isArray(value)) return;
  for (const item of value) if (typeof item === "string") report.text(item, key, role);
}

function emitObjectStrings(value: Record<string, Value>, path: string, report: ModelReport, depth: number): void {
  if (depth > 8) return;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "string") report.text(item, `${path}.${key}`, "config");
    else if (isObject(item)) emitObjectStrings(item, `${path}.${key}`, report, depth + 1);
  }
}

function validateBooster(
  booster: Value,
  path: string,
  featureCount: number,
  report: ModelReport,
  options: StructureOptions,
): void {
  if (!isObject(booster)) {
    report.anomaly("malformed", "missing gradient booster", path);
    return;
  }
  const name = booster.name;
  if (typeof name === "string") report.text(name, `${path}.name`, "config");
  if (name === "gbtree") {
    validateTreeModel(booster.model, `${path}.model`, featureCount, report, options);
  } else if (name === "dart") {
    validateBooster(booster.gbtree, `${path}.gbtree`, featureCount, report, options);
    const inner = isObject(booster.gbtree) && isObject(booster.gbtree.model) ? booster.gbtree.model : null;
    const treeCount = inner ? listLength(inner.trees) : null;
    const drops = listLength(booster.weight_drop);
    if (drops === null) report.anomaly("malformed", "dart booster without `weight_drop`", `${path}.weight_drop`);
    else if (treeCount !== null && drops !== treeCount) {
      report.anomaly("malformed", `${drops} dart weights for ${treeCount} trees`, `${path}.weight_drop`);
    }
  } else if (name === "gblinear") {
    const model = isObject(booster.model) ? booster.model : null;
    const weights = model ? asNumberList(model.weights) : null;
    if (!weights) {
      report.anomaly("malformed", "gblinear booster without numeric `weights`", `${path}.model.weights`);
    } else if (featureCount > 0 && weights.length % (featureCount + 1) !== 0) {
      report.anomaly(
        "malformed",
        `${weights.length} linear weights is not a multiple of num_feature + 1 (${featureCount + 1})`,
        `${path}.model.weights`,
      );
    }
  } else {
    report.anomaly("malformed", `unknown gradient booster ${JSON.stringify(name)}`, `${path}.name`);
  }
}

function validateTreeModel(
  model: Value,
  path: string,
  featureCount: number,
  report: ModelReport,
  options: StructureOptions,
): void {
  if (!isObject(model)) {
    report.anomaly("malformed", "tree booster without `model`", path);
    return;
  }
  const trees = model.trees;
  if (!Array.isArray(trees)) {
    report.anomaly("malformed", "tree model without a `trees` array", `${path}.trees`);
    return;
  }
  const parameters = isObject(model.gbtree_model_param) ? model.gbtree_model_param : null;
  const declared = integerParameter(parameters?.num_trees);
  if (declared === null) {
    report.anomaly("malformed", "missing gbtree_model_param.num_trees", `${path}.gbtree_model_param.num_trees`);
  } else if (declared !== trees.length) {
    report.anomaly(
      "malformed",
      `num_trees says ${declared} but ${trees.length} trees are stored`,
      `${path}.gbtree_model_param.num_trees`,
    );
  }
  const treeInfo = listLength(model.tree_info);
  if (treeInfo === null) report.anomaly("malformed", "tree model without `tree_info`", `${path}.tree_info`);
  else if (treeInfo !== trees.length) {
    report.anomaly("malformed", `${treeInfo} tree_info entries for ${trees.length} trees`, `${path}.tree_info`);
  }
  for (let index = 0; index < trees.length; index++) {
    options.checkDeadline();
    validateTree(trees[index], `${path}.trees[${index}]`, featureCount, report);
  }
}

function validateTree(tree: Value, path: string, featureCount: number, report: ModelReport): void {
  if (!isObject(tree)) {
    report.anomaly("malformed", "tree is not an object", path);
    return;
  }
  const parameters = isObject(tree.tree_param) ? tree.tree_param : null;
  const nodeCount = integerParameter(parameters?.num_nodes);
  if (nodeCount === null || nodeCount < 1) {
    report.anomaly("malformed", "tree without a positive tree_param.num_nodes", `${path}.tree_param.num_nodes`);
    return;
  }
  const lists = new Map<string, NumberList>();
  for (const name of TREE_ARRAYS) {
    const list = asNumberList(tree[name]);
    if (!list) {
      report.anomaly("malformed", `tree array \`${name}\` missing or not numeric`, `${path}.${name}`);
      return;
    }
    if (list.length !== nodeCount) {
      report.anomaly("malformed", `\`${name}\` has ${list.length} entries for ${nodeCount} nodes`, `${path}.${name}`);
      return;
    }
    lists.set(name, list);
  }
  const splitType = listLength(tree.split_type);
  if (splitType !== null && splitType !== nodeCount) {
    report.anomaly("malformed", `\`split_type\` has ${splitType} entries for ${nodeCount} nodes`, `${path}.split_type`);
  }
  const left = lists.get("left_children")!;
  const right = lists.get("right_children")!;
  const splits = lists.get("split_indices")!;
  const referenced = new Uint8Array(nodeCount);
  for (let node = 0; node < nodeCount; node++) {
    const leftChild = left[node]!;
    const rightChild = right[node]!;
    if ((leftChild === -1) !== (rightChild === -1)) {
      report.anomaly("malformed", `node ${node} has only one child`, `${path}.left_children[${node}]`);
      return;
    }
    if (leftChild === -1) continue;
    for (const child of [leftChild, rightChild]) {
      if (!Number.isInteger(child) || child <= 0 || child >= nodeCount) {
        report.anomaly("malformed", `node ${node} points at child ${child} outside the tree`, `${path}.left_children`);
        return;
      }
      if (referenced[child]) {
        report.anomaly(
          "malformed",
          `node ${child} is the child of two nodes (a cycle or a DAG)`,
          `${path}.left_children`,
        );
        return;
      }
      referenced[child] = 1;
    }
    const feature = splits[node]!;
    if (featureCount > 0 && (feature < 0 || feature >= featureCount)) {
      report.anomaly(
        "malformed",
        `node ${node} splits on feature ${feature} of ${featureCount}`,
        `${path}.split_indices[${node}]`,
      );
      return;
    }
  }
  validateCategories(tree, path, report);
}

/** Categorical splits: per-node segments must lie inside the flat `categories` array. */
function validateCategories(tree: Record<string, Value>, path: string, report: ModelReport): void {
  const categories = listLength(tree.categories);
  const segments = asNumberList(tree.categories_segments);
  const sizes = asNumberList(tree.categories_sizes);
  const nodes = listLength(tree.categories_nodes);
  if (categories === null || !segments || !sizes || nodes === null) return;
  if (segments.length !== sizes.length || nodes !== sizes.length) {
    report.anomaly("malformed", "categorical split arrays disagree in length", `${path}.categories_segments`);
    return;
  }
  for (let index = 0; index < segments.length; index++) {
    const start = segments[index]!;
    const size = sizes[index]!;
    if (start < 0 || size < 0 || start + size > categories) {
      report.anomaly(
        "malformed",
        `categorical segment ${index} lies outside categories`,
        `${path}.categories_segments`,
      );
      return;
    }
  }
}
