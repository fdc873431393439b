import {
  filterParts,
  type JinjaNode,
  nodeField,
  nodeList,
  objectEntries,
  operatorOf,
  stringField,
} from "./template-ast.js";

const MAX_RENDER_DEPTH = 24;
const MAX_RENDER_LENGTH = 160;

/** Renders an expression back to short Jinja-like text for messages and evidence; bounded in depth and length. */
export function renderExpression(node: JinjaNode | undefined): string {
  const text = render(node, 0);
  return text.length <= MAX_RENDER_LENGTH ? text : `${text.slice(0, MAX_RENDER_LENGTH)}…`;
}

function render(node: JinjaNode | undefined, depth: number): string {
  if (!node) return "?";
  if (depth > MAX_RENDER_DEPTH) return "…";
  const next = (child: JinjaNode | undefined) => render(child, depth + 1);
  const all = (children: JinjaNode[]) => children.map(next).join(", ");
  switch (node.type) {
    case "Identifier":
      return stringField(node, "value") ?? "?";
    case "StringLiteral":
      return quote(stringField(node, "value") ?? "");
    case "IntegerLiteral":
    case "FloatLiteral":
      return String(node.value);
    case "ArrayLiteral":
      return `[${all(nodeList(node, "value"))}]`;
    case "TupleLiteral":
      return `(${all(nodeList(node, "value"))})`;
    case "ObjectLiteral":
      return `{${objectEntries(node)
        .map(([key, value]) => `${next(key)}: ${next(value)}`)
        .join(", ")}}`;
    case "MemberExpression": {
      const object = next(nodeField(node, "object"));
      const property = nodeField(node, "property");
      if (node.computed === true) return `${object}[${next(property)}]`;
      return `${object}.${next(property)}`;
    }
    case "CallExpression":
      return `${next(nodeField(node, "callee"))}(${all(nodeList(node, "args"))})`;
    case "FilterExpression": {
      const filter = filterParts(nodeField(node, "filter"));
      const operand = next(nodeField(node, "operand"));
      if (!filter) return `${operand}|?`;
      return filter.args.length > 0 || nodeField(node, "filter")?.type === "CallExpression"
        ? `${operand}|${filter.name}(${all(filter.args)})`
        : `${operand}|${filter.name}`;
    }
    case "BinaryExpression":
      return `${next(nodeField(node, "left"))} ${operatorOf(node) ?? "?"} ${next(nodeField(node, "right"))}`;
    case "UnaryExpression":
      return `${operatorOf(node) ?? "?"} ${next(nodeField(node, "argument"))}`;
    case "SliceExpression": {
      const part = (name: string) => {
        const child = nodeField(node, name);
        return child ? next(child) : "";
      };
      const step = nodeField(node, "step");
      return `${part("start")}:${part("stop")}${step ? `:${next(step)}` : ""}`;
    }
    case "KeywordArgumentExpression":
      return `${next(nodeField(node, "key"))}=${next(nodeField(node, "value"))}`;
    case "SpreadExpression":
      return `*${next(nodeField(node, "argument"))}`;
    case "KeywordSpreadExpression":
      return `**${next(nodeField(node, "argument"))}`;
    case "TestExpression":
      return `${next(nodeField(node, "operand"))} is ${node.negate === true ? "not " : ""}${next(nodeField(node, "test"))}`;
    case "SelectExpression":
      return `${next(nodeField(node, "lhs"))} if ${next(nodeField(node, "test"))}`;
    case "Ternary":
      return `${next(nodeField(node, "trueExpr"))} if ${next(nodeField(node, "condition"))} else ${next(nodeField(node, "falseExpr"))}`;
    default:
      return node.type;
  }
}

function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return `'${shown.replace(/[\\']/g, (character) => `\\${character}`).replace(/[\u0000-\u001f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, "0")}`)}'`;
}
