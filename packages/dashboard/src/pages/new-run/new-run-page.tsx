import type { RunConfig } from "@sweeplab/sdk";
import { useMemo, useState } from "react";
import { client } from "../../api/client.ts";
import type { OpenApiDocument } from "../../api/openapi.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { ApiSchemaGate } from "../../components/api-schema-gate.tsx";
import { FormActions, NameField, nameField, useCreateAndOpen } from "../../components/create-form.tsx";
import { defaultValue, validateValue } from "./json-schema.ts";
import { ObjectFields } from "./schema-field.tsx";

/** A run config form built from the service's RunConfig schema: its defaults, bounds and choices. */
export function NewRunPage() {
  return <ApiSchemaGate>{(doc) => <RunForm doc={doc} />}</ApiSchemaGate>;
}

function RunForm({ doc }: { doc: OpenApiDocument }) {
  const schema = doc.components.schemas.RunConfig!;
  const createSchema = doc.components.schemas.RunCreate;
  const [config, setConfig] = useState<unknown>(() => defaultValue(schema, doc));
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const errors = useMemo(() => validateValue(schema, config, doc), [schema, config, doc]);
  const invalid = Object.keys(errors).length > 0;
  const { mutation, onSubmit } = useCreateAndOpen({
    create: () =>
      client.runs.create({
        config: config as RunConfig,
        ...nameField(name),
        tags: tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
      }),
    invalidates: queryKeys.runs,
    pathOf: (run) => `/runs/${encodeURIComponent(run.id)}`,
    invalid,
  });
  return (
    <section>
      <h1>New run</h1>
      <p className="muted">
        The fields, defaults and bounds come from this service's API schema (RunConfig).
      </p>
      <form className="run-form" onSubmit={onSubmit} noValidate>
        <div className="fields">
          <NameField value={name} onChange={setName} maxLength={createSchema?.properties?.name?.maxLength} />
          <label className="field">
            <span>tags (comma-separated)</span>
            <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} />
          </label>
        </div>
        <ObjectFields
          name="config"
          path=""
          schema={schema}
          value={config}
          onChange={setConfig}
          doc={doc}
          errors={errors}
        />
        <FormActions
          submitLabel="Start run"
          mutation={mutation}
          invalidMessage={invalid ? `${Object.keys(errors).length} field(s) out of bounds` : undefined}
        >
          <button type="button" onClick={() => setConfig(defaultValue(schema, doc))}>
            Reset to defaults
          </button>
        </FormActions>
      </form>
    </section>
  );
}
