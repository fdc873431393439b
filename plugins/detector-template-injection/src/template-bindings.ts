import {
  identifierName,
  type JinjaNode,
  nodeField,
  nodeList,
  objectEntries,
  sequenceElements,
} from "./template-ast.js";

/** What a name is bound to inside the template, flow-insensitively: every assignment counts. */
export type Binding =
  | { kind: "value"; node: JinjaNode }
  | { kind: "body"; nodes: JinjaNode[] }
  | { kind: "element-of"; node: JinjaNode };

export interface TemplateBindings {
  /** `name` or `namespace.attribute` → every value assigned to it. */
  values: Map<string, Binding[]>;
  /** Every name the template defines (set, for, macro and its parameters, call-block parameters). */
  localNames: Set<string>;
}

/** Collects assignments so constant folding can follow `{% set a = '__cla' ~ 'ss__' %}{{ x[a] }}`. */
export function collectBindings(nodes: readonly JinjaNode[]): TemplateBindings {
  const bindings: TemplateBindings = { values: new Map(), localNames: new Set() };
  const add = (name: string, binding: Binding) => {
    const list = bindings.values.get(name) ?? [];
    if (list.length < 64) list.push(binding);
    bindings.values.set(name, list);
  };
  for (const node of nodes) {
    switch (node.type) {
      case "Set": {
        const assignee = nodeField(node, "assignee");
        const value = nodeField(node, "value");
        const name = assignee ? assigneeName(assignee) : undefined;
        if (assignee?.type === "TupleLiteral") {
          const targets = sequenceElements(assignee) ?? [];
          const values = value ? sequenceElements(value) : undefined;
          targets.forEach((target, index) => {
            const targetName = identifierName(target);
            if (targetName === undefined) return;
            bindings.localNames.add(targetName);
            const element = values?.[index];
            if (element) add(targetName, { kind: "value", node: element });
          });
        }
        if (name === undefined) break;
        if (!name.includes(".")) bindings.localNames.add(name);
        if (value) {
          add(name, { kind: "value", node: value });
          bindNamespaceArguments(name, value, add);
        } else {
          add(name, { kind: "body", nodes: nodeList(node, "body") });
        }
        break;
      }
      case "For": {
        const loopVariable = nodeField(node, "loopvar");
        const iterable = nodeField(node, "iterable");
        const name = identifierName(loopVariable);
        if (name !== undefined) {
          bindings.localNames.add(name);
          if (iterable) add(name, { kind: "element-of", node: iterable });
        }
        for (const element of loopVariable ? (sequenceElements(loopVariable) ?? []) : []) {
          const elementName = identifierName(element);
          if (elementName !== undefined) bindings.localNames.add(elementName);
        }
        break;
      }
      case "Macro": {
        const name = identifierName(nodeField(node, "name"));
        if (name !== undefined) {
          bindings.localNames.add(name);
          add(`${name}()`, { kind: "body", nodes: nodeList(node, "body") });
        }
        addParameterNames(nodeList(node, "args"), bindings.localNames);
        break;
      }
      case "CallStatement":
        addParameterNames(nodeList(node, "callerArgs"), bindings.localNames);
        bindings.localNames.add("caller");
        break;
      default:
        break;
    }
  }
  return bindings;
}

function assigneeName(assignee: JinjaNode): string | undefined {
  const plain = identifierName(assignee);
  if (plain !== undefined) return plain;
  if (assignee.type === "MemberExpression" && assignee.computed !== true) {
    const object = identifierName(nodeField(assignee, "object"));
    const property = identifierName(nodeField(assignee, "property"));
    if (object !== undefined && property !== undefined) return `${object}.${property}`;
  }
  return undefined;
}

/** `{% set ns = namespace(key='value') %}` binds `ns.key`. */
function bindNamespaceArguments(name: string, value: JinjaNode, add: (name: string, binding: Binding) => void): void {
  if (value.type !== "CallExpression" || identifierName(nodeField(value, "callee")) !== "namespace") return;
  for (const argument of nodeList(value, "args")) {
    if (argument.type === "KeywordArgumentExpression") {
      const key = identifierName(nodeField(argument, "key"));
      const argumentValue = nodeField(argument, "value");
      if (key !== undefined && argumentValue) add(`${name}.${key}`, { kind: "value", node: argumentValue });
    } else if (argument.type === "ObjectLiteral") {
      for (const [key, item] of objectEntries(argument)) {
        if (key.type === "StringLiteral" && typeof key.value === "string")
          add(`${name}.${key.value}`, { kind: "value", node: item });
      }
    }
  }
}

function addParameterNames(parameters: readonly JinjaNode[], names: Set<string>): void {
  for (const parameter of parameters) {
    const name = identifierName(parameter) ?? identifierName(nodeField(parameter, "key"));
    if (name !== undefined) names.add(name);
  }
}
