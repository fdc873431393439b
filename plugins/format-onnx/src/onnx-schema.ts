import protobuf from "protobufjs/light.js";

/**
 * Our trimmed ONNX schema, written from the public specification (onnx.proto / IR.md): message
 * names, field names, numbers and types only. Loaded once at module init with protobufjs reflection.
 * Fields we never read are left out; the walker skips unknown fields as protobuf does.
 */
const field = (type: string, id: number, repeated = false) =>
  repeated ? { type, id, rule: "repeated" as const } : { type, id };

const entries = (id: number) => field("StringStringEntryProto", id, true);

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: { key: field("string", 1), value: field("string", 2) } },
        OperatorSetIdProto: { fields: { domain: field("string", 1), version: field("int64", 2) } },
        TensorAnnotation: {
          fields: { tensor_name: field("string", 1), quant_parameter_tensor_names: entries(2) },
        },
        Segment: { fields: { begin: field("int64", 1), end: field("int64", 2) } },
        TensorProto: {
          fields: {
            dims: field("int64", 1, true),
            data_type: field("int32", 2),
            segment: field("Segment", 3),
            float_data: field("float", 4, true),
            int32_data: field("int32", 5, true),
            string_data: field("bytes", 6, true),
            int64_data: field("int64", 7, true),
            name: field("string", 8),
            raw_data: field("bytes", 9),
            double_data: field("double", 10, true),
            uint64_data: field("uint64", 11, true),
            doc_string: field("string", 12),
            external_data: entries(13),
            data_location: field("int32", 14),
            metadata_props: entries(16),
          },
        },
        SparseTensorProto: {
          fields: { values: field("TensorProto", 1), indices: field("TensorProto", 2), dims: field("int64", 3, true) },
        },
        TensorShapeProto: {
          fields: { dim: field("Dimension", 1, true) },
          nested: {
            Dimension: {
              fields: { dim_value: field("int64", 1), dim_param: field("string", 2), denotation: field("string", 3) },
            },
          },
        },
        TypeProto: {
          fields: {
            tensor_type: field("Tensor", 1),
            sequence_type: field("Sequence", 4),
            map_type: field("Map", 5),
            denotation: field("string", 6),
            sparse_tensor_type: field("SparseTensor", 8),
            optional_type: field("Optional", 9),
          },
          nested: {
            Tensor: { fields: { elem_type: field("int32", 1), shape: field("TensorShapeProto", 2) } },
            SparseTensor: { fields: { elem_type: field("int32", 1), shape: field("TensorShapeProto", 2) } },
            Sequence: { fields: { elem_type: field("TypeProto", 1) } },
            Optional: { fields: { elem_type: field("TypeProto", 1) } },
            Map: { fields: { key_type: field("int32", 1), value_type: field("TypeProto", 2) } },
          },
        },
        ValueInfoProto: {
          fields: {
            name: field("string", 1),
            type: field("TypeProto", 2),
            doc_string: field("string", 3),
            metadata_props: entries(4),
          },
        },
        AttributeProto: {
          fields: {
            name: field("string", 1),
            f: field("float", 2),
            i: field("int64", 3),
            s: field("bytes", 4),
            t: field("TensorProto", 5),
            g: field("GraphProto", 6),
            floats: field("float", 7, true),
            ints: field("int64", 8, true),
            strings: field("bytes", 9, true),
            tensors: field("TensorProto", 10, true),
            graphs: field("GraphProto", 11, true),
            doc_string: field("string", 13),
            tp: field("TypeProto", 14),
            type_protos: field("TypeProto", 15, true),
            type: field("int32", 20),
            ref_attr_name: field("string", 21),
            sparse_tensor: field("SparseTensorProto", 22),
            sparse_tensors: field("SparseTensorProto", 23, true),
          },
        },
        NodeProto: {
          fields: {
            input: field("string", 1, true),
            output: field("string", 2, true),
            name: field("string", 3),
            op_type: field("string", 4),
            attribute: field("AttributeProto", 5, true),
            doc_string: field("string", 6),
            domain: field("string", 7),
            overload: field("string", 8),
            metadata_props: entries(9),
          },
        },
        GraphProto: {
          fields: {
            node: field("NodeProto", 1, true),
            name: field("string", 2),
            initializer: field("TensorProto", 5, true),
            doc_string: field("string", 10),
            input: field("ValueInfoProto", 11, true),
            output: field("ValueInfoProto", 12, true),
            value_info: field("ValueInfoProto", 13, true),
            quantization_annotation: field("TensorAnnotation", 14, true),
            sparse_initializer: field("SparseTensorProto", 15, true),
            metadata_props: entries(16),
          },
        },
        FunctionProto: {
          fields: {
            name: field("string", 1),
            input: field("string", 4, true),
            output: field("string", 5, true),
            attribute: field("string", 6, true),
            node: field("NodeProto", 7, true),
            doc_string: field("string", 8),
            opset_import: field("OperatorSetIdProto", 9, true),
            domain: field("string", 10),
            attribute_proto: field("AttributeProto", 11, true),
            value_info: field("ValueInfoProto", 12, true),
            overload: field("string", 13),
            metadata_props: entries(14),
          },
        },
        TrainingInfoProto: {
          fields: {
            initialization: field("GraphProto", 1),
            algorithm: field("GraphProto", 2),
            initialization_binding: entries(3),
            update_binding: entries(4),
          },
        },
        ModelProto: {
          fields: {
            ir_version: field("int64", 1),
            producer_name: field("string", 2),
            producer_version: field("string", 3),
            domain: field("string", 4),
            model_version: field("int64", 5),
            doc_string: field("string", 6),
            graph: field("GraphProto", 7),
            opset_import: field("OperatorSetIdProto", 8, true),
            metadata_props: entries(14),
            training_info: field("TrainingInfoProto", 20, true),
            functions: field("FunctionProto", 25, true),
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(SCHEMA);
root.resolveAll();

export type MessageType = protobuf.Type;
export type FieldDefinition = protobuf.Field;

export function messageType(name: string): protobuf.Type {
  return root.lookupType(`onnx.${name}`);
}

export const MODEL_PROTO = messageType("ModelProto");
