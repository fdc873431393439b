import { cve, link } from "@modelaudit/core";

/** References more than one rule of this plugin cites; the shared CWE and OWASP entries come from core. */
export const CVE_2024_34359 = cve(
  "CVE-2024-34359",
  "llama-cpp-python: GGUF chat template rendered outside the Jinja sandbox",
);
export const JINJA_SANDBOX = link("https://jinja.palletsprojects.com/en/stable/sandbox/");
