/**
 * Structural views of the @huggingface/jinja AST. The package does not export its node classes, and the
 * tree comes from hostile input, so nodes are read by their `type` tag and every field is checked before use.
 */

export interface JinjaNode {
  type: string;
  [field: string]: unknown;
}

export function isNode(value: unknown): value is JinjaNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export function nodeField(node: JinjaNode, field: string): JinjaNode | undefined {
  const value = node[field];
  return isNode(value) ? value : undefined;
}

export function nodeList(node: JinjaNode, field: string): JinjaNode[] {
  const value = node[field];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

export function stringField(node: JinjaNode, field: string): string | undefined {
  const value = node[field];
  return typeof value === "string" ? value : undefined;
}

/** The operator text of a BinaryExpression or UnaryExpression (`~`, `+`, `%`, `not`...). */
export function operatorOf(node: JinjaNode): string | undefined {
  const operator = node.operator;
  if (typeof operator === "object" && operator !== null) {
    const value = (operator as { value?: unknown }).value;
    if (typeof value === "string") return value;
  }
  return undefined;
}

/** Identifier name, or undefined when the node is not an identifier. */
export function identifierName(node: JinjaNode | undefined): string | undefined {
  return node?.type === "Identifier" ? stringField(node, "value") : undefined;
}

/** Elements of an ArrayLiteral or TupleLiteral. */
export function sequenceElements(node: JinjaNode): JinjaNode[] | undefined {
  if (node.type !== "ArrayLiteral" && node.type !== "TupleLiteral") return undefined;
  return nodeList(node, "value");
}

/** Key/value pairs of an ObjectLiteral. */
export function objectEntries(node: JinjaNode): [JinjaNode, JinjaNode][] {
  const value = node.value;
  if (!(value instanceof Map)) return [];
  const entries: [JinjaNode, JinjaNode][] = [];
  for (const [key, item] of value) if (isNode(key) && isNode(item)) entries.push([key, item]);
  return entries;
}

/** The filter of a FilterExpression/FilterStatement: its name and call arguments. */
export function filterParts(filter: JinjaNode | undefined): { name: string; args: JinjaNode[] } | undefined {
  if (!filter) return undefined;
  const plain = identifierName(filter);
  if (plain !== undefined) return { name: plain, args: [] };
  if (filter.type === "CallExpression") {
    const name = identifierName(nodeField(filter, "callee"));
    if (name !== undefined) return { name, args: nodeList(filter, "args") };
  }
  return undefined;
}

/** Every direct child node, in source order as far as the tree keeps it. */
export function childrenOf(node: JinjaNode): JinjaNode[] {
  const children: JinjaNode[] = [];
  const push = (...nodes: (JinjaNode | undefined)[]) => {
    for (const child of nodes) if (child) children.push(child);
  };
  switch (node.type) {
    case "Program":
      push(...nodeList(node, "body"));
      break;
    case "If":
      push(nodeField(node, "test"), ...nodeList(node, "body"), ...nodeList(node, "alternate"));
      break;
    case "For":
      push(
        nodeField(node, "loopvar"),
        nodeField(node, "iterable"),
        ...nodeList(node, "body"),
        ...nodeList(node, "defaultBlock"),
      );
      break;
    case "Set":
      push(nodeField(node, "assignee"), nodeField(node, "value"), ...nodeList(node, "body"));
      break;
    case "Macro":
      push(nodeField(node, "name"), ...nodeList(node, "args"), ...nodeList(node, "body"));
      break;
    case "MemberExpression":
      push(nodeField(node, "object"), nodeField(node, "property"));
      break;
    case "CallExpression":
      push(nodeField(node, "callee"), ...nodeList(node, "args"));
      break;
    case "ArrayLiteral":
    case "TupleLiteral":
      push(...nodeList(node, "value"));
      break;
    case "ObjectLiteral":
      for (const [key, value] of objectEntries(node)) push(key, value);
      break;
    case "BinaryExpression":
      push(nodeField(node, "left"), nodeField(node, "right"));
      break;
    case "FilterExpression":
      push(nodeField(node, "operand"), nodeField(node, "filter"));
      break;
    case "FilterStatement":
      push(nodeField(node, "filter"), ...nodeList(node, "body"));
      break;
    case "SelectExpression":
      push(nodeField(node, "lhs"), nodeField(node, "test"));
      break;
    case "TestExpression":
      push(nodeField(node, "operand"), nodeField(node, "test"));
      break;
    case "UnaryExpression":
    case "SpreadExpression":
    case "KeywordSpreadExpression":
      push(nodeField(node, "argument"));
      break;
    case "SliceExpression":
      push(nodeField(node, "start"), nodeField(node, "stop"), nodeField(node, "step"));
      break;
    case "KeywordArgumentExpression":
      push(nodeField(node, "key"), nodeField(node, "value"));
      break;
    case "CallStatement":
      push(nodeField(node, "call"), ...nodeList(node, "callerArgs"), ...nodeList(node, "body"));
      break;
    case "Ternary":
      push(nodeField(node, "condition"), nodeField(node, "trueExpr"), nodeField(node, "falseExpr"));
      break;
    default:
      break;
  }
  return children;
}
