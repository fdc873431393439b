/** What a member of a TorchScript archive is, from its path (`<prefix>/code/...`, `<prefix>/extra/...`). */
export type TorchScriptMember = "code" | "extra" | "other";

export function classifyMember(path: string): TorchScriptMember {
  // torch's reader finds members with miniz, which compares names case-insensitively:
  // `archive/CODE/__torch__/m.PY` is the code of `__torch__.m` to torch.jit.load.
  const segments = path.toLowerCase().split("/");
  const directories = segments.slice(0, -1);
  const base = segments.at(-1) ?? "";
  // torch.jit.save writes one top-level prefix (`archive/`, or the file's stem); tolerate none or a few.
  const codeAt = directories.indexOf("code");
  if (codeAt >= 0 && codeAt <= 2 && base.endsWith(".py")) return "code";
  const extraAt = directories.indexOf("extra");
  if (extraAt >= 0 && extraAt <= 2 && base.length > 0) return "extra";
  return "other";
}

/** Files every torch zip carries beside data.pkl; never extra files (compared lower-cased). */
export const TORCH_BOOKKEEPING = new Set([
  "version",
  "byteorder",
  ".format_version",
  ".storage_alignment",
  "serialization_id",
  "data.pkl",
  "constants.pkl",
]);
