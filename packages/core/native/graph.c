// sweeplab's graph addon: a thin N-API layer over TensorFlow's C API (graph building, TF_AddGradients,
// sessions), so that core can build a run's whole training step as one graph in TypeScript and run it with one
// session call per step. Everything model-specific lives in TypeScript (core/src/backend/graph/); this file only
// translates values. It links against the same libtensorflow_cc.so.2 that tfjs-node's binding loads.
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tensorflow/c/c_api.h>

#define MAX_ARGS 8
#define THROW(env, msg)                          \
  do {                                           \
    napi_throw_error((env), "GRAPH_ADDON", (msg)); \
    return NULL;                                 \
  } while (0)
#define CHECK(env, call)                                      \
  do {                                                        \
    if ((call) != napi_ok) THROW((env), "N-API call failed: " #call); \
  } while (0)

typedef struct {
  TF_Graph* graph;
} GraphBox;

typedef struct {
  TF_Session* session;
  napi_ref graph_ref;  // keeps the graph alive as long as the session
} SessionBox;

static void finalize_graph(napi_env env, void* data, void* hint) {
  GraphBox* box = (GraphBox*)data;
  if (box->graph) TF_DeleteGraph(box->graph);
  free(box);
}

static void finalize_session(napi_env env, void* data, void* hint) {
  SessionBox* box = (SessionBox*)data;
  if (box->session) {
    TF_Status* status = TF_NewStatus();
    TF_CloseSession(box->session, status);
    TF_DeleteSession(box->session, status);
    TF_DeleteStatus(status);
  }
  free(box);
}

static char* get_string(napi_env env, napi_value value) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char* out = malloc(length + 1);
  napi_get_value_string_utf8(env, value, out, length + 1, &length);
  return out;
}

static int get_int64(napi_env env, napi_value value, int64_t* out) {
  return napi_get_value_int64(env, value, out) == napi_ok;
}

static GraphBox* get_graph(napi_env env, napi_value value) {
  void* data = NULL;
  if (napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return (GraphBox*)data;
}

static int throw_status(napi_env env, TF_Status* status) {
  if (TF_GetCode(status) == TF_OK) return 0;
  napi_throw_error(env, "TENSORFLOW", TF_Message(status));
  return 1;
}

// [opName, index] -> TF_Output
static int get_output(napi_env env, TF_Graph* graph, napi_value pair, TF_Output* out) {
  napi_value name_value, index_value;
  if (napi_get_element(env, pair, 0, &name_value) != napi_ok) return 0;
  if (napi_get_element(env, pair, 1, &index_value) != napi_ok) return 0;
  char* name = get_string(env, name_value);
  if (!name) return 0;
  int32_t index = 0;
  napi_get_value_int32(env, index_value, &index);
  TF_Operation* op = TF_GraphOperationByName(graph, name);
  if (!op) {
    char message[512];
    snprintf(message, sizeof message, "no operation named %s in the graph", name);
    free(name);
    napi_throw_error(env, "GRAPH_ADDON", message);
    return 0;
  }
  free(name);
  out->oper = op;
  out->index = index;
  return 1;
}

static size_t dtype_size(TF_DataType dtype) {
  switch (dtype) {
    case TF_FLOAT: case TF_INT32: case TF_UINT32: return 4;
    case TF_DOUBLE: case TF_INT64: case TF_UINT64: return 8;
    case TF_UINT8: case TF_INT8: case TF_BOOL: return 1;
    case TF_HALF: case TF_BFLOAT16: case TF_INT16: case TF_UINT16: return 2;
    default: return 0;
  }
}

// {dtype, shape: number[], data: TypedArray} -> a new TF_Tensor holding a copy of data
static TF_Tensor* get_tensor(napi_env env, napi_value spec) {
  napi_value dtype_value, shape_value, data_value;
  if (napi_get_named_property(env, spec, "dtype", &dtype_value) != napi_ok) return NULL;
  if (napi_get_named_property(env, spec, "shape", &shape_value) != napi_ok) return NULL;
  if (napi_get_named_property(env, spec, "data", &data_value) != napi_ok) return NULL;
  int32_t dtype = 0;
  napi_get_value_int32(env, dtype_value, &dtype);
  uint32_t rank = 0;
  napi_get_array_length(env, shape_value, &rank);
  int64_t dims[16];
  if (rank > 16) {
    napi_throw_error(env, "GRAPH_ADDON", "tensor rank above 16");
    return NULL;
  }
  size_t count = 1;
  for (uint32_t i = 0; i < rank; i++) {
    napi_value d;
    napi_get_element(env, shape_value, i, &d);
    get_int64(env, d, &dims[i]);
    count *= (size_t)dims[i];
  }
  napi_typedarray_type array_type;
  size_t length = 0;
  void* bytes = NULL;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, data_value, &array_type, &length, &bytes, &buffer, &offset) != napi_ok) {
    napi_throw_type_error(env, "GRAPH_ADDON", "tensor data must be a typed array");
    return NULL;
  }
  size_t element = dtype_size((TF_DataType)dtype);
  size_t byte_length = count * element;
  size_t given = 0;
  switch (array_type) {
    case napi_float32_array: case napi_int32_array: case napi_uint32_array: given = length * 4; break;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: given = length * 8; break;
    case napi_int16_array: case napi_uint16_array: given = length * 2; break;
    default: given = length; break;
  }
  if (element == 0 || given != byte_length) {
    char message[256];
    snprintf(message, sizeof message, "tensor data holds %zu bytes, its dtype %d and shape need %zu", given,
             dtype, byte_length);
    napi_throw_error(env, "GRAPH_ADDON", message);
    return NULL;
  }
  TF_Tensor* tensor = TF_AllocateTensor((TF_DataType)dtype, dims, (int)rank, byte_length);
  if (byte_length > 0) memcpy(TF_TensorData(tensor), bytes, byte_length);
  return tensor;
}

