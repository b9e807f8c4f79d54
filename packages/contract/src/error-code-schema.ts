import { z } from "zod";
import { ERROR_CODES } from "./error-codes.ts";

/** A problem's `code` (the OpenAPI document's `ErrorCode`): one of ERROR_CODES. */
export const ErrorCodeSchema = z.enum(ERROR_CODES).meta({ id: "ErrorCode" });
