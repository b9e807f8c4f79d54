import type { SweepCreate } from "@sweeplab/sdk";
import { useMemo, useState } from "react";
import { client } from "../../api/client.ts";
import type { OpenApiDocument } from "../../api/openapi.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { ApiSchemaGate } from "../../components/api-schema-gate.tsx";
import { FormActions, NameField, nameField, useCreateAndOpen } from "../../components/create-form.tsx";
import { defaultValue, pickProperties, validateValue } from "../new-run/json-schema.ts";
import { ObjectFields } from "../new-run/schema-field.tsx";
import { parseSpace, SPACE_EXAMPLE } from "./space-text.ts";

/** The SweepCreate fields laid out as schema fields; name, base and space get their own controls below. */
const STUDY_FIELDS = [
  "preset",
  "method",
  "trials",
  "parallelism",
  "repeats",
  "maxRepeats",
  "seed",
  "metric",
  "objectives",
  "warmStartFrom",
];
const STOP_FIELDS = ["earlyStopping", "maxConsecutiveFailures", "budget"];
/** Run settings a sweep commonly overrides on its preset's base (as `sweeplab sweep --steps` does). */
const BASE_FIELDS = ["steps", "evalEverySteps", "validationSize"];

/** A sweep form built from the service's SweepCreate schema: its presets, defaults, bounds and choices. */
export function NewSweepPage() {
  return <ApiSchemaGate>{(doc) => <SweepForm doc={doc} />}</ApiSchemaGate>;
}

function SweepForm({ doc }: { doc: OpenApiDocument }) {
  const create = doc.components.schemas.SweepCreate!;
  const schemas = useMemo(() => {
    // The base's fields without their RunConfig defaults: left empty, the preset's value applies.
    const base = pickProperties(doc.components.schemas.RunConfig!, BASE_FIELDS, doc);
    for (const [key, inner] of Object.entries(base.properties ?? {}))
      base.properties![key] = { ...inner, default: undefined };
    return {
      study: pickProperties(create, STUDY_FIELDS, doc),
      stop: pickProperties(create, STOP_FIELDS, doc),
      base,
    };
  }, [create, doc]);
  const [study, setStudy] = useState<unknown>(() => ({
    ...(defaultValue(schemas.study, doc) as object),
    preset: "seed-mlp",
    trials: 10,
  }));
  const [stop, setStop] = useState<unknown>(() => defaultValue(schemas.stop, doc));
  const [base, setBase] = useState<unknown>({});
  const [name, setName] = useState("");
  const [spaceText, setSpaceText] = useState("");
  const space = parseSpace(spaceText);
  const hasPreset = Boolean((study as { preset?: string }).preset);
  const errors = useMemo(
    () => ({
      ...validateValue(schemas.study, study, doc),
      ...validateValue(schemas.stop, stop, doc),
      ...Object.fromEntries(
        Object.entries(validateValue(schemas.base, base, doc)).map(([k, v]) => [`base.${k}`, v]),
      ),
      ...(space.error ? { space: space.error } : {}),
      ...(!hasPreset && !space.value ? { space: "a sweep without a preset needs a space" } : {}),
    }),
    [schemas, study, stop, base, space.error, space.value, hasPreset, doc],
  );
  const invalid = Object.keys(errors).length > 0;
  const { mutation, onSubmit } = useCreateAndOpen({
    create: () => {
      const overrides = Object.fromEntries(Object.entries(base as object).filter(([, v]) => v !== undefined));
      const body = JSON.parse(
        JSON.stringify({
          ...(study as object),
          ...(stop as object),
          ...nameField(name),
          ...(Object.keys(overrides).length ? { base: overrides } : {}),
          ...(space.value ? { space: space.value } : {}),
        }),
      ) as SweepCreate;
      return client.sweeps.create(body);
    },
    invalidates: queryKeys.sweeps,
    pathOf: (sweep) => `/sweeps/${encodeURIComponent(sweep.id)}`,
    invalid,
  });
  const fields = { doc, errors };
  return (
    <section>
      <h1>New sweep</h1>
      <p className="muted">
        The fields, defaults and bounds come from this service's API schema (SweepCreate). A preset brings the
        reference study's base config, search space and method; anything set here goes over it.
      </p>
      <form className="run-form" onSubmit={onSubmit} noValidate>
        <div className="fields">
          <NameField value={name} onChange={setName} maxLength={create.properties?.name?.maxLength} />
        </div>
        <fieldset>
          <legend>study</legend>
          <ObjectFields
            name="study"
            path=""
            schema={schemas.study}
            value={study}
            onChange={setStudy}
            {...fields}
          />
        </fieldset>
        <fieldset>
          <legend>each trial's run (over the preset's base; empty: the preset's)</legend>
          <ObjectFields
            name="base"
            path="base"
            schema={schemas.base}
            value={base}
            onChange={setBase}
            {...fields}
          />
        </fieldset>
        <ObjectFields name="stop" path="" schema={schemas.stop} value={stop} onChange={setStop} {...fields} />
        <label className="field space-field">
          <span>search space (JSON; empty: the preset's)</span>
          <textarea
            name="space"
            rows={6}
            value={spaceText}
            placeholder={SPACE_EXAMPLE}
            aria-invalid={Boolean(errors.space)}
            aria-describedby={errors.space ? "space-error" : undefined}
            onChange={(e) => setSpaceText(e.target.value)}
          />
          {errors.space ? (
            <small className="error" id="space-error" role="alert">
              {errors.space}
            </small>
          ) : null}
        </label>
        <FormActions
          submitLabel="Start sweep"
          mutation={mutation}
          invalidMessage={invalid ? `${Object.keys(errors).length} field(s) to fix` : undefined}
        />
      </form>
    </section>
  );
}