// TF_Tensor -> {dtype, shape, data} (data copied into a new typed array)
static napi_value tensor_to_js(napi_env env, TF_Tensor* tensor) {
  napi_value result, shape, data, buffer, dtype_value;
  TF_DataType dtype = TF_TensorType(tensor);
  int rank = TF_NumDims(tensor);
  napi_create_object(env, &result);
  napi_create_array_with_length(env, rank, &shape);
  for (int i = 0; i < rank; i++) {
    napi_value d;
    napi_create_int64(env, TF_Dim(tensor, i), &d);
    napi_set_element(env, shape, i, d);
  }
  size_t bytes = TF_TensorByteSize(tensor);
  void* target = NULL;
  napi_create_arraybuffer(env, bytes, &target, &buffer);
  if (bytes > 0) memcpy(target, TF_TensorData(tensor), bytes);
  napi_typedarray_type type = napi_uint8_array;
  size_t element = 1;
  switch (dtype) {
    case TF_FLOAT: type = napi_float32_array; element = 4; break;
    case TF_INT32: type = napi_int32_array; element = 4; break;
    case TF_INT64: type = napi_bigint64_array; element = 8; break;
    case TF_DOUBLE: type = napi_float64_array; element = 8; break;
    default: break;
  }
  napi_create_typedarray(env, type, bytes / element, buffer, 0, &data);
  napi_create_int32(env, (int32_t)dtype, &dtype_value);
  napi_set_named_property(env, result, "dtype", dtype_value);
  napi_set_named_property(env, result, "shape", shape);
  napi_set_named_property(env, result, "data", data);
  return result;
}

static napi_value new_graph(napi_env env, napi_callback_info info) {
  GraphBox* box = calloc(1, sizeof(GraphBox));
  box->graph = TF_NewGraph();
  napi_value external;
  CHECK(env, napi_create_external(env, box, finalize_graph, NULL, &external));
  return external;
}

