/** Registers sweeplab's WGSL kernels for the webgpu backend. Call only once that backend is active. */
export function installWebGpuKernels(): void {}
