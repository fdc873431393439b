// Builds the benchmark inputs under bench-data/ (git-ignored). Synthetic files are written by our
// own writers; the random forest is made with real scikit-learn + joblib when python3 has them.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { PickleWriter } from "./pickle-writer.mjs";
import { ZipWriter } from "./zip-writer.mjs";

export const dataDir = path.join(import.meta.dirname, "bench-data");

let seed = 0x9e3779b9;
/** `bytes` of float32 weights, small values around zero like a trained layer (xorshift, deterministic). */
function floatWeights(bytes) {
  const floats = new Float32Array(bytes / 4);
  for (let index = 0; index < floats.length; index++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    floats[index] = ((seed >>> 0) / 4294967296 - 0.5) * 0.08;
  }
  return Buffer.from(floats.buffer);
}

/** A PyTorch-layout zip checkpoint: data.pkl (state dict of `tensors` tensors) + stored tensor members. */
export function makeTorchCheckpoint(file, totalBytes) {
  const tensors = 100;
  const perTensor = Math.floor(totalBytes / tensors / 4) * 4;
  const pickle = new PickleWriter().proto(2).global("collections", "OrderedDict").byte(0x29).reduce().mark();
  for (let index = 0; index < tensors; index++) {
    pickle.str(`layers.${index}.weight`).global("torch._utils", "_rebuild_tensor_v2").mark();
    pickle
      .mark()
      .str("storage")
      .global("torch", "FloatStorage")
      .str(String(index))
      .str("cpu")
      .int(perTensor / 4)
      .tuple();
    pickle
      .binPersId()
      .int(0)
      .mark()
      .int(512)
      .int(perTensor / 4 / 512)
      .tuple()
      .mark()
      .int(perTensor / 4 / 512)
      .int(1)
      .tuple();
    pickle.bool(false).global("collections", "OrderedDict").byte(0x29).reduce().tuple().reduce();
  }
  pickle.setItems().stop();
  const zip = new ZipWriter(file);
  zip.addStored("archive/data.pkl", [pickle.toBuffer()]);
  zip.addStored("archive/byteorder", [Buffer.from("little")]);
  for (let index = 0; index < tensors; index++) zip.addStored(`archive/data/${index}`, [floatWeights(perTensor)]);
  zip.addStored("archive/version", [Buffer.from("3\n")]);
  zip.close();
}