// attrs: [name, kind, value][]
static int set_attr(napi_env env, TF_OperationDescription* desc, napi_value entry) {
  napi_value name_value, kind_value, value;
  napi_get_element(env, entry, 0, &name_value);
  napi_get_element(env, entry, 1, &kind_value);
  napi_get_element(env, entry, 2, &value);
  char* name = get_string(env, name_value);
  char* kind = get_string(env, kind_value);
  int ok = 1;
  if (!strcmp(kind, "int")) {
    int64_t v = 0;
    get_int64(env, value, &v);
    TF_SetAttrInt(desc, name, v);
  } else if (!strcmp(kind, "float")) {
    double v = 0;
    napi_get_value_double(env, value, &v);
    TF_SetAttrFloat(desc, name, (float)v);
  } else if (!strcmp(kind, "bool")) {
    bool v = false;
    napi_get_value_bool(env, value, &v);
    TF_SetAttrBool(desc, name, v ? 1 : 0);
  } else if (!strcmp(kind, "type")) {
    int32_t v = 0;
    napi_get_value_int32(env, value, &v);
    TF_SetAttrType(desc, name, (TF_DataType)v);
  } else if (!strcmp(kind, "string")) {
    char* v = get_string(env, value);
    TF_SetAttrString(desc, name, v, strlen(v));
    free(v);
  } else if (!strcmp(kind, "shape") || !strcmp(kind, "intList") || !strcmp(kind, "typeList") ||
             !strcmp(kind, "floatList")) {
    uint32_t n = 0;
    napi_get_array_length(env, value, &n);
    int64_t* ints = calloc(n + 1, sizeof(int64_t));
    float* floats = calloc(n + 1, sizeof(float));
    TF_DataType* types = calloc(n + 1, sizeof(TF_DataType));
    for (uint32_t i = 0; i < n; i++) {
      napi_value element;
      napi_get_element(env, value, i, &element);
      double d = 0;
      napi_get_value_double(env, element, &d);
      ints[i] = (int64_t)d;
      floats[i] = (float)d;
      types[i] = (TF_DataType)(int)d;
    }
    if (!strcmp(kind, "shape")) TF_SetAttrShape(desc, name, ints, (int)n);
    else if (!strcmp(kind, "intList")) TF_SetAttrIntList(desc, name, ints, (int)n);
    else if (!strcmp(kind, "floatList")) TF_SetAttrFloatList(desc, name, floats, (int)n);
    else TF_SetAttrTypeList(desc, name, types, (int)n);
    free(ints);
    free(floats);
    free(types);
  } else if (!strcmp(kind, "tensor")) {
    TF_Tensor* tensor = get_tensor(env, value);
    if (!tensor) {
      ok = 0;
    } else {
      TF_Status* status = TF_NewStatus();
      TF_SetAttrTensor(desc, name, tensor, status);
      TF_DeleteTensor(tensor);
      if (throw_status(env, status)) ok = 0;
      TF_DeleteStatus(status);
    }
  } else {
    napi_throw_error(env, "GRAPH_ADDON", "unknown attribute kind");
    ok = 0;
  }
  free(name);
  free(kind);
  return ok;
}

