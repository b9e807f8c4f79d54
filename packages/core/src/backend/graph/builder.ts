import {
  DT,
  type GraphAddon,
  type GraphAttr,
  type GraphHandle,
  type GraphTensor,
  type HostTensor,
} from "./addon.ts";

/**
 * Writes TensorFlow operations into one graph with names that never collide. Every method adds one operation and
 * returns its first output (or its name, for operations without outputs). Type attributes that TensorFlow infers
 * from the inputs are left out.
 */
export class GraphBuilder {
  readonly graph: GraphHandle;
  private readonly used = new Map<string, number>();
  /** Attributes added to every operation made inside withAttrs (e.g. keeping evaluation out of XLA). */
  private extraAttrs: GraphAttr[] = [];

  constructor(readonly addon: GraphAddon) {
    this.graph = addon.newGraph();
  }

  private unique(name: string): string {
    const count = this.used.get(name) ?? 0;
    this.used.set(name, count + 1);
    return count === 0 ? name : `${name}_${count}`;
  }

  /** Adds an operation; returns its name. */
  op(
    type: string,
    name: string,
    inputs: (GraphTensor | GraphTensor[])[],
    attrs: GraphAttr[] = [],
    control: string[] = [],
  ): string {
    const unique = this.unique(name);
    this.addon.addOperation(this.graph, type, unique, inputs, [...attrs, ...this.extraAttrs], control);
    return unique;
  }

  /** Builds with `attrs` added to every operation made meanwhile. */
  withAttrs<T>(attrs: GraphAttr[], build: () => T): T {
    const saved = this.extraAttrs;
    this.extraAttrs = [...saved, ...attrs];
    try {
      return build();
    } finally {
      this.extraAttrs = saved;
    }
  }

  /** Adds an operation; returns its first output. */
  out(
    type: string,
    name: string,
    inputs: (GraphTensor | GraphTensor[])[],
    attrs: GraphAttr[] = [],
  ): GraphTensor {
    return [this.op(type, name, inputs, attrs), 0];
  }

  placeholder(name: string, dtype: number, shape: number[]): GraphTensor {
    return this.out(
      "Placeholder",
      name,
      [],
      [
        ["dtype", "type", dtype],
        ["shape", "shape", shape],
      ],
    );
  }

  constant(name: string, value: HostTensor): GraphTensor {
    return this.out(
      "Const",
      name,
      [],
      [
        ["dtype", "type", value.dtype],
        ["value", "tensor", value],
      ],
    );
  }

  scalar(value: number, dtype: number = DT.float): GraphTensor {
    const data = dtype === DT.int32 ? Int32Array.of(value) : Float32Array.of(value);
    return this.constant("const", { dtype, shape: [], data });
  }

  vector(values: number[], dtype: number = DT.int32): GraphTensor {
    const data = dtype === DT.int32 ? Int32Array.from(values) : Float32Array.from(values);
    return this.constant("const", { dtype, shape: [values.length], data });
  }

  /** A resource variable, its read, and an assignment from a placeholder of the same shape (for init/restore). */
  variable(name: string, dtype: number, shape: number[]): GraphVariable {
    const handleName = this.op(
      "VarHandleOp",
      name,
      [],
      [
        ["dtype", "type", dtype],
        ["shape", "shape", shape],
        ["shared_name", "string", this.unique(`${name}/shared`)],
      ],
    );
    const handle: GraphTensor = [handleName, 0];
    const read = this.out("ReadVariableOp", `${name}/read`, [handle], [["dtype", "type", dtype]]);
    const peek = this.withAttrs(NO_JIT, () =>
      this.out("ReadVariableOp", `${name}/peek`, [handle], [["dtype", "type", dtype]]),
    );
    const feed = this.placeholder(`${name}/feed`, dtype, shape);
    const assign = this.op("AssignVariableOp", `${name}/assign`, [handle, feed], [["dtype", "type", dtype]]);
    return { name, dtype, shape, handle, read, peek, feed, assign };
  }

