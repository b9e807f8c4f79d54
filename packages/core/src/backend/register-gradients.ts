// @tensorflow/tfjs-core on its own registers no gradients and no chained ops: the union package's Node bundle
// does both against the same tfjs-core instance (it is how @tensorflow/tfjs-node gets them too). Import this
// module for that side effect wherever gradients are taken.
import "@tensorflow/tfjs";