// addOperation(graph, opType, name, inputs, attrs, controlInputs) -> number of outputs
// inputs: ([opName, index] | [opName, index][])[]: a nested array is a list input.
static napi_value add_operation(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) THROW(env, "addOperation(graph, opType, name, inputs, attrs, controlInputs)");
  GraphBox* box = get_graph(env, argv[0]);
  if (!box) THROW(env, "not a graph");
  char* op_type = get_string(env, argv[1]);
  char* name = get_string(env, argv[2]);
  TF_OperationDescription* desc = TF_NewOperation(box->graph, op_type, name);
  free(op_type);
  free(name);
  uint32_t count = 0;
  napi_get_array_length(env, argv[3], &count);
  for (uint32_t i = 0; i < count; i++) {
    napi_value input, first;
    napi_get_element(env, argv[3], i, &input);
    napi_get_element(env, input, 0, &first);
    bool is_list = false;
    napi_is_array(env, first, &is_list);
    if (is_list) {
      uint32_t n = 0;
      napi_get_array_length(env, input, &n);
      TF_Output* list = calloc(n + 1, sizeof(TF_Output));
      for (uint32_t j = 0; j < n; j++) {
        napi_value pair;
        napi_get_element(env, input, j, &pair);
        if (!get_output(env, box->graph, pair, &list[j])) {
          free(list);
          return NULL;
        }
      }
      TF_AddInputList(desc, list, (int)n);
      free(list);
    } else {
      TF_Output output;
      if (!get_output(env, box->graph, input, &output)) return NULL;
      TF_AddInput(desc, output);
    }
  }
  napi_get_array_length(env, argv[4], &count);
  for (uint32_t i = 0; i < count; i++) {
    napi_value entry;
    napi_get_element(env, argv[4], i, &entry);
    if (!set_attr(env, desc, entry)) return NULL;
  }
  napi_get_array_length(env, argv[5], &count);
  for (uint32_t i = 0; i < count; i++) {
    napi_value entry;
    napi_get_element(env, argv[5], i, &entry);
    char* control = get_string(env, entry);
    TF_Operation* op = TF_GraphOperationByName(box->graph, control);
    free(control);
    if (!op) THROW(env, "unknown control input");
    TF_AddControlInput(desc, op);
  }
  TF_Status* status = TF_NewStatus();
  TF_Operation* op = TF_FinishOperation(desc, status);
  if (throw_status(env, status)) {
    TF_DeleteStatus(status);
    return NULL;
  }
  TF_DeleteStatus(status);
  napi_value outputs;
  napi_create_int32(env, TF_OperationNumOutputs(op), &outputs);
  return outputs;
}

static TF_Output* get_outputs(napi_env env, TF_Graph* graph, napi_value array, uint32_t* count) {
  napi_get_array_length(env, array, count);
  TF_Output* outputs = calloc(*count + 1, sizeof(TF_Output));
  for (uint32_t i = 0; i < *count; i++) {
    napi_value pair;
    napi_get_element(env, array, i, &pair);
    if (!get_output(env, graph, pair, &outputs[i])) {
      free(outputs);
      return NULL;
    }
  }
  return outputs;
}

static napi_value outputs_to_js(napi_env env, TF_Output* outputs, uint32_t count) {
  napi_value result;
  napi_create_array_with_length(env, count, &result);
  for (uint32_t i = 0; i < count; i++) {
    napi_value pair = NULL;
    if (outputs[i].oper == NULL) {
      napi_get_null(env, &pair);
    } else {
      napi_value name, index;
      napi_create_array_with_length(env, 2, &pair);
      napi_create_string_utf8(env, TF_OperationName(outputs[i].oper), NAPI_AUTO_LENGTH, &name);
      napi_create_int32(env, outputs[i].index, &index);
      napi_set_element(env, pair, 0, name);
      napi_set_element(env, pair, 1, index);
    }
    napi_set_element(env, result, i, pair);
  }
  return result;
}

// addGradients(graph, prefix, ys, xs, dys | null) -> ([opName, index] | null)[] (d(sum ys)/d xs)
static napi_value add_gradients(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) THROW(env, "addGradients(graph, prefix, ys, xs, dys)");
  GraphBox* box = get_graph(env, argv[0]);
  if (!box) THROW(env, "not a graph");
  char* prefix = get_string(env, argv[1]);
  uint32_t ny = 0, nx = 0, ndy = 0;
  TF_Output* ys = get_outputs(env, box->graph, argv[2], &ny);
  TF_Output* xs = ys ? get_outputs(env, box->graph, argv[3], &nx) : NULL;
  napi_valuetype dys_type;
  napi_typeof(env, argv[4], &dys_type);
  TF_Output* dys = NULL;
  if (xs && dys_type != napi_null && dys_type != napi_undefined) {
    dys = get_outputs(env, box->graph, argv[4], &ndy);
    if (dys && ndy != ny) {
      free(dys);
      dys = NULL;
      napi_throw_error(env, "GRAPH_ADDON", "dys must match ys");
    }
  }
  napi_value result = NULL;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (ys && xs && !pending) {
    TF_Output* dx = calloc(nx + 1, sizeof(TF_Output));
    TF_Status* status = TF_NewStatus();
    TF_AddGradientsWithPrefix(box->graph, prefix, ys, (int)ny, xs, (int)nx, dys, status, dx);
    if (!throw_status(env, status)) result = outputs_to_js(env, dx, nx);
    TF_DeleteStatus(status);
    free(dx);
  }
  free(prefix);
  free(ys);
  free(xs);
  free(dys);
  return result;
}

