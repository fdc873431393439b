/**
 * References a rule cites, as structured values spelled once: reports link each one (SARIF
 * `helpUri` and tags, JSON objects, text lines) instead of parsing free strings, and the same weakness
 * reads the same in every plugin. The catalog below holds what first-party rules cite; anything else
 * is made with `cwe`, `cve` or `link`.
 */
export type Reference =
  | {
      /** CWE weakness, OWASP Machine Learning Security Top 10 (2023) risk, MITRE ATLAS or ATT&CK technique or tactic, CVE record. */
      kind: "cwe" | "owasp-ml" | "mitre-atlas" | "mitre-attack" | "cve";
      /** As the catalog writes it: `CWE-502`, `ML06:2023`, `AML.T0018`, `T1567`, `CVE-2025-32434`. */
      id: string;
      title: string;
      url: string;
    }
  | { kind: "url"; url: string; title?: string };

export type ReferenceKind = Reference["kind"];

/** A CWE weakness by number. */
export function cwe(id: number, title: string): Reference {
  return { kind: "cwe", id: `CWE-${id}`, title, url: `https://cwe.mitre.org/data/definitions/${id}.html` };
}

/** A CVE record; `title` says what it is about (the product, the flaw). */
export function cve(id: `CVE-${number}-${number}`, title: string): Reference {
  return { kind: "cve", id, title, url: `https://www.cve.org/CVERecord?id=${id}` };
}

/** Any other page: documentation, an advisory, a paper. */
export function link(url: string, title?: string): Reference {
  return title === undefined ? { kind: "url", url } : { kind: "url", url, title };
}

function owaspMl(rank: string, title: string): Reference {
  const page = `ML${rank}_2023-${title.replaceAll(" ", "_")}`;
  return {
    kind: "owasp-ml",
    id: `ML${rank}:2023`,
    title,
    url: `https://owasp.org/www-project-machine-learning-security-top-10/docs/${page}`,
  };
}

function attack(id: string, title: string, path: "tactics" | "techniques"): Reference {
  return { kind: "mitre-attack", id, title, url: `https://attack.mitre.org/${path}/${id}/` };
}

/** How a reference reads in one line of text: `CWE-502 Deserialization of Untrusted Data`, or its URL. */
export function referenceLabel(reference: Reference): string {
  if (reference.kind === "url") return reference.title ? `${reference.title} (${reference.url})` : reference.url;
  return `${reference.id} ${reference.title}`;
}

// CWE weaknesses.
export const CWE_22 = cwe(22, "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')");
export const CWE_23 = cwe(23, "Relative Path Traversal");
export const CWE_36 = cwe(36, "Absolute Path Traversal");
export const CWE_59 = cwe(59, "Improper Link Resolution Before File Access ('Link Following')");
export const CWE_61 = cwe(61, "UNIX Symbolic Link (Symlink) Following");
export const CWE_73 = cwe(73, "External Control of File Name or Path");
export const CWE_78 = cwe(
  78,
  "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
);
export const CWE_94 = cwe(94, "Improper Control of Generation of Code ('Code Injection')");
export const CWE_114 = cwe(114, "Process Control");
export const CWE_200 = cwe(200, "Exposure of Sensitive Information to an Unauthorized Actor");
export const CWE_312 = cwe(312, "Cleartext Storage of Sensitive Information");
export const CWE_327 = cwe(327, "Use of a Broken or Risky Cryptographic Algorithm");
export const CWE_328 = cwe(328, "Use of Weak Hash");
export const CWE_354 = cwe(354, "Improper Validation of Integrity Check Value");
export const CWE_359 = cwe(359, "Exposure of Private Personal Information to an Unauthorized Actor");
export const CWE_400 = cwe(400, "Uncontrolled Resource Consumption");
export const CWE_409 = cwe(409, "Improper Handling of Highly Compressed Data (Data Amplification)");
export const CWE_427 = cwe(427, "Uncontrolled Search Path Element");
export const CWE_434 = cwe(434, "Unrestricted Upload of File with Dangerous Type");
export const CWE_436 = cwe(436, "Interpretation Conflict");
export const CWE_494 = cwe(494, "Download of Code Without Integrity Check");
export const CWE_502 = cwe(502, "Deserialization of Untrusted Data");
export const CWE_506 = cwe(506, "Embedded Malicious Code");
export const CWE_646 = cwe(646, "Reliance on File Name or Extension of Externally-Supplied File");
export const CWE_674 = cwe(674, "Uncontrolled Recursion");
export const CWE_798 = cwe(798, "Use of Hard-coded Credentials");
export const CWE_829 = cwe(829, "Inclusion of Functionality from Untrusted Control Sphere");
export const CWE_918 = cwe(918, "Server-Side Request Forgery (SSRF)");
export const CWE_1284 = cwe(1284, "Improper Validation of Specified Quantity in Input");
export const CWE_1336 = cwe(1336, "Improper Neutralization of Special Elements Used in a Template Engine");

// OWASP Machine Learning Security Top 10 (2023).
export const OWASP_ML03 = owaspMl("03", "Model Inversion Attack");
export const OWASP_ML04 = owaspMl("04", "Membership Inference Attack");
export const OWASP_ML06 = owaspMl("06", "AI Supply Chain Attacks");
export const OWASP_ML10 = owaspMl("10", "Model Poisoning");

// MITRE ATLAS and ATT&CK.
export const ATLAS_AML_T0018: Reference = {
  kind: "mitre-atlas",
  id: "AML.T0018",
  title: "Backdoor ML Model",
  url: "https://atlas.mitre.org/techniques/AML.T0018",
};
export const ATTACK_TA0011 = attack("TA0011", "Command and Control", "tactics");
export const ATTACK_T1567 = attack("T1567", "Exfiltration Over Web Service", "techniques");
