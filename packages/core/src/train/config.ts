// Moved to @sweeplab/contract (the schemas the SDK and the dashboard share); re-exported here for core's code.
export * from "@sweeplab/contract";
