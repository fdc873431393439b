import { type Dir, opendirSync } from "node:fs";
import path from "node:path";
import { LICENSE_FILE_NAME } from "./license-text.js";

/** Directory entries read at most when looking beside a model card: model folders are small. */
export const MAX_SIBLINGS = 4096;

/** Names that make a folder a model's: configs and weights as the common libraries save them. */
const MODEL_FILE =
  /^(?:config\.json|model_index\.json|adapter_config\.json)$|\.(?:safetensors|bin|pt|pth|ckpt|gguf|ggml|onnx|h5|hdf5|keras|tflite|pkl|pickle|joblib|msgpack|npz|pb|llamafile|mlmodel|nemo)$/i;

/** What the folder of a scanned top-level file holds, by name only (contents are never read here). */
export interface FolderContents {
  /** Files that hold a license (`LICENSE`, `LICENSE.md`, `COPYING`). */
  licenseFiles: string[];
  /** Configs and weights. */
  modelFiles: string[];
}

/**
 * The license and model files beside `file`, bounded. The engine scans every file of a folder as its
 * own artifact, so "is there a LICENSE next to this model card" can only be answered by looking at the
 * directory. An unreadable directory (bytes with no real path, an upload) gives empty lists.
 */
export function folderContents(file: string): FolderContents {
  const contents: FolderContents = { licenseFiles: [], modelFiles: [] };
  let directory: Dir | undefined;
  try {
    directory = opendirSync(path.dirname(path.resolve(file)));
    let read = 0;
    for (let entry = directory.readSync(); entry !== null && read < MAX_SIBLINGS; entry = directory.readSync()) {
      read++;
      if ((!entry.isFile() && !entry.isSymbolicLink()) || entry.name === path.basename(file)) continue;
      if (LICENSE_FILE_NAME.test(entry.name)) contents.licenseFiles.push(entry.name);
      else if (MODEL_FILE.test(entry.name)) contents.modelFiles.push(entry.name);
    }
  } catch {
    return contents;
  } finally {
    try {
      directory?.closeSync();
    } catch {
      // already closed
    }
  }
  return contents;
}
