import { readFileSync } from "node:fs";
import path from "node:path";
import type { Engine } from "@modelaudit/core/engine";
import type { ResolvedIo } from "./io.js";
import { importSupplyChain, SUPPLY_CHAIN_PLUGIN } from "./supply-chain-module.js";
import { UsageError } from "./usage-error.js";

export interface SignatureFlags {
  trustedRoot?: string;
  signerIdentity?: string;
  signerIssuer?: string;
  /** PEM public keys (model-signing key bundles) or armored OpenPGP public keys, told apart by content. */
  signingKey?: string[];
  requireSignatures?: boolean;
}

const PLUGIN = SUPPLY_CHAIN_PLUGIN;

/** What the CLI uses of the plugin's signature code, which it loads by name like any plugin. */
interface SignatureModule {
  prepareSignatures(targets: readonly string[], options: PreparedOptions): Promise<unknown>;
  verifyModelSigningBundle(
    json: unknown,
    trust: { trustedRoot?: unknown; publicKeys: readonly string[]; identities: PreparedOptions["identities"] },
  ): { signer: string };
}

interface PreparedOptions {
  required: boolean;
  trustedRoot?: string;
  publicKeys: string[];
  openpgpKeys: string[];
  identities: { identity: string; issuer: string }[];
}

/**
 * Verifies the signatures under the scan's targets before the scan (model-signing bundles, detached
 * OpenPGP signatures), with the config's `options["supply-chain"].signatures` and the flags on top,
 * and hands the results to the scan's `signatures` detector through the same options.
 */
export async function runSignatureStage(
  setup: Engine,
  targets: readonly string[],
  flags: SignatureFlags,
  io: ResolvedIo,
): Promise<void> {
  if (!setup.registry.plugins.some((plugin) => plugin.meta.namespace === "supply-chain")) {
    if (hasSignatureFlags(flags))
      throw new UsageError(`signature flags need the ${PLUGIN} plugin, which is not loaded`);
    return;
  }
  const options = { ...setup.config.options["supply-chain"] };
  const configured = (options.signatures ?? {}) as Partial<PreparedOptions>;
  const prepared: PreparedOptions = {
    required: flags.requireSignatures ?? configured.required ?? false,
    publicKeys: (configured.publicKeys ?? []).map((file) => path.resolve(io.cwd, file)),
    openpgpKeys: (configured.openpgpKeys ?? []).map((file) => path.resolve(io.cwd, file)),
    identities: [...(configured.identities ?? [])],
  };
  const trustedRoot = flags.trustedRoot ?? configured.trustedRoot;
  if (trustedRoot !== undefined) prepared.trustedRoot = path.resolve(io.cwd, trustedRoot);
  if ((flags.signerIdentity === undefined) !== (flags.signerIssuer === undefined)) {
    throw new UsageError(
      "--signer-identity and --signer-issuer go together (the certificate's identity and its OIDC issuer)",
    );
  }
  if (flags.signerIdentity !== undefined && flags.signerIssuer !== undefined) {
    prepared.identities.push({ identity: flags.signerIdentity, issuer: flags.signerIssuer });
  }
  for (const key of flags.signingKey ?? []) {
    const file = path.resolve(io.cwd, key);
    let head: string;
    try {
      head = readFileSync(file, "utf8").slice(0, 4096);
    } catch (error) {
      throw new UsageError(`cannot read --signing-key ${key}: ${(error as Error).message}`);
    }
    (head.includes("BEGIN PGP PUBLIC KEY BLOCK") ? prepared.openpgpKeys : prepared.publicKeys).push(file);
  }
  let module: SignatureModule;
  try {
    module = await importSupplyChain<SignatureModule>(io);
  } catch (error) {
    if (!hasSignatureFlags(flags) && configured.required !== true) return;
    throw new UsageError(`verifying signatures needs ${PLUGIN}: ${(error as Error).message}`);
  }
  let results: unknown;
  try {
    results = await module.prepareSignatures(targets, prepared);
  } catch (error) {
    // Trust material that cannot be read is a usage problem, not a property of the model.
    throw new UsageError(`cannot verify signatures: ${(error as Error).message}`);
  }
  setup.config.options["supply-chain"] = { ...options, signatures: { ...prepared, results } };
}

/**
 * `verify --manifest model.sig`: the bundle's own signature, checked with the same flags as `scan`.
 * Undefined when the manifest is not a bundle; `checked: false` when it cannot be checked here (a
 * key-signed bundle without --signing-key, or the plugin is not installed).
 */
export async function verifyManifestSignature(
  manifest: unknown,
  flags: SignatureFlags,
  io: ResolvedIo,
): Promise<{ checked: boolean; valid: boolean; detail: string } | undefined> {
  const bundle = manifest as { dsseEnvelope?: unknown; verificationMaterial?: { publicKey?: unknown } } | null;
  if (!bundle?.dsseEnvelope) return undefined;
  if ((flags.signerIdentity === undefined) !== (flags.signerIssuer === undefined)) {
    throw new UsageError(
      "--signer-identity and --signer-issuer go together (the certificate's identity and its OIDC issuer)",
    );
  }
  const publicKeys: string[] = [];
  for (const key of flags.signingKey ?? []) {
    try {
      publicKeys.push(readFileSync(path.resolve(io.cwd, key), "utf8"));
    } catch (error) {
      throw new UsageError(`cannot read --signing-key ${key}: ${(error as Error).message}`);
    }
  }
  if (bundle.verificationMaterial?.publicKey && publicKeys.length === 0) {
    return { checked: false, valid: false, detail: "the bundle is signed with a key: give it with --signing-key" };
  }
  let module: SignatureModule;
  try {
    module = await importSupplyChain<SignatureModule>(io);
  } catch {
    return { checked: false, valid: false, detail: `checking the signature needs ${PLUGIN}` };
  }
  let trustedRoot: unknown;
  if (flags.trustedRoot !== undefined) {
    try {
      trustedRoot = JSON.parse(readFileSync(path.resolve(io.cwd, flags.trustedRoot), "utf8"));
    } catch (error) {
      throw new UsageError(`cannot read --trusted-root ${flags.trustedRoot}: ${(error as Error).message}`);
    }
  }
  const identities =
    flags.signerIdentity !== undefined && flags.signerIssuer !== undefined
      ? [{ identity: flags.signerIdentity, issuer: flags.signerIssuer }]
      : [];
  try {
    const verified = module.verifyModelSigningBundle(manifest, {
      ...(trustedRoot !== undefined && { trustedRoot }),
      publicKeys,
      identities,
    });
    return { checked: true, valid: true, detail: `signed by ${verified.signer}` };
  } catch (error) {
    return { checked: true, valid: false, detail: `does not verify: ${(error as Error).message}` };
  }
}

function hasSignatureFlags(flags: SignatureFlags): boolean {
  return (
    flags.trustedRoot !== undefined ||
    flags.signerIdentity !== undefined ||
    flags.signerIssuer !== undefined ||
    (flags.signingKey?.length ?? 0) > 0 ||
    flags.requireSignatures === true
  );
}
