import type { RunConfig } from "@sweeplab/sdk";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { client } from "../../api/client.ts";
import type { OpenApiDocument } from "../../api/openapi.ts";
import { ApiSchemaGate } from "../../components/api-schema-gate.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { navigate } from "../../router.tsx";
import { defaultValue, validateValue } from "./json-schema.ts";
import { ObjectFields } from "./schema-field.tsx";

/** A run config form built from the service's RunConfig schema: its defaults, bounds and choices. */
export function NewRunPage() {
  return <ApiSchemaGate>{(doc) => <RunForm doc={doc} />}</ApiSchemaGate>;
}

function RunForm({ doc }: { doc: OpenApiDocument }) {
  const queryClient = useQueryClient();
  const schema = doc.components.schemas.RunConfig!;
  const createSchema = doc.components.schemas.RunCreate;
  const [config, setConfig] = useState<unknown>(() => defaultValue(schema, doc));
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const errors = useMemo(() => validateValue(schema, config, doc), [schema, config, doc]);
  const create = useMutation({
    mutationFn: () =>
      client.runs.create({
        config: config as RunConfig,
        ...(name.trim() ? { name: name.trim() } : {}),
        tags: tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
      }),
    onSuccess: async (run) => {
      await queryClient.invalidateQueries({ queryKey: ["runs"] });
      navigate(`/runs/${encodeURIComponent(run.id)}`);
    },
  });
  const invalid = Object.keys(errors).length > 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!invalid) create.mutate();
  };
  return (
    <section>
      <h1>New run</h1>
      <p className="muted">
        The fields, defaults and bounds come from this service's API schema (RunConfig).
      </p>
      <form className="run-form" onSubmit={submit} noValidate>
        <div className="fields">
          <label className="field">
            <span>name</span>
            <input
              name="name"
              value={name}
              maxLength={createSchema?.properties?.name?.maxLength ?? 200}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
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
        <div className="actions">
          <button type="submit" className="primary" disabled={invalid || create.isPending}>
            Start run
          </button>
          <button type="button" onClick={() => setConfig(defaultValue(schema, doc))}>
            Reset to defaults
          </button>
          {invalid ? (
            <span className="error">{Object.keys(errors).length} field(s) out of bounds</span>
          ) : null}
        </div>
        {create.isError ? <ErrorAlert error={create.error} /> : null}
      </form>
    </section>
  );
}
