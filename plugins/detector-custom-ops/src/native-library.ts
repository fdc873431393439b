/** A shared library name as the loaders spell it: libfoo.so, libfoo.so.1.2, foo.dll, foo.dylib, foo.pyd. */
const NATIVE_LIBRARY = /\.(so(\.\d+)*|dll|dylib|pyd)$/i;

export function isNativeLibraryName(name: string): boolean {
  const base = name.replace(/[\\/]+$/, "");
  return NATIVE_LIBRARY.test(base);
}

/** A reference key that says the path is loaded as a native library, whatever its extension. */
export function isLibraryLoadKey(key: string | undefined): boolean {
  return key !== undefined && /load_library|cdll|loadlibrary|dlopen|ctypes/i.test(key);
}
