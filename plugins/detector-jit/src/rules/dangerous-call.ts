import { CWE_78, CWE_94, CWE_502, defineRule, OWASP_ML06 } from "@modelaudit/core";
import { HF_REMOTE_CODE } from "../references.js";

export default defineRule({
  name: "dangerous-call",
  meta: {
    description:
      "Code shipped with or inside a model (Hugging Face remote code, TorchScript code, Keras Lambda bytecode or " +
      "source, shell scripts, a metadata or config value written as Python or as a shell command line) calls something that runs " +
      "commands, executes built code, writes files, opens network connections or deserializes code: loading the " +
      "model, or whatever evaluates the value, runs it on that machine. Text in documentation is only noted.",
    severity: "critical",
    confidence: 0.9,
    recommended: true,
    remediation:
      "Do not load this model with trust_remote_code or an unsafe loader; read the named call, and remove the code or " +
      "use a model whose code does not need it.",
    references: [CWE_94, CWE_78, CWE_502, OWASP_ML06, HF_REMOTE_CODE],
    messages: {
      processCall:
        "{{call}} starts a process or runs a shell command at {{position}} (`{{written}}`){{via}}; it {{when}}.",
      dynamicCode: "{{call}} executes code built at run time at {{position}} (`{{written}}`){{via}}; it {{when}}.",
      decodedCode:
        "{{call}} executes code decoded at run time by {{decoder}} at {{position}} (`{{written}}`){{via}}: a " +
        "decode-then-execute chain hides the payload from review.",
      nativeInterface:
        "{{call}} reaches native memory or functions through ctypes at {{position}} (`{{written}}`){{via}}.",
      codeDeserialization:
        "{{call}} turns bytes into code objects at {{position}} (`{{written}}`){{via}}; it {{when}}.",
      pythonOperator:
        "{{call}} embeds a Python operator in {{language}} code at {{position}} (`{{written}}`): it calls back into " +
        "arbitrary Python when the graph runs.",
      fileWrite: "{{call}} writes, moves or deletes files at {{position}} (`{{written}}`){{via}}: {{place}}.",
      networkCall: "{{call}} opens a network connection at {{position}} (`{{written}}`){{via}}: {{reason}}.",
      unsafeDeserialization:
        "{{call}} deserializes data that can run code at {{position}} (`{{written}}`){{via}}; it {{when}}.",
      unsafeTorchLoad:
        "{{call}} is called without weights_only=True at {{position}} (`{{written}}`): the checkpoint it loads can run code.",
      jitCompile: "{{call}} compiles code while the {{language}} module runs, at {{position}} (`{{written}}`).",
      dynamicImport: "{{call}} imports a module whose name is computed at run time, at {{position}} (`{{written}}`).",
      hiddenImport:
        "{{call}} imports {{module}} by name at {{position}} (`{{written}}`){{via}}: an import statement would be " +
        "visible to review, this is not.",
      dynamicAttribute: "getattr reads an attribute of {{target}} by a name computed at run time, at {{position}}.",
      functionReference:
        "{{call}} is handed over as a value at {{position}} (`{{written}}`): whatever receives it can call it.",
      bytecodeNames: "The {{language}} code uses {{names}}: it {{reason}}.",
      shellDownloadExecute:
        "{{place}} is a shell command line that downloads a program and runs it (piped into an interpreter or made " +
        "executable: `{{written}}`): whatever runs the string runs code fetched from the network.",
      shellDecodedExecute:
        "{{place}} is a shell command line that decodes a payload and pipes it into an interpreter (`{{written}}`): " +
        "the encoding hides the commands from review.",
      shellReverseShell:
        "{{place}} is a shell command line that connects a shell to the network (`{{written}}`): a reverse shell.",
      shellDestructive: "{{place}} is a shell command line that deletes {{target}} recursively (`{{written}}`).",
      shellInlineCode:
        "{{place}} is a shell command line that hands inline code to {{command}} (`{{written}}`); noted, what the " +
        "code runs is judged on its own.",
    },
  },
});
