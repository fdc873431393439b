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

export interface FlexTarget {
  /** The op custom_code names after "Flex" (what a converter writes). */
  named: string;
  /** The op the Flex delegate runs: v[0] of the custom options when the handler decoded them, else `named`. */
  runs: string;
  /** Op names the handler decoded from the custom options (v[0], NodeDef.op), each emitted as a TensorFlow graph node. */
  decoded: string[];
}

/** The TensorFlow op a Flex op runs, from custom_code and from the custom options the handler decoded. */
export function flexTarget(op: string, attributes: Readonly<Record<string, unknown>> = {}): FlexTarget {
  const named = op.slice(4);
  const decoded = [attributes.flexOp, attributes.flexNodeDefOp].filter(
    (value): value is string => typeof value === "string",
  );
  return { named, runs: typeof attributes.flexOp === "string" ? attributes.flexOp : named, decoded };
}
