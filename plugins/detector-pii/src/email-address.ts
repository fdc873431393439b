/** Email addresses: what counts as a real mailbox, a placeholder, or a role address that names nobody. */

/** Reserved for documentation and testing (RFC 2606, RFC 6761): never a person. */
export const DEFAULT_IGNORED_DOMAINS = [
  "example.com",
  "example.org",
  "example.net",
  "example.edu",
  "example",
  "test",
  "invalid",
  "localhost",
  "local",
];

/** Local parts that stand for "someone" in templates and docs. */
const PLACEHOLDER_LOCALS = new Set([
  "user",
  "username",
  "your",
  "yourname",
  "your.name",
  "your_name",
  "your.email",
  "your_email",
  "youremail",
  "you",
  "name",
  "someone",
  "somebody",
  "foo",
  "bar",
  "foobar",
  "test",
  "email",
  "me",
  "xxx",
  "john.doe",
  "jane.doe",
  "johndoe",
  "janedoe",
]);

/** Mailboxes of machines and roles, not people: info at most, never counted as a user list. */
const ROLE_LOCALS =
  /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?|notifications?|git|hostmaster|webmaster|abuse)$/i;

/** Suffixes of file names that the address pattern would otherwise take for a domain (`icon@2x.png`). */
const FILE_SUFFIXES = new Set([
  "png",
  "jpg",
  "jpeg",
  "gif",
  "svg",
  "webp",
  "bmp",
  "ico",
  "js",
  "mjs",
  "cjs",
  "ts",
  "css",
  "json",
  "yaml",
  "yml",
  "txt",
  "md",
  "py",
  "bin",
  "pt",
  "pth",
  "ckpt",
  "onnx",
  "safetensors",
  "h5",
  "pkl",
  "npy",
  "npz",
  "gguf",
  "html",
  "htm",
  "xml",
  "csv",
  "zip",
  "gz",
  "tar",
  "so",
  "dll",
  "model",
  "vocab",
  "tflite",
  "pb",
]);

export type EmailKind = "personal" | "role" | "ignored";

/** Sorts an address (already matched by the pattern) into a person's, a role's or one to ignore. */
export function classifyEmail(address: string, ignoredDomains: readonly string[]): EmailKind {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  const suffix = domain.slice(domain.lastIndexOf(".") + 1);
  if (FILE_SUFFIXES.has(suffix)) return "ignored";
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return "ignored";
  if (!/[a-z]/.test(domain.slice(0, domain.lastIndexOf(".")))) return "ignored";
  for (const ignored of ignoredDomains) {
    const name = ignored.toLowerCase();
    if (domain === name || domain.endsWith(`.${name}`)) return "ignored";
  }
  if (PLACEHOLDER_LOCALS.has(local)) return "ignored";
  if (ROLE_LOCALS.test(local) || /(?:^|\.)no-?reply\./.test(domain)) return "role";
  return "personal";
}

/** Country-code top-level domains in use (ISO 3166 plus uk, eu, ac, su). */
const COUNTRY_TLDS = new Set(
  (
    "ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz " +
    "ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm " +
    "fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it " +
    "je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn " +
    "mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps " +
    "pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj " +
    "tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw"
  ).split(" "),
);
const GENERIC_TLDS = new Set(
  (
    "com net org edu gov mil int info biz name pro aero coop museum mobi jobs travel app dev xyz online site " +
    "tech cloud email company group global digital studio solutions systems network services agency media news " +
    "blog shop store live life world today space website one academy science health bank law ai io co"
  ).split(" "),
);

/**
 * Raw bytes have no structure to lean on, and random printable noise makes `Hk@Z.Lg` shapes: there an
 * address must look as people write them: a lower-case domain of labels of two characters or more
 * under a top-level domain in use, and a mailbox of two characters or more with a letter.
 */
export function plausibleRawAddress(address: string): boolean {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length < 2 || !/[A-Za-z]/.test(local) || !/^[a-z0-9.-]+$/.test(domain)) return false;
  const labels = domain.split(".");
  if (labels.some((label) => label.length < 2)) return false;
  const tld = labels.at(-1) as string;
  return COUNTRY_TLDS.has(tld) || GENERIC_TLDS.has(tld);
}
