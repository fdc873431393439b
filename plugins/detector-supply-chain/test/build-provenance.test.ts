import { describe, expect, it } from "vitest";
import {
  describeBuildProvenance,
  MAX_STATEMENT_BYTES,
  readBuildProvenance,
} from "../src/provenance/build-provenance.js";

const SHA256 = "c".repeat(64);
const COMMIT = "0e7c75d2b9ecf1e7882701520d1193ac48e855c6";

// The shape GitHub's artifact attestations (actions/attest-build-provenance) write: SLSA v1, GitHub Actions build type.
const slsaV1 = {
  _type: "https://in-toto.io/Statement/v1",
  subject: [{ name: "model.safetensors", digest: { sha256: SHA256 } }],
  predicateType: "https://slsa.dev/provenance/v1",
  predicate: {
    buildDefinition: {
      buildType: "https://actions.github.io/buildtypes/workflow/v1",
      externalParameters: {
        workflow: {
          ref: "refs/heads/main",
          repository: "https://github.com/acme/models",
          path: ".github/workflows/train.yml",
        },
      },
      resolvedDependencies: [
        { uri: "git+https://github.com/acme/models@refs/heads/main", digest: { gitCommit: COMMIT } },
      ],
    },
    runDetails: {
      builder: { id: "https://github.com/actions/runner/github-hosted" },
      metadata: { invocationId: "https://github.com/acme/models/actions/runs/1/attempts/1" },
    },
  },
};

// slsa-github-generator's v0.2 provenance.
const slsaV02 = {
  _type: "https://in-toto.io/Statement/v0.1",
  subject: [{ name: "model.gguf", digest: { sha256: SHA256 } }],
  predicateType: "https://slsa.dev/provenance/v0.2",
  predicate: {
    builder: {
      id: "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.9.0",
    },
    buildType: "https://github.com/slsa-framework/slsa-github-generator/generic@v1",
    invocation: {
      configSource: {
        uri: "git+https://github.com/acme/models@refs/heads/main",
        digest: { sha1: COMMIT },
        entryPoint: ".github/workflows/release.yml",
      },
    },
    materials: [{ uri: "git+https://github.com/acme/other", digest: { sha1: "1".repeat(40) } }],
  },
};

const envelope = (statement: unknown, payloadType = "application/vnd.in-toto+json") => ({
  payloadType,
  payload: Buffer.from(JSON.stringify(statement)).toString("base64"),
  signatures: [{ sig: "MEUCIQ", keyid: "" }],
});

describe("in-toto / SLSA provenance statements", () => {
  it("SLSA v1 (GitHub Actions): the builder and the workflow's repository and ref", () => {
    const provenance = readBuildProvenance(slsaV1);
    expect(provenance).toEqual({
      predicateType: "https://slsa.dev/provenance/v1",
      builder: "https://github.com/actions/runner/github-hosted",
      source: "https://github.com/acme/models@refs/heads/main",
      buildType: "https://actions.github.io/buildtypes/workflow/v1",
      subjects: [{ name: "model.safetensors", sha256: SHA256 }],
    });
    expect(describeBuildProvenance(provenance!)).toBe(
      "built by https://github.com/actions/runner/github-hosted from https://github.com/acme/models@refs/heads/main",
    );
  });

  it("SLSA v1 from another builder: the first resolved dependency at its commit", () => {
    const other = structuredClone(slsaV1);
    other.predicate.buildDefinition.externalParameters =
      {} as typeof other.predicate.buildDefinition.externalParameters;
    expect(readBuildProvenance(other)?.source).toBe("git+https://github.com/acme/models@refs/heads/main");
    other.predicate.buildDefinition.resolvedDependencies = [
      { uri: "git+https://example.com/x", digest: { gitCommit: COMMIT } },
    ];
    expect(readBuildProvenance(other)?.source).toBe(`git+https://example.com/x@${COMMIT}`);
  });

  it("SLSA v0.2: the builder and the config source", () => {
    expect(readBuildProvenance(slsaV02)).toMatchObject({
      builder: slsaV02.predicate.builder.id,
      source: "git+https://github.com/acme/models@refs/heads/main",
      subjects: [{ name: "model.gguf", sha256: SHA256 }],
    });
  });

  it("reads the statement inside a DSSE envelope and inside a Sigstore bundle", () => {
    expect(readBuildProvenance(envelope(slsaV1))?.builder).toBe("https://github.com/actions/runner/github-hosted");
    const bundle = { mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json", dsseEnvelope: envelope(slsaV02) };
    expect(readBuildProvenance(bundle)?.predicateType).toBe("https://slsa.dev/provenance/v0.2");
  });

  it("is null for what is not SLSA provenance: model-signing statements, other payload types, junk", () => {
    const modelSigning = {
      ...slsaV1,
      predicateType: "https://model_signing/signature/v1.0",
      predicate: { resources: [] },
    };
    expect(readBuildProvenance(modelSigning)).toBeNull();
    expect(readBuildProvenance(envelope(slsaV1, "text/plain"))).toBeNull();
    expect(
      readBuildProvenance({ payloadType: "application/vnd.in-toto+json", payload: "!!not base64 json" }),
    ).toBeNull();
    expect(readBuildProvenance({ ...slsaV1, _type: "https://example.com/Statement" })).toBeNull();
    for (const junk of [null, 3, "x", [], {}]) expect(readBuildProvenance(junk)).toBeNull();
  });

  it("does not decode an oversized payload", () => {
    const big = { payloadType: "application/vnd.in-toto+json", payload: "A".repeat(MAX_STATEMENT_BYTES * 2) };
    expect(readBuildProvenance(big)).toBeNull();
  });
});
