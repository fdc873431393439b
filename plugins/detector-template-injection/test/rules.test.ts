import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";
import { scanTemplate } from "./scan-template.js";

/** ok: no finding from the rule; ng: a finding from the rule with this messageId. */
interface Case {
  name: string;
  template: string;
  messageId?: string;
  severity?: "critical" | "warning" | "info";
}

const cases: Record<string, { ok: Case[]; ng: Case[] }> = {
  "sandbox-escape": {
    ok: [
      {
        name: "namespace() used for loop state",
        template: "{% set ns = namespace(found=false) %}{% set ns.found = true %}{{ ns.found }}",
      },
      { name: "string methods", template: "{{ message['content'].strip().split('</think>')[-1].startswith('x') }}" },
      { name: "dict key named system", template: "{{ message['system'] }}{{ config_value.system }}" },
      { name: "dunder only in text", template: "Call __init__ and __globals__ in Python. {# __class__ #}{{ 'x' }}" },
      { name: "a macro named like a builtin", template: "{% macro open(x) %}[{{ x }}]{% endmacro %}{{ open('a') }}" },
      {
        name: "range and dict globals used plainly",
        template: "{% for i in range(3) %}{{ dict(a=i)|tojson }}{% endfor %}",
      },
    ],
    ng: [
      {
        name: "dunder attribute walk",
        template: "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        messageId: "internalAttribute",
        severity: "critical",
      },
      { name: "subscript with literal", template: "{{ x['__globals__'] }}", messageId: "internalAttribute" },
      { name: "attr filter", template: "{{ x|attr('__class__') }}", messageId: "internalAttribute" },
      { name: "concatenated subscript", template: "{{ x['__cla' + 'ss__'] }}", messageId: "internalAttribute" },
      {
        name: "tilde concatenation via variable",
        template: "{% set a = '__glo' ~ 'bals__' %}{{ x[a] }}",
        messageId: "internalAttribute",
      },
      {
        name: "percent-c character codes",
        template: "{{ x|attr('%c%c%s%c%c'|format(95,95,'class',95,95)) }}",
        messageId: "internalAttribute",
      },
      {
        name: "python % operator",
        template: "{{ x['%s%s%s' % ('__', 'class', '__')] }}",
        messageId: "internalAttribute",
      },
      { name: "join over a list", template: "{{ x[['__', 'class', '__']|join] }}", messageId: "internalAttribute" },
      { name: "str.join", template: "{{ x[''.join(['__', 'init', '__'])] }}", messageId: "internalAttribute" },
      { name: "str.format", template: "{{ x['{}{}{}'.format('__', 'dict', '__')] }}", messageId: "internalAttribute" },
      { name: "reverse filter", template: "{{ x['__edoc__'|reverse] }}", messageId: "internalAttribute" },
      { name: "slice reversal", template: "{{ x['__sessalcbus__'[::-1]] }}", messageId: "internalAttribute" },
      { name: "repetition", template: "{{ x['_' * 2 + 'builtins' + '_' * 2] }}", messageId: "internalAttribute" },
      {
        name: "loop variable over literal list",
        template: "{% for k in ['__class__'] %}{{ x[k] }}{% endfor %}",
        messageId: "internalAttribute",
      },
      {
        name: "namespace attribute holding the name",
        template: "{% set ns = namespace(k='__mro__') %}{{ x[ns.k] }}",
        messageId: "internalAttribute",
      },
      {
        name: "macro body spelling the name",
        template: "{% macro k() %}__globals__{% endmacro %}{{ x[k()] }}",
        messageId: "internalAttribute",
      },
      {
        name: "macro argument",
        template: "{% macro m(o, k) %}{{ o[k] }}{% endmacro %}{{ m(x, '__globals__') }}",
        messageId: "internalAttribute",
      },
      {
        name: "macro keyword argument and default",
        template: "{% macro m(o, k='__init__', j=none) %}{{ o[k][j] }}{% endmacro %}{{ m(x, j='__globals__') }}",
        messageId: "internalAttribute",
      },
      {
        name: "dict literal value",
        template: "{% set d = {'a': {'b': '__class__'}} %}{{ x[d.a.b] }}{{ x[d['a']['b']] }}",
        messageId: "internalAttribute",
      },
      {
        name: "tuple-unpacked loop variable",
        template: "{% for a, b in [('x', '__mro__')] %}{{ x[b] }}{% endfor %}",
        messageId: "internalAttribute",
      },
      {
        name: "caller() body",
        template: "{% macro m(o) %}{{ o[caller()] }}{% endmacro %}{% call m(x) %}__globals__{% endcall %}",
        messageId: "internalAttribute",
      },
      {
        name: "filter block",
        template: "{% set k %}{% filter lower %}__CLASS__{% endfilter %}{% endset %}{{ x[k] }}",
        messageId: "internalAttribute",
      },
      {
        name: "default filter",
        template: "{{ x[undefined_name|default('__class__')] }}",
        messageId: "internalAttribute",
      },
      {
        name: "map attribute argument",
        template: "{{ items|map(attribute='a.__class__')|list }}",
        messageId: "internalAttribute",
      },
      { name: "lipsum gadget", template: "{{ lipsum.__globals__ }}", messageId: "gadgetChain" },
      {
        name: "cycler gadget",
        template: "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        messageId: "gadgetChain",
      },
      { name: "request.application hop", template: "{{ request|attr('application') }}", messageId: "gadgetChain" },
      { name: "os module global", template: "{{ os.popen('id').read() }}", messageId: "dangerousName" },
      { name: "eval global call", template: "{{ eval('1+1') }}", messageId: "dangerousCall" },
      { name: "popen called on anything", template: "{{ tools.os.popen('id') }}", messageId: "dangerousCall" },
      { name: "bare dunder global", template: "{{ __builtins__ }}", messageId: "internalAttribute" },
      { name: "frame attribute", template: "{{ generator.gi_frame.f_globals }}", messageId: "internalAttribute" },
      {
        name: "private attribute",
        template: "{{ x._private_state }}",
        messageId: "privateAttribute",
        severity: "warning",
      },
      {
        name: "empty tuple start (Python-only syntax)",
        template: "{{ ().__class__.__base__ }}",
        messageId: "internalAttribute",
      },
      {
        name: "raw text when the template does not parse",
        template: "{% with a = x.__globals__ %}{% endwith %}",
        messageId: "rawTextInternal",
      },
    ],
  },
  obfuscation: {
    ok: [
      {
        name: "plain dict subscripts",
        template: "{{ messages[0]['content'] }}{{ message[key] }}{{ tools[loop.index0] }}",
      },
      { name: "short benign concatenation", template: "{{ message['tool' ~ '_calls'] }}" },
      {
        name: "arithmetic subscripts",
        template:
          "{{ messages[loop.index0 % 2] }}{{ messages[loop.index0 + 1]['role'] }}{{ messages[loop.index0 - 1] }}",
      },
      {
        name: "content parts through selectattr and map",
        template:
          "{{ message.content|selectattr('type', 'equalto', 'text')|map(attribute='text')|join('') }}{% for k, v in tool.function.parameters.properties|items %}{{ k }}{% endfor %}{{ tools|sort(attribute='name')|map(attribute='function.name')|join(', ') }}",
      },
      { name: "newline escapes", template: "{{ '\\n\\t' + message['content'] }}" },
      { name: "plain keyword arguments", template: "{{ namespace(a=1).a }}{{ x|tojson(indent=2) }}" },
      {
        name: "macro subscripting with its parameters",
        template:
          "{% macro field(o, k='content') %}{{ o[k] }}{% endmacro %}{% for m in messages %}{{ field(m) }}{{ field(m, 'role') }}{% endfor %}",
      },
      {
        name: "a set variable from a plain lookup used as a key",
        template: "{% set role = message['role'] %}{% set i = loop.index0 + 1 %}{{ roles[role] }}{{ messages[i] }}",
      },
      {
        name: "text that mentions a dunder",
        template: "{% if x %}Edit __init__.py{% endif %}{{ 'See __init__ docs' }}",
      },
    ],
    ng: [
      { name: "attr with a variable name", template: "{{ x|attr(name) }}", messageId: "dynamicAttribute" },
      {
        name: "subscript built from a variable",
        template: "{{ x['__' ~ name ~ '__'] }}",
        messageId: "dynamicSubscript",
      },
      { name: "built dunder", template: "{{ x['__cla' ~ 'ss__'] }}", messageId: "builtName" },
      {
        name: "built dunder never used as a key",
        template: "{{ helper('__glo' ~ 'bals__') }}",
        messageId: "builtName",
      },
      {
        name: "long construction of a benign name",
        template: "{{ x['c' ~ 'o' ~ 'n' ~ 't' ~ 'ent'] }}",
        messageId: "longConstruction",
      },
      {
        name: "character codes for a benign name",
        template: "{{ x['%c'|format(97)] }}",
        messageId: "longConstruction",
      },
      {
        name: "hex escapes spelling underscores",
        template: "{{ x['\\x5f\\x5fclass\\x5f\\x5f'] }}",
        messageId: "escapedIdentifier",
      },
      {
        name: "unicode escapes",
        template: "{{ x['\\u005f\\u005fmro\\u005f\\u005f'] }}",
        messageId: "escapedIdentifier",
      },
      { name: "octal escapes", template: "{{ x|attr('\\137\\137class\\137\\137') }}", messageId: "escapedIdentifier" },
      { name: "dunder keyword argument", template: "{{ dict(__class__=1)|list|first }}", messageId: "dunderKeyword" },
      {
        name: "internal name kept as a dict key",
        template: "{% for k in {'__class__': 1} %}{{ x[k] }}{% endfor %}",
        messageId: "internalNameValue",
      },
      {
        name: "key built in a block set from macro arguments",
        template: "{% macro m(o, a, b) %}{% set k %}{{ a }}{{ b }}{% endset %}{{ o[k] }}{% endmacro %}{{ m(x, y, z) }}",
        messageId: "dynamicSubscript",
      },
      {
        name: "key built in a set through a dict",
        template: "{% set d = {'a': p, 'b': q} %}{% set k = d.a ~ d.b %}{{ x[k] }}",
        messageId: "dynamicSubscript",
      },
    ],
  },
  "unparsable-template": {
    ok: [
      {
        name: "generation block (handled by the parser)",
        template: "{% generation %}{{ m['content'] }}{% endgeneration %}",
      },
      { name: "empty template", template: "" },
      { name: "text only", template: "<|im_start|>assistant" },
    ],
    ng: [
      {
        name: "unterminated tag",
        template: "{{ messages[0]['content'] ",
        messageId: "parseError",
        severity: "warning",
      },
      { name: "include (another engine's feature)", template: "{% include 'x.jinja' %}", messageId: "parseError" },
      { name: "bad escape", template: "{{ 'a\\q' }}", messageId: "parseError" },
      {
        name: "nesting that overflows the parser",
        template: `{{ ${"(".repeat(50_000)}1${")".repeat(50_000)} }}`,
        messageId: "parseError",
      },
      {
        name: "deep but parseable nesting",
        template: `{{ ${"[".repeat(600)}1${"]".repeat(600)} }}`,
        messageId: "tooDeep",
      },
    ],
  },
};

