// The pieces the new-run and new-sweep forms share: the name field, the create-then-open mutation and the row of
// actions under the form with its refusal.
import { type QueryKey, useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent, ReactNode } from "react";
import { navigate } from "../router.tsx";
import { ErrorAlert } from "./error-alert.tsx";

/** The optional name of what the form creates, bounded as the API schema bounds it. */
export function NameField(props: { value: string; onChange: (name: string) => void; maxLength?: number }) {
  return (
    <label className="field">
      <span>name</span>
      <input
        name="name"
        value={props.value}
        maxLength={props.maxLength ?? 200}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}

/** A trimmed, non-empty name as a request field, or nothing. */
export const nameField = (name: string) => (name.trim() ? { name: name.trim() } : {});

/**
 * Creates a resource, refreshes the listings under `invalidates`, then opens the created resource's page.
 * `onSubmit` sends the form unless it has errors.
 */
export function useCreateAndOpen<T extends { id: string }>(options: {
  create: () => Promise<T>;
  invalidates: QueryKey;
  pathOf: (created: T) => string;
  invalid: boolean;
}) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: options.create,
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: options.invalidates });
      navigate(options.pathOf(created));
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!options.invalid) mutation.mutate();
  };
  return { mutation, onSubmit };
}

/** The submit button (off while the form is invalid or sending), extra buttons, the errors' count, the refusal. */
export function FormActions(props: {
  submitLabel: string;
  mutation: { isPending: boolean; isError: boolean; error: unknown };
  invalidMessage: string | undefined;
  children?: ReactNode;
}) {
  const { mutation, invalidMessage } = props;
  return (
    <>
      <div className="actions">
        <button type="submit" className="primary" disabled={Boolean(invalidMessage) || mutation.isPending}>
          {props.submitLabel}
        </button>
        {props.children}
        {invalidMessage ? <span className="error">{invalidMessage}</span> : null}
      </div>
      {mutation.isError ? <ErrorAlert error={mutation.error} /> : null}
    </>
  );
}
