import type { Reference } from "@modelaudit/core";

/** A reference in a few characters, for text lines: `CWE-502`, `OWASP ML06:2023`, `ATLAS AML.T0018`, or the URL. */
export function shortReference(reference: Reference): string {
  switch (reference.kind) {
    case "owasp-ml":
      return `OWASP ${reference.id}`;
    case "mitre-atlas":
      return `ATLAS ${reference.id}`;
    case "mitre-attack":
      return `ATT&CK ${reference.id}`;
    case "url":
      return reference.url;
    default:
      return reference.id;
  }
}

/** A reference as a Markdown link with its title: `[CWE-502 Deserialization of Untrusted Data](https://...)`. */
export function markdownReference(reference: Reference): string {
  const label =
    reference.kind === "url" ? (reference.title ?? reference.url) : `${shortReference(reference)} ${reference.title}`;
  return `[${label.replace(/[[\]]/g, "\\$&")}](${reference.url})`;
}

/**
 * SARIF rule tags for the catalogued references, in the `external/<taxonomy>/<id>` form GitHub code
 * scanning shows (`external/cwe/cwe-502`); plain links make no tag.
 */
export function referenceTags(references: readonly Reference[]): string[] {
  return references.flatMap((reference) =>
    reference.kind === "url" ? [] : [`external/${reference.kind}/${reference.id.toLowerCase()}`],
  );
}
