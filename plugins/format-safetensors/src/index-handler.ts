import { FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";

/**
 * The index names the loaders read, with the variant transformers and diffusers insert before
 * `.json` (`_add_variant`: `model.safetensors.index.fp16.json`).
 */
const SAFETENSORS_INDEX_NAME = /\.safetensors\.index(?:\.[^./\\]+)?\.json$/i;
/**
 * Every other sharded checkpoint index transformers and diffusers read: `pytorch_model.bin.index.json`
 * (WEIGHTS_INDEX_NAME), `tf_model.h5.index.json` (TF2_WEIGHTS_INDEX_NAME),
 * `flax_model.msgpack.index.json` (FLAX_WEIGHTS_INDEX_NAME), `diffusion_pytorch_model.bin.index.json`,
 * and their variants.
 */
const WEIGHTS_INDEX_NAME = /\.(?:bin|pt|pth|h5|msgpack|ckpt)\.index(?:\.[^./\\]+)?\.json$/i;

/** A JSON object: the first significant byte is `{` (checked before decoding anything). */
function startsLikeObject(head: Uint8Array): boolean {
  let first = 0;
  while (first < head.length && [0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].includes(head[first] as number)) {
    first++;
  }
  return head[first] === 0x7b;
}

function namesSafetensorsShards(head: string): boolean {
  return head.includes('"weight_map"') && /\.safetensors"/.test(head);
}

/**
 * `model.safetensors.index.json`: the `weight_map` of a sharded model (tensor name → shard file).
 * Checked against the shards beside it: every shard exists, holds the tensors the map says, and
 * holds no tensor the map does not know.
 */
export const safetensorsIndexHandler: FormatHandler = {
  id: FORMATS.safetensorsIndex,
  description: "sharded safetensors index: weight_map checked against the shard headers beside it",
  sniff(input: SniffInput): boolean {
    if (!startsLikeObject(input.head)) return false;
    if (SAFETENSORS_INDEX_NAME.test(input.name)) return true;
    if (WEIGHTS_INDEX_NAME.test(input.name)) return false;
    // Without the usual name, the content must say both "weight_map" and safetensors shards
    // (a PyTorch `.bin` index has a weight_map too, and its shards are pickles).
    return namesSafetensorsShards(new TextDecoder().decode(input.head));
  },
  async parse(context) {
    const { parseSafetensorsIndex } = await import("./index-parse.js");
    return parseSafetensorsIndex(context);
  },
};

/**
 * `pytorch_model.bin.index.json` and the other sharded indexes: the same `weight_map`, whose shards
 * (pickles, HDF5, msgpack) are checked to exist beside it but not opened. transformers joins each
 * shard name to the folder and loads it, so a name leaving the folder is the same escape either way.
 */
export const weightsIndexHandler: FormatHandler = {
  id: FORMATS.weightsIndex,
  description: "sharded checkpoint index (pytorch_model.bin.index.json, tf/flax): weight_map's shards checked",
  sniff(input: SniffInput): boolean {
    if (!startsLikeObject(input.head)) return false;
    if (SAFETENSORS_INDEX_NAME.test(input.name)) return false;
    if (WEIGHTS_INDEX_NAME.test(input.name)) return true;
    const head = new TextDecoder().decode(input.head);
    return !namesSafetensorsShards(head) && head.includes('"weight_map"') && /\.(?:bin|pt|pth|h5|msgpack)"/.test(head);
  },
  async parse(context) {
    const { parseSafetensorsIndex } = await import("./index-parse.js");
    return parseSafetensorsIndex(context, "sharded index rejected");
  },
};