// outputShape(graph, [opName, index]) -> number[] (-1 unknown) | null (unknown rank)
static napi_value output_shape(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  GraphBox* box = get_graph(env, argv[0]);
  if (!box) THROW(env, "not a graph");
  TF_Output output;
  if (!get_output(env, box->graph, argv[1], &output)) return NULL;
  TF_Status* status = TF_NewStatus();
  int rank = TF_GraphGetTensorNumDims(box->graph, output, status);
  napi_value result;
  if (throw_status(env, status)) {
    TF_DeleteStatus(status);
    return NULL;
  }
  if (rank < 0) {
    TF_DeleteStatus(status);
    napi_get_null(env, &result);
    return result;
  }
  int64_t dims[16];
  TF_GraphGetTensorShape(box->graph, output, dims, rank, status);
  TF_DeleteStatus(status);
  napi_create_array_with_length(env, rank, &result);
  for (int i = 0; i < rank; i++) {
    napi_value d;
    napi_create_int64(env, dims[i], &d);
    napi_set_element(env, result, i, d);
  }
  return result;
}

// newSession(graph, configProto: Uint8Array) -> session
static napi_value new_session(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  GraphBox* box = get_graph(env, argv[0]);
  if (!box) THROW(env, "not a graph");
  TF_Status* status = TF_NewStatus();
  TF_SessionOptions* options = TF_NewSessionOptions();
  if (argc > 1) {
    napi_typedarray_type type;
    size_t length = 0;
    void* bytes = NULL;
    napi_value buffer;
    size_t offset = 0;
    if (napi_get_typedarray_info(env, argv[1], &type, &length, &bytes, &buffer, &offset) == napi_ok &&
        length > 0) {
      TF_SetConfig(options, bytes, length, status);
    }
  }
  TF_Session* session = TF_GetCode(status) == TF_OK ? TF_NewSession(box->graph, options, status) : NULL;
  TF_DeleteSessionOptions(options);
  if (throw_status(env, status)) {
    TF_DeleteStatus(status);
    return NULL;
  }
  TF_DeleteStatus(status);
  SessionBox* session_box = calloc(1, sizeof(SessionBox));
  session_box->session = session;
  napi_create_reference(env, argv[0], 1, &session_box->graph_ref);
  napi_value external;
  CHECK(env, napi_create_external(env, session_box, finalize_session, NULL, &external));
  return external;
}

// closeSession(session): frees the session's memory now rather than at garbage collection.
static napi_value close_session(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void* data = NULL;
  if (napi_get_value_external(env, argv[0], &data) != napi_ok) THROW(env, "not a session");
  SessionBox* box = (SessionBox*)data;
  if (box->session) {
    TF_Status* status = TF_NewStatus();
    TF_CloseSession(box->session, status);
    TF_DeleteSession(box->session, status);
    TF_DeleteStatus(status);
    box->session = NULL;
    napi_delete_reference(env, box->graph_ref);
  }
  return NULL;
}

