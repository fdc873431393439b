/**
 * What a tensor's name says about its role in a quantized model. Quantizers name their parameters
 * after the weight they belong to: compressed-tensors and FBGEMM `<layer>.weight_scale`, FP8
 * checkpoints `weight_scale_inv`, bitsandbytes/GPTQ `scales`, ONNX-style `<weight>_scale` and
 * `<weight>_zero_point`, torch's quantized modules `<layer>.scale` and `<layer>.zero_point`.
 */

/** Names that are a quantization scale whatever their size. */
const SCALE_NAME =
  /(?:^|[._/])(?:\w+_)?(?:scale_inv|scales|qscale|quant_scale|dequant_scale)$|(?:^|[._/])(?:weight|input|output|act|activation|k|v|q|kv|x|w|a)_scale$|_scale$/i;
/** A bare `scale` is also a norm's gain (Flax LayerNorm, T5): only a scalar one is a quantizer's. */
const BARE_SCALE = /(?:^|[._/])scale$/i;
const NORM = /norm|(?:^|[._/])ln(?:_\w+)?[._/]|layernorm|rmsnorm|bn[._/]|batch_?norm/i;
const ZERO_POINT = /(?:^|[._/])(?:\w+_)?(?:zero_points?|zeropoints?|zp)$/i;
/** GPTQ/AWQ pack 4-bit zero points eight to an int32: not judged as plain integers. */
const PACKED_ZEROS = /(?:^|[._/])qzeros$/i;
const SUFFIX = /(?:[._/](?:\w+_)?(?:scale_inv|scales?|qscale|quant_scale|dequant_scale|zero_points?|zeropoints?|zp))$/i;

export function isScaleName(name: string, elements: number): boolean {
  if (NORM.test(name)) return false;
  if (SCALE_NAME.test(name)) return true;
  return BARE_SCALE.test(name) && elements <= 1;
}

export function isZeroPointName(name: string): boolean {
  return ZERO_POINT.test(name) && !PACKED_ZEROS.test(name);
}

/**
 * The layer a scale or zero point belongs to, and the names a weight of that layer goes by, so the
 * two meet: `0.weight_scale` and `0.weight` both give `0`; `fc.scale` and `fc.weight` give `fc`;
 * `emb_scale` and `emb_int8` give `emb`.
 */
export function layerOf(name: string): string {
  const withoutParameter = name.replace(SUFFIX, "").replace(/_(?:scale_inv|scales?|zero_points?|zp)$/i, "");
  return withoutParameter
    .replace(/[._/](?:weight|qweight|weight_packed|kernel)$/i, "")
    .replace(/[._](?:u?int8|[iu]8|q|quant|quantized)$/i, "");
}
