/**
 * A serialized tensorflow.ConfigProto with the thread pools set (and XLA's auto-clustering on, with `jit`): field 2 intra_op_parallelism_threads, field 5
 * inter_op_parallelism_threads (varints). A count of 0 leaves TensorFlow's default, which reads
 * TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS and otherwise uses one thread per core.
 */
export function sessionConfig(threads: { intraOp?: number; interOp?: number }, jit = false): Uint8Array {
  const bytes: number[] = [];
  const field = (number: number, value: number | undefined) => {
    if (!value) return;
    bytes.push((number << 3) | 0);
    let v = value;
    while (v > 0x7f) {
      bytes.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    bytes.push(v);
  };
  field(2, threads.intraOp);
  field(5, threads.interOp);
  // graph_options (10) { optimizer_options (3) { global_jit_level (5) = ON_2 } }: XLA auto-clustering, which on the
  // CPU also needs TF_XLA_FLAGS=--tf_xla_cpu_global_jit when TensorFlow starts (backend/select.ts sets it).
  if (jit) bytes.push(0x52, 0x04, 0x1a, 0x02, 0x28, 0x02);
  return Uint8Array.from(bytes);
}