/** A safetensors file of about `totalBytes`: 256 F32 tensors, random data, written in chunks. */
export function makeSafetensors(file, totalBytes) {
  const tensors = 256;
  const perTensor = Math.floor(totalBytes / tensors / 4096) * 4096;
  const header = { __metadata__: { format: "pt" } };
  for (let index = 0; index < tensors; index++) {
    header[`model.layers.${index}.weight`] = {
      dtype: "F32",
      shape: [perTensor / 4 / 1024, 1024],
      data_offsets: [index * perTensor, (index + 1) * perTensor],
    };
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const fd = openSync(file, "w");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeSync(fd, length);
  writeSync(fd, Buffer.from(json));
  for (let index = 0; index < tensors; index++) writeSync(fd, floatWeights(perTensor));
  closeSync(fd);
}

/**
 * A GGUF v3 file of about `totalBytes`, laid out like a quantized 7B-class model: per block, Q8_0
 * attention and feed-forward matrices, F16 and F32 norm vectors; 32-byte alignment as llama.cpp writes.
 */
export function makeGguf(file, totalBytes) {
  const Q8_0 = 8;
  const F16 = 1;
  const F32 = 0;
  const width = 4096;
  const tensors = [];
  let dataBytes = 0;
  const add = (name, type, dims, bytes) => {
    const offset = Math.ceil(dataBytes / 32) * 32;
    tensors.push({ name, type, dims, bytes, offset });
    dataBytes = offset + bytes;
  };
  for (let block = 0; dataBytes < totalBytes - 40 * 1024 * 1024; block++) {
    add(`blk.${block}.attn_norm.weight`, F32, [width], width * 4);
    add(`blk.${block}.attn_q.weight`, Q8_0, [width, width], ((width * width) / 32) * 34);
    add(`blk.${block}.attn_k.weight`, Q8_0, [width, width], ((width * width) / 32) * 34);
    add(`blk.${block}.ffn_norm.weight`, F16, [width], width * 2);
    add(`blk.${block}.ffn_up.weight`, Q8_0, [width, width], ((width * width) / 32) * 34);
  }
  const parts = [];
  const u32 = (value) => {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    parts.push(buffer);
  };
  const u64 = (value) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    parts.push(buffer);
  };
  const string = (text) => {
    u64(Buffer.byteLength(text));
    parts.push(Buffer.from(text));
  };
  parts.push(Buffer.from("GGUF"));
  u32(3);
  u64(tensors.length);
  u64(2);
  string("general.architecture");
  u32(8); // string
  string("llama");
  string("general.alignment");
  u32(4); // uint32
  u32(32);
  for (const tensor of tensors) {
    string(tensor.name);
    u32(tensor.dims.length);
    for (const dim of tensor.dims) u64(dim);
    u32(tensor.type);
    u64(tensor.offset);
  }
  let header = Buffer.concat(parts);
  header = Buffer.concat([header, Buffer.alloc((32 - (header.length % 32)) % 32)]);
  const fd = openSync(file, "w");
  writeSync(fd, header);
  let written = 0;
  for (const tensor of tensors) {
    if (tensor.offset > written) writeSync(fd, Buffer.alloc(tensor.offset - written));
    writeSync(fd, tensorBytes(tensor.type, tensor.bytes));
    written = tensor.offset + tensor.bytes;
  }
  closeSync(fd);
}

/** Plausible data of one GGUF tensor type: Q8_0 blocks with small f16 scales, f16/f32 values near 1. */
function tensorBytes(type, bytes) {
  if (type === 0)
    return Buffer.from(new Float32Array(bytes / 4).fill(1).map((one, index) => one + (index % 7) * 0.01).buffer);
  if (type === 1) return Buffer.alloc(bytes, Buffer.from([0x00, 0x3c])); // f16 1.0
  const data = floatWeights(Math.ceil(bytes / 4) * 4).subarray(0, bytes);
  for (let block = 0; block + 34 <= bytes; block += 34) {
    data[block] = 0x1e; // f16 scale ≈ 0.00049
    data[block + 1] = 0x10;
  }
  return data;
}

/** A pickle of about a million opcodes: a list of ints, floats and short strings, appended in batches. */
export function makeMillionOpcodes(file) {
  const pickle = new PickleWriter().proto(2).emptyList();
  let opcodes = 2;
  for (let batch = 0; batch < 1000; batch++) {
    pickle.mark();
    for (let index = 0; index < 1000; index++) {
      const value = batch * 1000 + index;
      if (index % 3 === 0) pickle.int(value);
      else if (index % 3 === 1) pickle.float(value / 7);
      else pickle.str(`k${value}`);
    }
    pickle.appends();
    opcodes += 1002;
  }
  pickle.stop();
  writeFileSync(file, pickle.toBuffer());
  return opcodes + 1;
}

/** A real joblib random forest (~10 MB) when python3 has sklearn; null otherwise. */
export function makeForest(file) {
  const script = path.join(import.meta.dirname, "make_forest.py");
  const result = spawnSync("python3", [script, file], { encoding: "utf8" });
  if (result.status !== 0) {
    const fallback = spawnSync("/usr/bin/python3", [script, file], { encoding: "utf8" });
    if (fallback.status !== 0) return null;
  }
  return existsSync(file) ? file : null;
}

/** A real ~1 GiB joblib dump of a float32 embedding matrix (arrays inline) when python3 has joblib; null otherwise. */
export function makeBigJoblib(file) {
  const script = path.join(import.meta.dirname, "make_big_joblib.py");
  for (const python of ["python3", "/usr/bin/python3"]) {
    if (spawnSync(python, [script, file], { encoding: "utf8" }).status === 0 && existsSync(file)) return file;
  }
  return null;
}

