/**
 * Custom operators the TFLite runtime or its standard companions (the tflite_support and MediaPipe
 * op resolvers) register themselves: they need no library from the model's author.
 */
const WELL_KNOWN_CUSTOM_OPS: ReadonlySet<string> = new Set([
  "TFLite_Detection_PostProcess",
  "Convolution2DTransposeBias",
  "MaxPoolingWithArgmax2D",
  "MaxUnpooling2D",
  "AudioSpectrogram",
  "Mfcc",
  "TransformTensorBilinear",
  "TransformLandmarks",
  "Landmarks2TransformMatrix",
]);

export type TfliteCustomVerdict = "well-known" | "flex" | "custom";

export function classifyTfliteCustomOp(op: string, allowed: ReadonlySet<string>): TfliteCustomVerdict {
  if (WELL_KNOWN_CUSTOM_OPS.has(op) || allowed.has(op)) return "well-known";
  // Select TF ops: the converter names them Flex<TensorFlow op>, run by the Flex delegate.
  if (/^Flex[A-Z]/.test(op)) return "flex";
  return "custom";
}

/** The TensorFlow op a Flex op runs. */
export function flexTarget(op: string): string {
  return op.slice(4);
}