// run(session, graph, feeds: [[opName, index], tensor][], fetches: [opName, index][], targets: string[])
//   -> tensor[] (one per fetch)
static napi_value run_session(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) THROW(env, "run(session, graph, feeds, fetches, targets)");
  void* data = NULL;
  if (napi_get_value_external(env, argv[0], &data) != napi_ok) THROW(env, "not a session");
  SessionBox* session = (SessionBox*)data;
  if (!session->session) THROW(env, "the session is closed");
  GraphBox* box = get_graph(env, argv[1]);
  if (!box) THROW(env, "not a graph");

  uint32_t nfeeds = 0, nfetches = 0, ntargets = 0;
  napi_get_array_length(env, argv[2], &nfeeds);
  TF_Output* inputs = calloc(nfeeds + 1, sizeof(TF_Output));
  TF_Tensor** values = calloc(nfeeds + 1, sizeof(TF_Tensor*));
  TF_Output* outputs = NULL;
  TF_Tensor** results = NULL;
  TF_Operation** targets = NULL;
  napi_value result = NULL;
  int ok = 1;
  for (uint32_t i = 0; i < nfeeds && ok; i++) {
    napi_value feed, pair, tensor;
    napi_get_element(env, argv[2], i, &feed);
    napi_get_element(env, feed, 0, &pair);
    napi_get_element(env, feed, 1, &tensor);
    ok = get_output(env, box->graph, pair, &inputs[i]);
    if (ok) {
      values[i] = get_tensor(env, tensor);
      ok = values[i] != NULL;
    }
  }
  if (ok) {
    outputs = get_outputs(env, box->graph, argv[3], &nfetches);
    ok = outputs != NULL;
  }
  if (ok) {
    napi_get_array_length(env, argv[4], &ntargets);
    targets = calloc(ntargets + 1, sizeof(TF_Operation*));
    for (uint32_t i = 0; i < ntargets && ok; i++) {
      napi_value entry;
      napi_get_element(env, argv[4], i, &entry);
      char* name = get_string(env, entry);
      targets[i] = TF_GraphOperationByName(box->graph, name);
      free(name);
      if (!targets[i]) {
        napi_throw_error(env, "GRAPH_ADDON", "unknown target operation");
        ok = 0;
      }
    }
  }
  if (ok) {
    results = calloc(nfetches + 1, sizeof(TF_Tensor*));
    TF_Status* status = TF_NewStatus();
    TF_SessionRun(session->session, NULL, inputs, values, (int)nfeeds, outputs, results, (int)nfetches,
                  (const TF_Operation* const*)targets, (int)ntargets, NULL, status);
    if (!throw_status(env, status)) {
      napi_create_array_with_length(env, nfetches, &result);
      for (uint32_t i = 0; i < nfetches; i++) {
        napi_set_element(env, result, i, tensor_to_js(env, results[i]));
      }
    }
    TF_DeleteStatus(status);
    for (uint32_t i = 0; i < nfetches; i++) {
      if (results[i]) TF_DeleteTensor(results[i]);
    }
  }
  for (uint32_t i = 0; i < nfeeds; i++) {
    if (values[i]) TF_DeleteTensor(values[i]);
  }
  free(inputs);
  free(values);
  free(outputs);
  free(results);
  free(targets);
  return result;
}

static napi_value tensorflow_version(napi_env env, napi_callback_info info) {
  napi_value result;
  napi_create_string_utf8(env, TF_Version(), NAPI_AUTO_LENGTH, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"newGraph", NULL, new_graph, NULL, NULL, NULL, napi_default, NULL},
      {"addOperation", NULL, add_operation, NULL, NULL, NULL, napi_default, NULL},
      {"addGradients", NULL, add_gradients, NULL, NULL, NULL, napi_default, NULL},
      {"outputShape", NULL, output_shape, NULL, NULL, NULL, napi_default, NULL},
      {"newSession", NULL, new_session, NULL, NULL, NULL, napi_default, NULL},
      {"closeSession", NULL, close_session, NULL, NULL, NULL, napi_default, NULL},
      {"run", NULL, run_session, NULL, NULL, NULL, napi_default, NULL},
      {"tensorflowVersion", NULL, tensorflow_version, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