export function ensureDataDir() {
  mkdirSync(dataDir, { recursive: true });
  return dataDir;
}

/**
 * A folder of `count` small files like a model repository's: config.json, tokenizer_config.json,
 * generation configs, README model cards, vocab text and small pickles (a dict of floats and
 * strings, as training-argument or optimizer-state pickles are). Deterministic; about 1 KB each.
 */
export function makeSmallFiles(directory, count) {
  mkdirSync(directory, { recursive: true });
  for (let index = 0; index < count; index++) {
    const kind = index % 5;
    const sub = path.join(directory, `model-${Math.floor(index / 50)}`);
    if (index % 50 === 0) mkdirSync(sub, { recursive: true });
    if (kind === 0) {
      const config = {
        architectures: ["BertModel"],
        hidden_size: 768,
        num_attention_heads: 12,
        vocab_size: 30522 + index,
      };
      writeFileSync(path.join(sub, `config-${index}.json`), JSON.stringify(config, null, 2));
    } else if (kind === 1) {
      const tokenizer = {
        do_lower_case: true,
        model_max_length: 512,
        tokenizer_class: "BertTokenizer",
        pad_token: "[PAD]",
      };
      writeFileSync(path.join(sub, `tokenizer_config-${index}.json`), JSON.stringify(tokenizer, null, 2));
    } else if (kind === 2) {
      const words = Array.from({ length: 120 }, (_, word) => `token${(index * 131 + word) % 9973}`);
      writeFileSync(path.join(sub, `vocab-${index}.txt`), `${words.join("\n")}\n`);
    } else if (kind === 3) {
      const card = `---\nlicense: apache-2.0\n---\n# Model ${index}\n\nA small BERT fine-tuned for classification.\n`;
      writeFileSync(path.join(sub, `README-${index}.md`), card);
    } else {
      const pickle = new PickleWriter().proto(2).emptyDict().mark();
      for (let key = 0; key < 20; key++) pickle.str(`param_${key}`).float((index + key) / 13);
      pickle.str("name").str(`run-${index}`).setItems().stop();
      writeFileSync(path.join(sub, `training_args-${index}.pkl`), pickle.toBuffer());
    }
  }
}

/** One ustar header block for a regular file (enough for Python's tarfile and our reader). */
function tarHeader(name, size) {
  const header = Buffer.alloc(512);
  header.write(name, 0, "utf8");
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  header.write(
    `${Math.floor(Date.UTC(2026, 0, 1) / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
  );
  header.write("        ", 148);
  header.write("0", 156);
  header.write("ustar\0", 257);
  header.write("00", 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return header;
}

/** A `.tar.gz` of the given files (streamed: neither the tar nor a member is ever whole in memory). */
export async function makeTarGz(file, members) {
  const { createReadStream, createWriteStream, statSync } = await import("node:fs");
  const { pipeline } = await import("node:stream/promises");
  const { createGzip } = await import("node:zlib");
  async function* tar() {
    for (const member of members) {
      const size = statSync(member).size;
      yield tarHeader(`model/${path.basename(member)}`, size);
      for await (const chunk of createReadStream(member, { highWaterMark: 4 * 1024 * 1024 })) yield chunk;
      if (size % 512 !== 0) yield Buffer.alloc(512 - (size % 512));
    }
    yield Buffer.alloc(1024);
  }
  await pipeline(tar(), createGzip({ level: 6 }), createWriteStream(file));
}

/** ResNet-50-shaped torch checkpoints, zip or legacy layout, when python3 has torch; null otherwise. */
export function makeTorch(file, layout) {
  const script = path.join(import.meta.dirname, "make_torch.py");
  for (const python of ["python3", "/usr/bin/python3"]) {
    const result = spawnSync(python, [script, file, layout], { encoding: "utf8" });
    if (result.status === 0 && existsSync(file)) return file;
  }
  return null;
}
