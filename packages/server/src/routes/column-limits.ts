/**
 * The largest value of the stores' 32-bit integer columns (steps, event numbers). A query parameter compared with
 * one of them is bounded by it at the edge: PostgreSQL fails a comparison with a larger integer (out of range for
 * type integer) where SQLite answers, so unbounded, 2^40 would be a 500 on one dialect only.
 */
export const INT32_MAX = 2_147_483_647;
