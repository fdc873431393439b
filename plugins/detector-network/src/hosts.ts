/** What a host is known for. */
export type HostCategory =
  | "documentation"
  | "tunnel"
  | "shortener"
  | "webhook"
  | "paste"
  | "dynamic-dns"
  | "placeholder"
  | "tracker"
  | "internal"
  | "other";

/** Sites a model card or config links to for papers, code, licences and model hubs. */
const DOCUMENTATION_HOSTS = [
  "huggingface.co",
  "hf.co",
  "arxiv.org",
  "github.com",
  "githubusercontent.com",
  "github.io",
  "gitlab.com",
  "pytorch.org",
  "tensorflow.org",
  "keras.io",
  "onnx.ai",
  "onnxruntime.ai",
  "paperswithcode.com",
  "doi.org",
  "wikipedia.org",
  "wikimedia.org",
  "creativecommons.org",
  "opensource.org",
  "apache.org",
  "gnu.org",
  "spdx.org",
  "aclanthology.org",
  "aclweb.org",
  "openreview.net",
  "semanticscholar.org",
  "neurips.cc",
  "nips.cc",
  "mlr.press",
  "jmlr.org",
  "ieee.org",
  "acm.org",
  "springer.com",
  "nature.com",
  "python.org",
  "pypi.org",
  "readthedocs.io",
  "readthedocs.org",
  "numpy.org",
  "scipy.org",
  "scikit-learn.org",
  "kaggle.com",
  "zenodo.org",
  "orcid.org",
  "modelscope.cn",
  "tfhub.dev",
  "ai.google.dev",
  "llama.com",
  "llama.meta.com",
  "ai.meta.com",
  "nvidia.com",
  "w3.org",
  "schema.org",
  "json-schema.org",
];

/**
 * Experiment trackers: training runs record the URL of their run page (W&B, Comet, Neptune, ClearML,
 * DagsHub, TensorBoard.dev, DVC Studio). A link for people, like documentation.
 */
const TRACKER_HOSTS = [
  "wandb.ai",
  "comet.com",
  "comet.ml",
  "neptune.ai",
  "clear.ml",
  "dagshub.com",
  "tensorboard.dev",
  "studio.iterative.ai",
];

/** Reverse proxies that give a laptop a public name: nothing a published model should call. */
const TUNNEL_HOSTS = [
  "ngrok.io",
  "ngrok.app",
  "ngrok-free.app",
  "ngrok.dev",
  "ngrok-free.dev",
  "trycloudflare.com",
  "localtunnel.me",
  "loca.lt",
  "serveo.net",
  "serveousercontent.com",
  "localhost.run",
  "lhr.life",
  "pagekite.me",
  "telebit.cloud",
  "tunnelto.dev",
  "bore.pub",
  "pinggy.link",
  "pinggy.io",
  "playit.gg",
  "ply.gg",
  "portmap.io",
  "loclx.io",
  "devtunnels.ms",
];

const SHORTENER_HOSTS = [
  "bit.ly",
  "tinyurl.com",
  "t.co",
  "goo.gl",
  "is.gd",
  "rb.gy",
  "ow.ly",
  "buff.ly",
  "cutt.ly",
  "shorturl.at",
  "tiny.cc",
  "v.gd",
  "t.ly",
  "rebrand.ly",
  "bl.ink",
  "s.id",
];

/** Request catchers and out-of-band interaction servers: they exist to receive data. */
const WEBHOOK_HOSTS = [
  "webhook.site",
  "requestbin.net",
  "requestbin.com",
  "pipedream.net",
  "hookbin.com",
  "beeceptor.com",
  "requestcatcher.com",
  "burpcollaborator.net",
  "oastify.com",
  "interact.sh",
  "oast.fun",
  "oast.pro",
  "oast.live",
  "oast.site",
  "oast.online",
  "oast.me",
  "dnslog.cn",
  "ceye.io",
  "canarytokens.com",
];

/** Anonymous file drops. */
const PASTE_HOSTS = ["transfer.sh", "termbin.com", "0x0.st", "file.io", "ghostbin.com", "ghostbin.co"];

