import type {
  CallFact,
  Detector,
  DetectorRun,
  Fact,
  ImportFact,
  Location,
  Origin,
  ReportInput,
} from "@modelaudit/core";
import { ALLOWED_ONLY_WITHOUT_ARGUMENTS } from "./allowlist.js";
import { type Classification, GlobalPolicy } from "./classify-global.js";
import { CODE_EXECUTION_DESCRIPTOR, CODE_EXECUTION_RULES } from "./descriptor.js";
import { displayName } from "./display-name.js";
import { readPolicyOptions } from "./options.js";

type RuleName = "dangerous-global" | "unresolved-callable" | "non-allowlisted-global" | "parser-differential";

/** Distinct findings kept per rule per artifact; the rest are counted in one summary finding. */
export const MAX_DISTINCT_PER_RULE = 200;
const MAX_VIAS = 4;
const MAX_ARGS = 3;

interface Aggregate {
  rule: RuleName;
  messageId: string;
  /** Placeholders except `action` and `via`, which depend on every occurrence. */
  data: Record<string, string>;
  origin: Origin;
  location?: Location;
  confidence?: number;
  /** What the evidence names (the global, or the unresolved reference). */
  subject: string;
  count: number;
  imports: number;
  calls: number;
  vias: string[];
  /** Arguments of the first call, when a handler rendered them. */
  args?: string[];
}

interface Overflow {
  origin: Origin;
  count: number;
}

// Options are the same object for every artifact of a scan: parse them once.
const policies = new WeakMap<object, GlobalPolicy>();

function policyFor(options: Readonly<Record<string, unknown>>): GlobalPolicy {
  let policy = policies.get(options);
  if (!policy) {
    policy = new GlobalPolicy(readPolicyOptions(options));
    policies.set(options, policy);
  }
  return policy;
}

export const codeExecutionDetector: Detector = {
  ...CODE_EXECUTION_DESCRIPTOR,
  create(context): DetectorRun {
    const policy = policyFor(context.options);
    const aggregates = new Map<string, Aggregate>();
    const distinct = new Map<RuleName, number>();
    const overflow = new Map<RuleName, Overflow>();

    /** Counts an occurrence into its finding, creating it while under the per-rule bound. */
    const record = (key: string, origin: Origin, create: () => Aggregate, fact: ImportFact | CallFact) => {
      const fullKey = `${origin.memberChain.join("\0")}\u0001${key}`;
      let aggregate = aggregates.get(fullKey);
      if (!aggregate) {
        const fresh = create();
        const seen = distinct.get(fresh.rule) ?? 0;
        if (seen >= MAX_DISTINCT_PER_RULE) {
          const entry = overflow.get(fresh.rule) ?? { origin, count: 0 };
          entry.count++;
          overflow.set(fresh.rule, entry);
          return;
        }
        distinct.set(fresh.rule, seen + 1);
        aggregate = fresh;
        aggregates.set(fullKey, aggregate);
      }
      aggregate.count++;
      if (fact.kind === "call") {
        aggregate.calls++;
        if (!aggregate.args && fact.args && fact.args.length > 0) aggregate.args = fact.args.slice(0, MAX_ARGS);
      } else {
        aggregate.imports++;
      }
      const via = displayName(fact.via, 40);
      if (!aggregate.vias.includes(via) && aggregate.vias.length < MAX_VIAS) aggregate.vias.push(via);
    };

    const judgeReference = (
      module: string | null,
      name: string | null,
      unresolvedReason: string | undefined,
      fact: ImportFact | CallFact,
      origin: Origin,
    ) => {
      const base = { origin, location: fact.location, count: 0, imports: 0, calls: 0, vias: [] };
      if (module === null || name === null) {
        const reason = describeUnresolved(module, name, unresolvedReason);
        const messageId = fact.kind === "call" ? "unresolvedCall" : "unresolvedImport";
        record(
          `unresolved\0${messageId}\0${reason}`,
          origin,
          () => ({
            ...base,
            rule: "unresolved-callable",
            messageId,
            data: { reason },
            subject: fact.kind === "call" ? "unresolved callee" : "unresolved global",
          }),
          fact,
        );
        return;
      }
      const global = displayName(name === "" ? module : `${module}.${name}`);
      const verdict: Classification = policy.classify(module, name);
      if (verdict.verdict === "allowed" && !(fact.kind === "call" && readsArguments(module, name, fact))) return;
      if (verdict.verdict === "allowed") {
        record(
          `arguments\0${module}\0${name}`,
          origin,
          () => ({
            ...base,
            rule: "non-allowlisted-global",
            messageId: "calledWithArguments",
            data: { global },
            subject: global,
          }),
          fact,
        );
        return;
      }
      if (verdict.verdict === "dangerous") {
        // A loader handed constant bytes that are scanned as a child source: what they run is judged there.
        if (verdict.category === "nested-deserialization" && fact.kind === "call" && fact.loadsChild !== undefined) {
          return;
        }
        const chained = verdict.match === "attribute-chain";
        record(
          `dangerous\0${module}\0${name}`,
          origin,
          () => ({
            ...base,
            rule: "dangerous-global",
            messageId: chained ? "dangerousAttributeChain" : "dangerousGlobal",
            data: chained
              ? ({ global, target: displayName(verdict.target), reason: verdict.reason } as Record<string, string>)
              : { global, reason: verdict.reason },
            confidence: verdict.confidence,
            subject: chained ? `${global} → ${displayName(verdict.target)}` : global,
          }),
          fact,
        );
        return;
      }
      record(
        `unknown\0${module}\0${name}`,
        origin,
        () => ({
          ...base,
          rule: "non-allowlisted-global",
          messageId: verdict.plausibleModule ? "notAllowlisted" : "implausibleModule",
          data: verdict.plausibleModule
            ? ({ global } as Record<string, string>)
            : { global, module: JSON.stringify(displayName(module, 80)) },
          subject: global,
        }),
        fact,
      );
    };

    const differentials = new Map<string, Aggregate>();

    return {
      onFact(fact: Fact, origin: Origin) {
        if (fact.kind === "import") {
          judgeReference(fact.module, fact.name, fact.unresolvedReason, fact, origin);
        } else if (fact.kind === "call") {
          const { callee } = fact;
          judgeReference(callee.module, callee.name, callee.unresolvedReason, fact, origin);
        } else if (fact.kind === "anomaly" && fact.code === "parser-differential") {
          const detail = displayName(fact.message, 240);
          const key = `${origin.memberChain.join("\0")}\u0001${detail}`;
          const existing = differentials.get(key);
          if (existing) {
            existing.count++;
            return;
          }
          const seen = distinct.get("parser-differential") ?? 0;
          if (seen >= MAX_DISTINCT_PER_RULE) {
            const entry = overflow.get("parser-differential") ?? { origin, count: 0 };
            entry.count++;
            overflow.set("parser-differential", entry);
            return;
          }
          distinct.set("parser-differential", seen + 1);
          differentials.set(key, {
            rule: "parser-differential",
            messageId: "parserDifferential",
            data: { detail },
            origin,
            location: fact.location,
            subject: detail,
            count: 1,
            imports: 0,
            calls: 0,
            vias: [],
          });
        }
      },
      finish() {
        for (const aggregate of aggregates.values()) context.report(toReport(aggregate));
        for (const aggregate of differentials.values()) {
          context.report({
            rule: aggregate.rule,
            messageId: aggregate.messageId,
            data: { ...aggregate.data, count: aggregate.count },
            origin: aggregate.origin,
            ...(aggregate.location ? { location: aggregate.location } : {}),
            evidence: plural(aggregate.count, "occurrence"),
          });
        }
        for (const [rule, entry] of overflow) {
          context.report({ rule, messageId: "moreFindings", data: { count: entry.count }, origin: entry.origin });
        }
      },
    };
  },
};

