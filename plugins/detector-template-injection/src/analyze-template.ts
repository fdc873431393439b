import { type AnalysisOptions, DEFAULT_ANALYSIS_OPTIONS } from "./analysis-options.js";
import { ConstantFolder, type Folded } from "./constant-folding.js";
import {
  dangerousNameReason,
  internalAttributeNames,
  internalAttributeReason,
  isDangerousGlobalCall,
  isDangerousGlobalModule,
  isGadgetHop,
  isGadgetRoot,
  isPrivateName,
} from "./dangerous-names.js";
import { identifierEscapes, tagRanges } from "./escape-sequences.js";
import { parseTemplate } from "./parse-template.js";
import type { Constant } from "./python-format.js";
import { renderExpression } from "./render-expression.js";
import { repairEmptyTuples } from "./repair-template.js";
import { SourcePositions } from "./source-position.js";
import { childrenOf, filterParts, identifierName, type JinjaNode, nodeField, stringField } from "./template-ast.js";
import { collectBindings, type TemplateBindings } from "./template-bindings.js";
import type { TemplateIssue } from "./template-issue.js";

export { type AnalysisOptions, DEFAULT_ANALYSIS_OPTIONS };

const MAX_NESTING = 500;

/** Filters that look an attribute up by a name given as an argument (`map(attribute='x')`). */
const ATTRIBUTE_ARGUMENT_FILTERS = new Set([
  "map",
  "selectattr",
  "rejectattr",
  "sort",
  "groupby",
  "sum",
  "unique",
  "min",
  "max",
]);
const POSITIONAL_ATTRIBUTE_FILTERS = new Set(["selectattr", "rejectattr", "groupby"]);

type AccessKind = "attribute" | "subscript" | "attr-filter" | "attribute-argument";

interface ChainStep {
  node: JinjaNode;
  kind: AccessKind | "call" | "filter";
  /** Attribute name written out (`.x`). */
  name?: string;
  /** Expression computing the key (subscript, `|attr(...)`, `attribute=`). */
  key?: JinjaNode;
  called: boolean;
}

const VIA: Record<AccessKind, string> = {
  attribute: "attribute access",
  subscript: "subscript",
  "attr-filter": "the attr filter",
  "attribute-argument": "an attribute argument of a filter",
};

/** Judges one Jinja template. Parses it (never renders it) and walks its AST. */
export function analyzeTemplate(source: string, options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS): TemplateIssue[] {
  const positions = new SourcePositions(source);
  const issues: TemplateIssue[] = [];
  if (source.length > options.maxTemplateChars) {
    issues.push({
      rule: "unparsable-template",
      messageId: "tooLarge",
      data: { size: source.length, limit: options.maxTemplateChars },
      construct: `${source.slice(0, 80)}…`,
    });
    issues.push(...rawTextIssues(source, positions));
    return issues.slice(0, options.maxIssues);
  }
  const parsed = parseTemplate(source);
  if (!parsed.ok) {
    issues.push({
      rule: "unparsable-template",
      messageId: "parseError",
      data: { reason: parsed.reason },
      construct: source.slice(0, 80),
    });
    const repaired = parseTemplate(repairEmptyTuples(source));
    if (!repaired.ok) {
      issues.push(...rawTextIssues(source, positions));
      return issues.slice(0, options.maxIssues);
    }
    return [...issues, ...analyzeProgram(source, repaired.program, positions, options)].slice(0, options.maxIssues);
  }
  return analyzeProgram(source, parsed.program, positions, options);
}

function analyzeProgram(
  source: string,
  program: JinjaNode,
  positions: SourcePositions,
  options: AnalysisOptions,
): TemplateIssue[] {
  const analysis = new AstAnalysis(source, program, positions, options);
  try {
    analysis.run();
  } catch (error) {
    // A bug or a pathological tree must not hide what was found so far.
    analysis.issues.push({
      rule: "unparsable-template",
      messageId: "analysisFailed",
      data: { reason: error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200) },
      construct: source.slice(0, 80),
    });
  }
  return analysis.issues.slice(0, options.maxIssues);
}

class AstAnalysis {
  readonly issues: TemplateIssue[] = [];
  private readonly nodes: JinjaNode[] = [];
  private readonly consumed = new WeakSet<JinjaNode>();
  /** Identifiers that name an attribute, filter, test or keyword rather than a variable. */
  private readonly notVariables = new WeakSet<JinjaNode>();
  private readonly reported = new Set<string>();
  /** String literals and text that spell an internal name, judged once every chain has been. */
  private readonly internalValues: { node: JinjaNode; name: string }[] = [];
  /** Lookup keys the chain judgement has already weighed. */
  private readonly judgedKeys = new WeakSet<JinjaNode>();
  private readonly bindings: TemplateBindings;
  private readonly folder: ConstantFolder;

