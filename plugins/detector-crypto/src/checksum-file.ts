/**
 * Checksum sidecar files shipped with a model (`MD5SUMS`, `model.bin.md5`, `SHA1SUMS`,
 * `checksums.sha1`): the digests the publisher tells users to verify downloads with. Written with
 * MD5 or SHA-1, they are a weak integrity check just like an `md5` field in a config.
 */

/** The algorithm a checksum file's name commits to, or null when the name is not a checksum file. */
export function checksumFileAlgorithm(path: string): "MD5" | "SHA-1" | "any" | null {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1).toLowerCase();
  if (/^md5sums?(?:\.txt)?$|\.md5(?:sums?)?$|^md5sums?\./.test(base)) return "MD5";
  if (/^sha1sums?(?:\.txt)?$|\.sha1(?:sums?)?$|^sha1sums?\./.test(base)) return "SHA-1";
  if (/^(?:checksums?|hashes|digests)(?:\.txt)?$/.test(base)) return "any";
  return null;
}

export interface ChecksumLine {
  algorithm: "MD5" | "SHA-1";
  digest: string;
  file: string;
  line: number;
}

// GNU coreutils (`<hex>  <name>`, `<hex> *<name>`) and BSD (`MD5 (<name>) = <hex>`) formats.
const GNU_LINE = /^\\?([0-9a-fA-F]{32}|[0-9a-fA-F]{40})[ \t]+\*?(.+)$/;
const BSD_LINE = /^(MD5|SHA1|SHA-1)\s*\((.+)\)\s*=\s*([0-9a-fA-F]{32}|[0-9a-fA-F]{40})$/i;
/** Lines read per file at most: a real checksum list is short. */
const MAX_LINES = 10_000;

/** The weak digests a checksum file lists. The digest's length must agree with the algorithm. */
export function weakChecksumLines(text: string, named: "MD5" | "SHA-1" | "any"): ChecksumLine[] {
  const found: ChecksumLine[] = [];
  const lines = text.split(/\r?\n/, MAX_LINES);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const bsd = BSD_LINE.exec(line);
    if (bsd) {
      const algorithm = (bsd[1] as string).toUpperCase() === "MD5" ? "MD5" : "SHA-1";
      if ((bsd[3] as string).length === (algorithm === "MD5" ? 32 : 40)) {
        found.push({ algorithm, digest: bsd[3] as string, file: (bsd[2] as string).trim(), line: index + 1 });
      }
      return;
    }
    const gnu = GNU_LINE.exec(line);
    if (!gnu) return;
    const digest = gnu[1] as string;
    const algorithm = digest.length === 32 ? "MD5" : "SHA-1";
    if (named !== "any" && named !== algorithm) return;
    found.push({ algorithm, digest, file: (gnu[2] as string).trim(), line: index + 1 });
  });
  return found;
}
