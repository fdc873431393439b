import { FORMATS, type FormatHandler, type SniffInput } from "@modelaudit/core";

const INDEX_SUFFIX = ".safetensors.index.json";

/**
 * `model.safetensors.index.json`: the `weight_map` of a sharded model (tensor name → shard file).
 * Checked against the shards beside it: every shard exists, holds the tensors the map says, and
 * holds no tensor the map does not know.
 */
export const safetensorsIndexHandler: FormatHandler = {
  id: FORMATS.safetensorsIndex,
  description: "sharded safetensors index: weight_map checked against the shard headers beside it",
  sniff(input: SniffInput): boolean {
    // A JSON object: the first significant byte is `{` (checked before decoding anything).
    let first = 0;
    while (
      first < input.head.length &&
      [0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].includes(input.head[first] as number)
    ) {
      first++;
    }
    if (input.head[first] !== 0x7b) return false;
    if (input.name.toLowerCase().endsWith(INDEX_SUFFIX)) return true;
    // Without the usual name, the content must say both "weight_map" and safetensors shards
    // (a PyTorch `.bin` index has a weight_map too, and its shards are pickles).
    const head = new TextDecoder().decode(input.head);
    return head.includes('"weight_map"') && /\.safetensors"/.test(head);
  },
  async parse(context) {
    const { parseSafetensorsIndex } = await import("./index-parse.js");
    return parseSafetensorsIndex(context);
  },
};