  assign(variable: GraphVariable, value: GraphTensor, control: string[] = []): string {
    return this.op(
      "AssignVariableOp",
      `${variable.name}/update`,
      [variable.handle, value],
      [["dtype", "type", variable.dtype]],
      control,
    );
  }

  /** A no-op that runs after every operation named. */
  group(name: string, control: string[]): string {
    return this.op("NoOp", name, [], [], control);
  }

  gradients(prefix: string, y: GraphTensor, xs: GraphTensor[]): GraphTensor[] {
    const grads = this.addon.addGradients(this.graph, this.unique(prefix), [y], xs, null);
    return grads.map((g, i) => {
      if (!g) throw new Error(`no gradient reaches ${xs[i]?.[0]}`);
      return g;
    });
  }

  unary(type: string, x: GraphTensor): GraphTensor {
    return this.out(type, type.toLowerCase(), [x]);
  }

  binary(
    type: "Add" | "AddV2" | "Sub" | "Mul" | "RealDiv" | "Equal" | "GreaterEqual",
    a: GraphTensor,
    b: GraphTensor,
  ) {
    return this.out(type, type.toLowerCase(), [a, b]);
  }

  matMul(a: GraphTensor, b: GraphTensor): GraphTensor {
    return this.out("MatMul", "matmul", [a, b]);
  }

  biasAdd(x: GraphTensor, bias: GraphTensor): GraphTensor {
    return this.out("BiasAdd", "bias_add", [x, bias]);
  }

  /** A 2-D convolution, stride 1, no padding (NHWC). */
  conv2d(name: string, x: GraphTensor, kernel: GraphTensor): GraphTensor {
    return this.out(
      "Conv2D",
      name,
      [x, kernel],
      [
        ["strides", "intList", [1, 1, 1, 1]],
        ["padding", "string", "VALID"],
      ],
    );
  }

  /** 2x2 max pooling, stride 2, no padding (NHWC). */
  maxPool2x2(x: GraphTensor): GraphTensor {
    return this.out(
      "MaxPool",
      "pool",
      [x],
      [
        ["ksize", "intList", [1, 2, 2, 1]],
        ["strides", "intList", [1, 2, 2, 1]],
        ["padding", "string", "VALID"],
      ],
    );
  }

  reshape(x: GraphTensor, shape: number[]): GraphTensor {
    return this.out("Reshape", "reshape", [x, this.vector(shape)]);
  }

  cast(x: GraphTensor, to: number): GraphTensor {
    return this.out("Cast", "cast", [x], [["DstT", "type", to]]);
  }

  /** Rows of a variable at `indices`, without reading the whole variable. */
  gather(variable: GraphVariable, indices: GraphTensor): GraphTensor {
    return this.out(
      "ResourceGather",
      `${variable.name}/gather`,
      [variable.handle, indices],
      [["dtype", "type", variable.dtype]],
    );
  }

  reduce(type: "Mean" | "Sum", x: GraphTensor, axes: number[]): GraphTensor {
    return this.out(type, type.toLowerCase(), [x, this.vector(axes)], [["keep_dims", "bool", false]]);
  }

  argMax(x: GraphTensor, axis: number): GraphTensor {
    return this.out(
      "ArgMax",
      "argmax",
      [x, this.scalar(axis, DT.int32)],
      [["output_type", "type", DT.int32]],
    );
  }
}

/**
 * Kept out of XLA's clusters. A cluster runs whole: an evaluation or a checkpoint that fetched a tensor of the
 * training step's cluster would run the step's updates with it.
 */
export const NO_JIT: GraphAttr[] = [["_XlaCompile", "bool", false]];

/** A resource variable and the operations that initialise it from the host. */
export interface GraphVariable {
  name: string;
  dtype: number;
  shape: number[];
  handle: GraphTensor;
  /** The read the training step uses. */
  read: GraphTensor;
  /** A read outside the training step (evaluation, checkpoints), never compiled with it. */
  peek: GraphTensor;
  feed: GraphTensor;
  assign: string;
}