function describeUnresolved(module: string | null, name: string | null, reason: string | undefined): string {
  const why = displayName(reason?.trim() || "the parser gave no reason", 160);
  if (module !== null) return `${why}; module ${displayName(module, 80)}`;
  if (name !== null) return `${why}; name ${displayName(name, 80)}`;
  return why;
}

function toReport(aggregate: Aggregate): ReportInput {
  const { imports, calls } = aggregate;
  const action = imports > 0 && calls > 0 ? "imported and called" : calls > 0 ? "called" : "imported";
  const via = aggregate.vias.join(", ");
  const occurrences = [imports > 0 ? plural(imports, "import") : "", calls > 0 ? plural(calls, "call") : ""]
    .filter(Boolean)
    .join(", ");
  const args = aggregate.args ? ` with (${aggregate.args.map((arg) => displayName(arg, 60)).join(", ")})` : "";
  const input: ReportInput = {
    rule: aggregate.rule,
    messageId: aggregate.messageId,
    data: { ...aggregate.data, action, via, count: aggregate.count },
    origin: aggregate.origin,
    evidence: `${aggregate.subject} ${action} via ${via}${args}; ${occurrences}`,
  };
  if (aggregate.location) input.location = aggregate.location;
  if (aggregate.confidence !== undefined) input.confidence = aggregate.confidence;
  return input;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

export { CODE_EXECUTION_RULES };

/** Calls that construct (their arguments go to the constructor); BUILD hands a state to __setstate__. */
const CONSTRUCTING = /^(?:REDUCE|NEWOBJ|NEWOBJ_EX|OBJ|INST)\b/;

/** A construction of an allowed class that loads a file its arguments name (see ALLOWED_ONLY_WITHOUT_ARGUMENTS). */
function readsArguments(module: string, name: string, fact: CallFact): boolean {
  if (!ALLOWED_ONLY_WITHOUT_ARGUMENTS.has(`${module}.${name}`) || !CONSTRUCTING.test(fact.via)) return false;
  return (fact.args ?? []).some((arg) => arg !== "None");
}