const DYNAMIC_DNS_HOSTS = [
  "duckdns.org",
  "ddns.net",
  "hopto.org",
  "zapto.org",
  "sytes.net",
  "myftp.org",
  "servebeer.com",
  "serveftp.com",
  "dynu.net",
  "dyndns.org",
  "mooo.com",
  "no-ip.biz",
  "no-ip.info",
];

/** Names reserved for examples and tests (RFC 2606, RFC 6761): never a real destination. */
const PLACEHOLDER_HOSTS = ["example.com", "example.org", "example.net"];
const PLACEHOLDER_TLDS = new Set(["example", "test", "invalid", "localhost"]);
const INTERNAL_TLDS = new Set(["local", "internal", "lan", "intranet", "corp", "home", "localdomain"]);

/** Paths on general hosts that turn them into data sinks or payload drops. */
const SINK_PATHS: readonly { host: string; path: RegExp; category: HostCategory }[] = [
  { host: "discord.com", path: /^\/api\/webhooks\//i, category: "webhook" },
  { host: "discordapp.com", path: /^\/api\/webhooks\//i, category: "webhook" },
  { host: "api.telegram.org", path: /^\/(file\/)?bot/i, category: "webhook" },
  { host: "hooks.slack.com", path: /^\/(services|workflows|triggers)\//i, category: "webhook" },
  { host: "pastebin.com", path: /^\/raw\//i, category: "paste" },
  { host: "paste.ee", path: /^\/r\//i, category: "paste" },
  { host: "hastebin.com", path: /^\/raw\//i, category: "paste" },
  { host: "rentry.co", path: /^\/[^/]+\/raw/i, category: "paste" },
];

export function hostMatches(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith(`.${suffix}`);
}

function inList(host: string, list: readonly string[]): boolean {
  return list.some((suffix) => hostMatches(host, suffix));
}

/** Classifies a lower-case host name (not an IP literal), with the URL path when there is one. */
export function classifyHost(host: string, path = "", extraDocumentation: readonly string[] = []): HostCategory {
  for (const sink of SINK_PATHS) if (hostMatches(host, sink.host) && sink.path.test(path)) return sink.category;
  if (inList(host, TUNNEL_HOSTS)) return "tunnel";
  if (inList(host, WEBHOOK_HOSTS)) return "webhook";
  if (inList(host, PASTE_HOSTS)) return "paste";
  if (inList(host, DYNAMIC_DNS_HOSTS)) return "dynamic-dns";
  if (SHORTENER_HOSTS.includes(host)) return "shortener";
  if (host === "localhost") return "internal";
  const tld = host.slice(host.lastIndexOf(".") + 1);
  if (inList(host, PLACEHOLDER_HOSTS) || PLACEHOLDER_TLDS.has(tld)) return "placeholder";
  if (host === "localhost" || INTERNAL_TLDS.has(tld) || !host.includes(".")) return "internal";
  if (inList(host, DOCUMENTATION_HOSTS) || inList(host, extraDocumentation)) return "documentation";
  if (inList(host, TRACKER_HOSTS)) return "tracker";
  return "other";
}

/**
 * A host name a resolver would look up: dot-separated LDH labels and an alphabetic (or IDN) top
 * level. `localhost` and single labels are accepted only where a caller allows internal names.
 */
export function isRegistrableHost(host: string): boolean {
  if (host.length > 253 || host.length === 0) return false;
  const labels = host.split(".");
  if (labels.length < 2) return host === "localhost";
  for (const label of labels) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) return false;
  }
  return /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels.at(-1)!);
}

/** File extensions that are also valid-looking top levels: a bare `config.json` is a file, not a host. */
const FILE_EXTENSIONS = new Set(
  "json bin pt pth txt py md onnx safetensors gguf ggml pkl pickle h5 hdf5 keras yaml yml csv tsv zip tar gz tgz bz2 xz zst so dll exe sh bat png jpg jpeg gif svg model ckpt msgpack npz npy tflite pb pbtxt log html htm js ts cfg ini toml xml proto jinja wav mp3 mp4 parquet arrow lock whl egg".split(
    " ",
  ),
);

/** A bare host value (no scheme) that is a host and not a file name. */
export function isBareHost(host: string): boolean {
  return isRegistrableHost(host) && host.includes(".") && !FILE_EXTENSIONS.has(host.slice(host.lastIndexOf(".") + 1));
}
