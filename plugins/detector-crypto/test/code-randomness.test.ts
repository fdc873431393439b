import { describe, expect, it } from "vitest";
import { judgeRandomness, readPython } from "../src/index.js";
import { scanPython, summary } from "./helpers.js";

const judge = (code: string) => judgeRandomness(readPython(code)).map((verdict) => verdict.messageId);

describe("seeds and generators behind secrets", () => {
  it.each([
    [
      "a module seed before a token function",
      "import random\nrandom.seed(1234)\n\ndef new_api_token():\n    return ''.join(random.choice(ALPHABET) for _ in range(32))\n",
      ["fixedSeed"],
    ],
    [
      "a seed inside the function that makes a key",
      "def make_key():\n    np.random.seed(7)\n    aes_key = np.random.bytes(32)\n    return aes_key\n",
      ["fixedSeed"],
    ],
    [
      "a seeded Random instance making a password",
      "rng = random.Random(42)\n\ndef reset_password():\n    password = ''.join(rng.choice(string.ascii_letters) for _ in range(12))\n    return password\n",
      ["fixedSeed"],
    ],
    ["torch.manual_seed before a nonce", "torch.manual_seed(0)\nnonce = torch.randint(0, 256, (12,))\n", ["fixedSeed"]],
    [
      "a seed bound to a constant name",
      "SEED = 99\nrandom.seed(SEED)\nsession_token = '%032x' % random.getrandbits(128)\n",
      ["fixedSeed"],
    ],
    ["a clock seed", "random.seed(int(time.time()))\nsalt = random.randbytes(16)\n", ["clockSeed"]],
    [
      "a key keyword argument drawn from random",
      "cipher = make_cipher(key=bytes(random.getrandbits(8) for _ in range(16)))\n",
      ["insecureRandom"],
    ],
    [
      "random.choice over a character set for a password, unseeded",
      "def generate_password(n):\n    return ''.join(random.choice(string.ascii_letters + string.digits) for _ in range(n))\n",
      ["insecureRandom"],
    ],
    ["an unseeded getrandbits token", "reset_token = hex(random.getrandbits(128))\n", ["insecureRandom"]],
    [
      "a salt made with randbytes",
      "salt = random.randbytes(16)\nhashed = hashlib.pbkdf2_hmac('sha256', password, salt, 100000)\n",
      ["insecureRandom"],
    ],
  ])("%s", (_name, code, expected) => {
    expect(judge(code)).toEqual(expected);
  });

  it.each([
    [
      "training seeds with no secret",
      "random.seed(42)\nnp.random.seed(42)\ntorch.manual_seed(42)\nx = torch.randn(4, 8)\nidx = random.sample(range(100), 10)\n",
    ],
    ["an attention key tensor", "torch.manual_seed(42)\nkey = torch.randn(2, 4, 16)\nquery = torch.randn(2, 4, 16)\n"],
    [
      "MLM random token replacement",
      "random.seed(0)\ntoken = random.choice(vocab)\nrandom_tokens = torch.randint(vocab_size, shape)\n",
    ],
    [
      "salt-and-pepper noise",
      "np.random.seed(1234)\nsalt = np.random.rand(*image.shape) < 0.01\npepper = np.random.rand(*image.shape) < 0.01\n",
    ],
    ["tokens from secrets", "random.seed(1)\napi_token = secrets.token_urlsafe(32)\nnonce = os.urandom(12)\n"],
    ["a random run id", "random.seed(3)\nrun_id = ''.join(random.choices('abcdefghijklmnopqrstuvwxyz', k=8))\n"],
    [
      "a seed in another function",
      "def train():\n    torch.manual_seed(42)\n\ndef make_key():\n    return secrets.token_bytes(32)\n",
    ],
    ["seed from the OS", "random.seed()\nsession_id = uuid.uuid4().hex\n"],
    ["a dictionary key", "torch.manual_seed(0)\nfor key in random.sample(list(state), 3):\n    print(key)\n"],
  ])("%s: nothing", (_name, code) => {
    expect(judge(code)).toEqual([]);
  });

  it("reports the seed line with the generator line in the message", async () => {
    const report = await scanPython(
      "import random\n\nrandom.seed(1234)\n\ndef new_api_token():\n    return ''.join(random.choice(ALPHABET) for _ in range(32))\n",
      "token_utils.py",
    );
    expect(summary(report)).toEqual([["crypto/fixed-seed", "warning", "fixedSeed"]]);
    expect(report.findings[0]!.message).toBe(
      "random.seed(1234) seeds random, which makes a secret at line 6: the secret is predictable",
    );
    expect(report.findings[0]!.location).toEqual({ path: "token_utils.py", line: 3 });
  });
});
