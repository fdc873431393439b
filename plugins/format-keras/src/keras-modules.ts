/** Top-level packages of Keras itself and the libraries Keras configs name for built-in objects. */
const KERAS_PACKAGES = new Set(["keras", "tf_keras", "tensorflow", "numpy", "keras_hub", "keras_nlp", "keras_cv"]);

export function isKerasModule(module: string): boolean {
  return KERAS_PACKAGES.has(module.split(".")[0] ?? "");
}
