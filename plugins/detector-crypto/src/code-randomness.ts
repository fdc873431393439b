import {
  callArguments,
  constantBindings,
  enclosingNames,
  inScope,
  integerLiteral,
  literalValue,
  type PythonSource,
  type Statement,
} from "./python-source.js";

/**
 * Seeds and random numbers in code. Seeding for reproducible training is normal (`torch.manual_seed(42)`
 * before a training loop) and is never reported on its own: only a constant or clock seed whose
 * scope also generates a key, token, nonce, salt or password, or such a value made with a
 * non-cryptographic generator at all.
 */
export interface RandomVerdict {
  rule: "fixed-seed" | "insecure-random";
  messageId: string;
  data: Record<string, string | number>;
  line: number;
  evidence: string;
}

/** Calls that seed a generator, global or new: the first argument is the seed. */
const SEED_CALL =
  /\b((?:random\.|(?:np|numpy)\.random\.|torch\.(?:cuda\.|random\.)?|tf\.random\.|tf\.compat\.v1\.)?(?:seed|manual_seed(?:_all)?|set_seed|set_random_seed)|random\.Random|(?:np|numpy)\.random\.(?:RandomState|default_rng|Generator|PCG64|MT19937)|(?:[A-Za-z_]\w*)\.manual_seed)\s*\(/g;
/** Predictable run-time seeds: the clock or the process id. */
const CLOCK_SEED =
  /\btime\.(?:time|time_ns|monotonic|perf_counter)\s*\(|\bdatetime\.(?:datetime\.)?(?:now|utcnow|today)\s*\(|\bos\.getpid\s*\(/;

/** Non-cryptographic generators: the `random` module, NumPy, torch, and named generator instances. */
const GENERATOR_METHOD =
  "choice|choices|randint|randrange|getrandbits|randbytes|random|sample|shuffle|bytes|integers|uniform";
const MODULE_GENERATION = new RegExp(
  `\\b(?:(?:np|numpy)\\.random|random)\\.(?:${GENERATOR_METHOD})\\s*\\(|\\btorch\\.(?:randint|randperm|randbytes|rand|randn)\\s*\\(`,
);

const INSTANCE_CALL = new RegExp(`(?:^|[^\\w.])([A-Za-z_][\\w.]*)\\.(?:${GENERATOR_METHOD})\\s*\\(`, "g");

/** Names that mean the value is a secret whatever generated it. */
const STRONG_NAME =
  /password|passwd|passphrase|\bpwd\b|secret|nonce|\botp\b|csrf|api_?key|\bauth(?:_?(?:key|token|code))?\b|session_?(?:id|key|token)|(?:aes|enc|encryption|decryption|crypt\w*|cipher|private|signing|hmac|master|wrapping)_?key|key_?(?:bytes|material)|gen(?:erate)?_?key|\biv\b|init(?:ialization)?_?vector|(?:access|api|auth|bearer|reset|refresh|security|session|verification|invite|login)_?token|gen(?:erate)?_?token|make_?token|token_?(?:hex|urlsafe|bytes)/i;
/** Names that are secrets only when the value is made as bytes or from a character set (an NLP `token` is not). */
const WEAK_NAME = /\b(?:token|key|salt)s?\b|_(?:token|key|salt)\b|\b(?:token|key|salt)_/i;
const SECRET_SHAPED =
  /getrandbits|randbytes|\.bytes\s*\(|\bbytes\s*\(|bytearray\s*\(|\.hex\s*\(|string\.(?:ascii_letters|ascii_lowercase|ascii_uppercase|digits|hexdigits|punctuation|printable)|["'][A-Za-z0-9]{20,}["']/;

/** Seeds and generator instances remembered per source: enough for any real file, bounded for hostile ones. */
const MAX_SEEDS = 1000;
const MAX_INSTANCES = 64;

interface Seed {
  statement: number;
  scope: number;
  call: string;
  value: string;
  clock: boolean;
  /** Set for `rng = random.Random(42)`: only `rng.` calls use this seed. */
  instance?: string;
}

/** Judges the randomness of one source. */
export function judgeRandomness(source: PythonSource): RandomVerdict[] {
  const constants = constantBindings(source);
  const seeds: Seed[] = [];
  const instances = new Set<string>();
  source.statements.forEach((statement, index) => {
    SEED_CALL.lastIndex = 0;
    for (let match = SEED_CALL.exec(statement.text); match; match = SEED_CALL.exec(statement.text)) {
      const call = match[1] as string;
      const open = match.index + match[0].length - 1;
      // The seed is the first argument (or seed=); nested calls (`int(time.time())`) are read whole.
      const args = callArguments(statement.text, open);
      const argument = (args?.keywords.get("seed") ?? args?.keywords.get("x") ?? args?.positional[0] ?? "").trim();
      const seed = seedValue(argument, constants);
      const instance = /^([A-Za-z_][\w.]*)\s*=/.exec(statement.text)?.[1];
      const makesInstance = /Random\b|RandomState|default_rng|Generator|PCG64|MT19937/.test(call);
      if (makesInstance && instance && instances.size < MAX_INSTANCES) instances.add(instance);
      if (!seed || seeds.length >= MAX_SEEDS) continue;
      seeds.push({
        statement: index,
        scope: statement.scope,
        call,
        value: seed.value,
        clock: seed.clock,
        ...(makesInstance && instance ? { instance } : {}),
      });
    }
  });

  const verdicts: RandomVerdict[] = [];
  const seededLines = new Set<number>();
  source.statements.forEach((statement, index) => {
    const generator = generatorOf(statement.text, instances);
    if (!generator || !securityRelevant(source, statement)) return;
    const seed = seeds.find(
      (candidate) =>
        inScope(source, index, candidate.scope) &&
        (candidate.scope === -1 || candidate.statement <= index) &&
        (candidate.instance === undefined || generator === candidate.instance),
    );
    if (seed) {
      if (seededLines.has(seed.statement)) return;
      seededLines.add(seed.statement);
      const seedStatement = source.statements[seed.statement] as Statement;
      verdicts.push({
        rule: "fixed-seed",
        messageId: seed.clock ? "clockSeed" : "fixedSeed",
        data: { call: seed.call, seed: seed.value, generator, generatedAt: statement.line },
        line: seedStatement.line,
        evidence: `${seedStatement.text.slice(0, 120)} … ${statement.text.slice(0, 120)}`,
      });
      return;
    }
    if (generator === "secrets") return;
    verdicts.push({
      rule: "insecure-random",
      messageId: "insecureRandom",
      data: { generator },
      line: statement.line,
      evidence: statement.text.slice(0, 200),
    });
  });
  return verdicts;
}

function seedValue(
  argument: string,
  constants: ReturnType<typeof constantBindings>,
): { value: string; clock: boolean } | null {
  if (CLOCK_SEED.test(argument)) return { value: argument.slice(0, 60), clock: true };
  const integer = integerLiteral(argument);
  if (integer !== null) return { value: integer, clock: false };
  const literal = literalValue(argument);
  if (literal) return { value: JSON.stringify(literal.written.slice(0, 40)), clock: false };
  const bound = constants.get(argument);
  if (bound?.integer !== undefined) return { value: `${argument} = ${bound.integer}`, clock: false };
  return null;
}

/** The generator a statement draws from (`random`, `numpy.random`, `torch`, an instance name), or null. */
function generatorOf(text: string, instances: ReadonlySet<string>): string | null {
  const module = MODULE_GENERATION.exec(text);
  if (module) return module[0].startsWith("torch") ? "torch" : module[0].replace(/\.[a-z]+\s*\($/, "");
  // `rng.choice(`: the instance name is the word before a generator method.
  for (const match of text.matchAll(INSTANCE_CALL)) {
    if (instances.has(match[1] as string)) return match[1] as string;
  }
  return null;
}

/** True when the statement makes a secret: by the names it assigns or its functions carry, and its shape. */
function securityRelevant(source: PythonSource, statement: Statement): boolean {
  const target = /^([\w.,\s[\]]+?)\s*(?::[^=]+)?=(?!=)/.exec(statement.text)?.[1] ?? "";
  const returned = /^(?:return|yield)\b/.test(statement.text);
  const keywords = [...statement.text.matchAll(/\b([A-Za-z_]\w*)\s*=(?!=)/g)].map((match) => match[1] as string);
  const functions = enclosingNames(source, statement);
  // What the value is called: its target, the keyword it is passed as, or the function it is returned from.
  const names = [target, ...keywords, ...(returned || target === "" ? functions.slice(0, 1) : [])].join(" ");
  if (STRONG_NAME.test(names)) return true;
  return WEAK_NAME.test(names) && SECRET_SHAPED.test(statement.text);
}