describe("rules", () => {
  it("has a case table for every rule of the plugin", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(plugin.rules).sort());
  });

  for (const [rule, { ok, ng }] of Object.entries(cases)) {
    const ruleId = `template-injection/${rule}`;
    describe(rule, () => {
      for (const entry of ok) {
        it(`ok.${entry.name}`, async () => {
          const report = await scanTemplate(entry.template);
          expect(report.findings.filter((finding) => finding.ruleId === ruleId)).toEqual([]);
          expect(report.files[0]?.outcome).not.toBe("error");
        });
      }
      for (const entry of ng) {
        it(`ng.${entry.name}`, async () => {
          const report = await scanTemplate(entry.template);
          const findings = report.findings.filter((finding) => finding.ruleId === ruleId);
          expect(findings.map((finding) => finding.messageId)).toContain(entry.messageId);
          const finding = findings.find((candidate) => candidate.messageId === entry.messageId)!;
          if (entry.severity) expect(finding.severity).toBe(entry.severity);
          expect(finding.message).not.toMatch(/\{\{/);
          expect(finding.evidence).toBeTruthy();
        });
      }
    });
  }
});

describe("positions and options", () => {
  it("places a finding at the line and column of the construct", async () => {
    const report = await scanTemplate("{{ bos_token }}\n{% for m in messages %}\n  {{ m.__class__ }}\n{% endfor %}");
    const finding = report.findings.find((candidate) => candidate.ruleId === "template-injection/sandbox-escape");
    expect(finding?.location).toMatchObject({ line: 3, column: 8, path: "template" });
    expect(finding?.message).toContain("line 3, column 8");
  });

  it("does not parse a template above the size bound", async () => {
    const template = "{{ x }}".repeat(100);
    const report = await scanTemplate(template, { options: { "template-injection": { maxTemplateChars: 50 } } });
    expect(report.findings.map((finding) => finding.messageId)).toEqual(["tooLarge"]);
  });
});
