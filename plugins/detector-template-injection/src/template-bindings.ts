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
  /** An element of the iterable; with `index`, that item of each element (`for a, b in pairs`). */
  | { kind: "element-of"; node: JinjaNode; index?: number };

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
  /** Each macro's parameter names in order, so call sites can bind their arguments to them. */
  const macroParameters = new Map<string, string[]>();
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
          bindObjectEntries(name, value, add, 0);
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
        (loopVariable ? (sequenceElements(loopVariable) ?? []) : []).forEach((element, index) => {
          const elementName = identifierName(element);
          if (elementName === undefined) return;
          bindings.localNames.add(elementName);
          if (iterable) add(elementName, { kind: "element-of", node: iterable, index });
        });
        break;
      }
      case "Macro": {
        const name = identifierName(nodeField(node, "name"));
        if (name !== undefined) {
          bindings.localNames.add(name);
          add(`${name}()`, { kind: "body", nodes: nodeList(node, "body") });
          macroParameters.set(name, parameterNames(nodeList(node, "args")));
        }
        addParameterNames(nodeList(node, "args"), bindings.localNames);
        // A default is a value the parameter may take: `{% macro m(k='__class__') %}`.
        for (const parameter of nodeList(node, "args")) {
          const parameterName = identifierName(nodeField(parameter, "key"));
          const fallback = nodeField(parameter, "value");
          if (parameter.type === "KeywordArgumentExpression" && parameterName !== undefined && fallback)
            add(parameterName, { kind: "value", node: fallback });
        }
        break;
      }
      case "CallStatement":
        addParameterNames(nodeList(node, "callerArgs"), bindings.localNames);
        bindings.localNames.add("caller");
        // `caller()` inside the macro renders the call block's body.
        add("caller()", { kind: "body", nodes: nodeList(node, "body") });
        break;
      default:
        break;
    }
  }
  // Every call site binds its arguments to the macro's parameters: `{{ m(x, '__class__') }}`.
  for (const node of nodes) {
    if (node.type !== "CallExpression") continue;
    const parameters = macroParameters.get(identifierName(nodeField(node, "callee")) ?? "");
    if (!parameters) continue;
    nodeList(node, "args").forEach((argument, index) => {
      if (argument.type === "KeywordArgumentExpression") {
        const key = identifierName(nodeField(argument, "key"));
        const value = nodeField(argument, "value");
        if (key !== undefined && value && parameters.includes(key)) add(key, { kind: "value", node: value });
      } else if (index < parameters.length) {
        add(parameters[index]!, { kind: "value", node: argument });
      }
    });
  }
  return bindings;
}

function parameterNames(parameters: readonly JinjaNode[]): string[] {
  return parameters.map((parameter) => identifierName(parameter) ?? identifierName(nodeField(parameter, "key")) ?? "");
}

/** `{% set d = {'k': '__class__'} %}` binds `d.k` (nested literals `d.k.j`), read back as `d.k` or `d['k']`. */
function bindObjectEntries(
  name: string,
  value: JinjaNode,
  add: (name: string, binding: Binding) => void,
  depth: number,
): void {
  if (value.type !== "ObjectLiteral" || depth > 8) return;
  for (const [key, item] of objectEntries(value)) {
    if (key.type !== "StringLiteral" || typeof key.value !== "string") continue;
    add(`${name}.${key.value}`, { kind: "value", node: item });
    bindObjectEntries(`${name}.${key.value}`, item, add, depth + 1);
  }
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
      if (key !== undefined && argumentValue) {
        add(`${name}.${key}`, { kind: "value", node: argumentValue });
        bindObjectEntries(`${name}.${key}`, argumentValue, add, 0);
      }
    } else if (argument.type === "ObjectLiteral") {
      for (const [key, item] of objectEntries(argument)) {
        if (key.type === "StringLiteral" && typeof key.value === "string") {
          add(`${name}.${key.value}`, { kind: "value", node: item });
          bindObjectEntries(`${name}.${key.value}`, item, add, 0);
        }
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
