/** Field ids (declaration order) of the TFLite schema tables this handler reads, from the public schema. */
export const MODEL = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;

export const OPERATOR_CODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;

export const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;

/** A union takes two ids: its type byte, then the table offset. */
export const OPERATOR = {
  opcodeIndex: 0,
  inputs: 1,
  outputs: 2,
  builtinOptionsType: 3,
  builtinOptions: 4,
  customOptions: 5,
  customOptionsFormat: 6,
  largeCustomOptionsOffset: 9,
  largeCustomOptionsSize: 10,
} as const;

export const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3 } as const;

/** `offset`/`size` locate data stored after the flatbuffer (models over 2 GB); valid only when offset > 1. */
export const BUFFER = { data: 0, offset: 1, size: 2 } as const;

export const METADATA = { name: 0, buffer: 1 } as const;

export const SIGNATURE_DEF = { signatureKey: 2 } as const;
