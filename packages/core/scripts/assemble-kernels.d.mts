/** The bytes of a kernel's WebAssembly module, assembled from its text source. */
export function assemble(watFile: string): Promise<Buffer>;
/** The committed TypeScript module holding those bytes. */
export function generatedSource(watName: string, bytes: Buffer): string;
/** Writes (or, with `check`, only compares) the .wasm.ts of every .wat in `folder`; true when all were current. */
export function assembleFolder(folder: string, check: boolean): Promise<boolean>;