  constructor(
    private readonly source: string,
    program: JinjaNode,
    private readonly positions: SourcePositions,
    private readonly options: AnalysisOptions,
  ) {
    // Pre-order, source order, without recursion: hostile trees may be deep.
    let deepest = 0;
    const stack: [JinjaNode, number][] = [[program, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      this.nodes.push(node);
      deepest = Math.max(deepest, depth);
      this.markNonVariables(node);
      const children = childrenOf(node);
      for (let index = children.length - 1; index >= 0; index--) stack.push([children[index]!, depth + 1]);
    }
    if (deepest > MAX_NESTING) {
      this.add({
        rule: "unparsable-template",
        messageId: "tooDeep",
        data: { limit: MAX_NESTING },
        construct: source.slice(0, 80),
      });
    }
    this.bindings = collectBindings(this.nodes);
    this.folder = new ConstantFolder(this.bindings);
  }

  private markNonVariables(node: JinjaNode): void {
    const mark = (child: JinjaNode | undefined) => {
      if (child) this.notVariables.add(child);
    };
    if (node.type === "MemberExpression" && node.computed !== true) mark(nodeField(node, "property"));
    else if (node.type === "FilterExpression" || node.type === "FilterStatement") {
      const filter = nodeField(node, "filter");
      mark(filter?.type === "CallExpression" ? nodeField(filter, "callee") : filter);
    } else if (node.type === "TestExpression") mark(nodeField(node, "test"));
    else if (node.type === "KeywordArgumentExpression") mark(nodeField(node, "key"));
  }

  run(): void {
    for (const node of this.nodes) {
      if (this.issues.length >= this.options.maxIssues) break;
      switch (node.type) {
        case "MemberExpression":
        case "CallExpression":
        case "FilterExpression":
          if (!this.consumed.has(node)) this.judgeChain(node);
          break;
        case "Identifier":
          this.judgeBareIdentifier(node);
          break;
        case "KeywordArgumentExpression":
          this.judgeKeyword(node);
          break;
        case "BinaryExpression":
          this.judgeBuiltString(node);
          break;
        case "StringLiteral":
          this.noteInternalValue(node);
          break;
        default:
          break;
      }
    }
    this.judgeInternalValues();
    this.judgeEscapes();
    if (this.folder.exhausted) {
      this.add({
        rule: "unparsable-template",
        messageId: "analysisFailed",
        data: { reason: "constant folding reached its step budget; names built later were not resolved" },
        construct: this.source.slice(0, 80),
      });
    }
  }

  private add(issue: TemplateIssue): void {
    // One built-name finding per name: the same string is often built once and used twice.
    const construct = issue.messageId === "builtName" ? "" : issue.construct;
    const key = `${issue.rule}\0${issue.messageId}\0${construct}\0${issue.data.name ?? ""}`;
    if (this.reported.has(key) || this.issues.length >= this.options.maxIssues) return;
    this.reported.add(key);
    this.issues.push(issue);
  }

  private isLocal(name: string): boolean {
    return this.bindings.localNames.has(name);
  }

  private collectChain(head: JinjaNode): { root: JinjaNode | undefined; steps: ChainStep[] } {
    const steps: ChainStep[] = [];
    let cursor: JinjaNode | undefined = head;
    while (cursor) {
      const node: JinjaNode = cursor;
      if (node.type === "MemberExpression") {
        this.consumed.add(node);
        const property = nodeField(node, "property");
        if (node.computed === true) steps.push({ node, kind: "subscript", key: property, called: false });
        else steps.push({ node, kind: "attribute", name: identifierName(property), called: false });
        cursor = nodeField(node, "object");
      } else if (node.type === "CallExpression") {
        this.consumed.add(node);
        steps.push({ node, kind: "call", called: false });
        cursor = nodeField(node, "callee");
      } else if (node.type === "FilterExpression") {
        this.consumed.add(node);
        const filterNode = nodeField(node, "filter");
        if (filterNode) this.consumed.add(filterNode);
        steps.push(this.filterStep(node, filterNode));
        cursor = nodeField(node, "operand");
      } else {
        break;
      }
    }
    steps.reverse();
    steps.forEach((step, index) => {
      if (step.kind === "call" && index > 0) steps[index - 1]!.called = true;
    });
    return { root: cursor, steps };
  }

  private filterStep(node: JinjaNode, filterNode: JinjaNode | undefined): ChainStep {
    const filter = filterParts(filterNode);
    if (!filter) return { node, kind: "filter", called: false };
    if (filter.name === "attr") return { node, kind: "attr-filter", key: filter.args[0], called: false };
    if (!ATTRIBUTE_ARGUMENT_FILTERS.has(filter.name)) return { node, kind: "filter", called: false };
    for (const argument of filter.args) {
      if (argument.type === "KeywordArgumentExpression" && identifierName(nodeField(argument, "key")) === "attribute") {
        return { node, kind: "attribute-argument", key: nodeField(argument, "value"), called: false };
      }
    }
    const first = filter.args[0];
    if (filter.name === "map" && first && this.folder.fold(first)?.values.includes("attr")) {
      // `map('attr', '__class__')` applies the attr filter to every item.
      return { node, kind: "attr-filter", key: filter.args[1], called: false };
    }
    if (POSITIONAL_ATTRIBUTE_FILTERS.has(filter.name) && first && first.type !== "KeywordArgumentExpression") {
      return { node, kind: "attribute-argument", key: first, called: false };
    }
    return { node, kind: "filter", called: false };
  }

  /** The names an access step may read, and how they were built; undefined when not resolvable. */
  private keyNames(step: ChainStep): Folded | undefined {
    if (step.kind === "attribute") {
      return step.name === undefined ? undefined : { values: [step.name], operations: 0, techniques: new Set() };
    }
    if (!step.key || step.key.type === "SliceExpression") return undefined;
    const folded = this.folder.fold(step.key);
    if (!folded || step.kind !== "attribute-argument") return folded;
    // Jinja resolves dotted attribute paths (`attribute='a.__class__'`) one part at a time.
    const parts: Constant[] = folded.values.flatMap((value): Constant[] =>
      typeof value === "string" ? value.split(".") : [value],
    );
    return { ...folded, values: parts };
  }

  private judgeChain(head: JinjaNode): void {
    const { root, steps } = this.collectChain(head);
    const construct = renderExpression(head);
    const rootName = identifierName(root);
    const unboundRoot = rootName !== undefined && !this.isLocal(rootName) ? rootName : undefined;

    const internals: { name: string; step: ChainStep; folded: Folded }[] = [];
    const dangerous: { name: string; step: ChainStep }[] = [];
    const hops: string[] = [];
    const privates: { name: string; step: ChainStep }[] = [];
    let obfuscation: TemplateIssue | undefined;
    let obfuscationStep: ChainStep | undefined;

    for (const step of steps) {
      if (step.kind === "call" || step.kind === "filter") continue;
      if (step.key) this.judgedKeys.add(step.key);
      const folded = this.keyNames(step);
      if (!folded) {
        if (step.kind === "attr-filter" || step.kind === "attribute-argument") {
          obfuscation ??= this.obfuscationIssue("dynamicAttribute", construct, {});
          obfuscationStep ??= step;
        } else if (
          step.kind === "subscript" &&
          step.key?.type !== "SliceExpression" &&
          this.folder.isBuilding(step.key)
        ) {
          obfuscation ??= this.obfuscationIssue("dynamicSubscript", construct, {});
          obfuscationStep ??= step;
        }
        continue;
      }
      const built = folded.operations > 0;
      for (const value of folded.values) {
        if (typeof value !== "string") continue;
        const suspicious = internalAttributeReason(value) !== undefined || dangerousNameReason(value) !== undefined;
        if (internalAttributeReason(value) !== undefined) internals.push({ name: value, step, folded });
        else if (dangerousNameReason(value) !== undefined) dangerous.push({ name: value, step });
        else if (isGadgetHop(value)) hops.push(value);
        else if (isPrivateName(value) && (step.kind !== "subscript" || built)) privates.push({ name: value, step });
        if (built && (suspicious || isPrivateName(value))) {
          obfuscation = this.obfuscationIssue("builtName", construct, {
            name: value,
            technique: [...folded.techniques].join(", ") || "string building",
          });
          obfuscationStep = step;
        } else if (built && !obfuscation && (folded.operations >= 3 || folded.techniques.has("character codes"))) {
          obfuscation = this.obfuscationIssue("longConstruction", construct, {
            pieces: folded.operations + 1,
            technique: [...folded.techniques].join(", "),
          });
          obfuscationStep = step;
        }
      }
    }

    const firstStep = steps[0];
    // One position per chain, at its most telling step, shared by every finding on it.
    const telling = internals[0]?.step ?? dangerous[0]?.step ?? privates[0]?.step ?? obfuscationStep;
    const position = telling
      ? this.placeStep(telling)
      : unboundRoot !== undefined
        ? this.positions.find(unboundRoot)
        : undefined;
    if (
      unboundRoot !== undefined &&
      isGadgetRoot(unboundRoot) &&
      (internals.length > 0 || dangerous.length > 0 || hops.length > 0)
    ) {
      const name = internals[0]?.name ?? dangerous[0]?.name ?? hops[0] ?? "";
      this.add({
        rule: "sandbox-escape",
        messageId: "gadgetChain",
        data: { construct, root: unboundRoot, name },
        construct,
        position: position ?? this.positions.find(unboundRoot),
      });
    } else if (internals.length > 0) {
      const first = internals[0]!;
      const names = [...new Set(internals.map((internal) => internal.name))].slice(0, 6).join(", ");
      this.add({
        rule: "sandbox-escape",
        messageId: "internalAttribute",
        data: {
          construct,
          name: names,
          via: VIA[first.step.kind as AccessKind],
          reason: internalAttributeReason(first.name) ?? "",
        },
        construct,
        position,
      });
    } else if (unboundRoot !== undefined && isDangerousGlobalModule(unboundRoot) && steps.length > 0) {
      this.add({
        rule: "sandbox-escape",
        messageId: "dangerousName",
        data: {
          construct,
          name: unboundRoot,
          reason: dangerousNameReason(unboundRoot.replace(/^__|__$/g, "")) ?? "it reaches Python builtins",
        },
        construct,
        position,
      });
    } else if (unboundRoot !== undefined && isDangerousGlobalCall(unboundRoot) && firstStep?.kind === "call") {
      this.add({
        rule: "sandbox-escape",
        messageId: "dangerousCall",
        data: {
          construct,
          name: unboundRoot,
          reason: dangerousNameReason(unboundRoot) ?? "it imports arbitrary modules",
        },
        construct,
        position,
      });
    } else {
      const called = dangerous.find((entry) => entry.step.called);
      if (called) {
        this.add({
          rule: "sandbox-escape",
          messageId: "dangerousCall",
          data: { construct, name: called.name, reason: dangerousNameReason(called.name) ?? "" },
          construct,
          position,
        });
      } else if (privates.length > 0) {
        const first = privates[0]!;
        this.add({
          rule: "sandbox-escape",
          messageId: "privateAttribute",
          data: { construct, name: first.name, via: VIA[first.step.kind as AccessKind] },
          construct,
          severity: "warning",
          confidence: 0.6,
          position,
        });
      }
    }
    if (obfuscation) this.add({ ...obfuscation, ...(position ? { position } : {}) });
  }

  private placeStep(step: ChainStep): ReturnType<SourcePositions["find"]> {
    return step.name !== undefined ? this.positions.find(step.name) : this.placeKey(step.key);
  }

  private obfuscationIssue(messageId: string, construct: string, data: Record<string, string | number>): TemplateIssue {
    return { rule: "obfuscation", messageId, data: { construct, ...data }, construct };
  }

  /** Places a computed key at its first string literal piece or identifier. */
  private placeKey(key: JinjaNode | undefined): ReturnType<SourcePositions["find"]> {
    if (!key) return undefined;
    const stack: JinjaNode[] = [key];
    let visited = 0;
    while (stack.length > 0 && visited++ < 200) {
      const node = stack.pop()!;
      const text = node.type === "StringLiteral" ? stringField(node, "value") : identifierName(node);
      if (text && !this.notVariables.has(node)) {
        const position = this.positions.find(text);
        if (position) return position;
      }
      stack.push(...childrenOf(node).reverse());
    }
    return undefined;
  }

  /** `{{ __builtins__ }}`-style globals: no real template names a dunder global. */
  private judgeBareIdentifier(node: JinjaNode): void {
    const name = identifierName(node);
    if (name === undefined || this.notVariables.has(node) || this.isLocal(name) || !name.startsWith("__")) return;
    const reason = internalAttributeReason(name);
    if (reason === undefined) return;
    this.add({
      rule: "sandbox-escape",
      messageId: "internalAttribute",
      data: { construct: name, name, via: "a global name", reason },
      construct: name,
      position: this.positions.find(name),
    });
  }

  private judgeKeyword(node: JinjaNode): void {
    const name = identifierName(nodeField(node, "key"));
    if (name === undefined || !name.startsWith("_")) return;
    const construct = renderExpression(node);
    this.add({
      rule: "obfuscation",
      messageId: "dunderKeyword",
      data: { construct, name },
      construct,
      position: this.positions.find(name),
    });
  }

  /** A string built to spell an internal name, wherever it goes (a macro argument, a variable...). */
  private judgeBuiltString(node: JinjaNode): void {
    if (this.consumed.has(node) || !this.folder.isBuilding(node)) return;
    const folded = this.folder.fold(node);
    if (!folded || folded.operations === 0) return;
    const name = folded.values.find(
      (value): value is string => typeof value === "string" && internalAttributeReason(value) !== undefined,
    );
    if (name === undefined) return;
    const construct = renderExpression(node);
    this.add({
      rule: "obfuscation",
      messageId: "builtName",
      data: { construct, name, technique: [...folded.techniques].join(", ") || "string building" },
      construct,
      position: this.placeKey(node),
    });
  }

  private noteInternalValue(node: JinjaNode): void {
    const text = stringField(node, "value")?.trim();
    // Case folded too: `{% filter lower %}__CLASS__{% endfilter %}`.
    const name = [text, text?.toLowerCase()].find((value) => value && internalAttributeReason(value) !== undefined);
    if (name !== undefined && this.internalValues.length < 64) this.internalValues.push({ node, name });
  }

  /**
   * A literal or block text that is exactly an internal name (a dict value, a macro argument, a loop
   * item, a call block's body) only serves to be looked up: folding cannot follow every path a value
   * takes to a lookup, so the name is reported wherever it sits, unless a chain already reported it.
   */
  private judgeInternalValues(): void {
    const named = new Set(this.issues.flatMap((issue) => String(issue.data.name ?? "").split(", ")));
    for (const { node, name } of this.internalValues) {
      if (named.has(name) || this.judgedKeys.has(node)) continue;
      const construct = renderExpression(node);
      this.add({
        rule: "obfuscation",
        messageId: "internalNameValue",
        data: { construct, name },
        construct,
        position: this.positions.find(stringField(node, "value")?.trim() ?? name),
      });
    }
  }

  private judgeEscapes(): void {
    const issue = escapeIssue(this.source, this.positions);
    if (issue) this.add(issue);
  }
}

/**
 * When the template does not parse, the AST is gone; the tags are still searched for internal names
 * (escapes decoded) and for escapes that spell identifiers, because another engine may render it.
 */
function rawTextIssues(source: string, positions: SourcePositions): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  const names = internalAttributeNames();
  const pattern = new RegExp(
    `(?<![A-Za-z0-9_])(${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?![A-Za-z0-9_])`,
    "g",
  );
  const seen = new Set<string>();
  for (const [start, end] of tagRanges(source)) {
    const tag = decodeEscapes(source.slice(start, end));
    pattern.lastIndex = 0;
    for (let match = pattern.exec(tag); match; match = pattern.exec(tag)) {
      const name = match[1] ?? "";
      if (seen.has(name)) continue;
      seen.add(name);
      const snippetStart = Math.max(0, match.index - 30);
      issues.push({
        rule: "sandbox-escape",
        messageId: "rawTextInternal",
        data: { name },
        construct: tag.slice(snippetStart, match.index + name.length + 30),
        confidence: 0.7,
        position: positions.find(name) ?? positions.at(start),
      });
      if (issues.length >= 10) return issues;
    }
  }
  const escapes = escapeIssue(source, positions);
  if (escapes) issues.push(escapes);
  return issues;
}

/** One obfuscation issue for the escapes in a template that spell identifier characters. */
function escapeIssue(source: string, positions: SourcePositions): TemplateIssue | undefined {
  const sequences = identifierEscapes(source);
  const first = sequences[0];
  if (!first) return undefined;
  return {
    rule: "obfuscation",
    messageId: "escapedIdentifier",
    data: {
      escape: [...new Set(sequences.map((sequence) => sequence.text))].slice(0, 8).join(" "),
      character: [...new Set(sequences.map((sequence) => sequence.character))].slice(0, 8).join(""),
    },
    construct: first.text,
    position: positions.at(first.offset),
  };
}

function decodeEscapes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3})/g, (sequence, body: string) => {
    const code = /^[0-7]/.test(body) ? Number.parseInt(body, 8) : Number.parseInt(body.slice(1), 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : sequence;
  });
}
