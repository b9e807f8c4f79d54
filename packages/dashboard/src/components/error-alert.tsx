/** An error's message where a person looks for it: a paragraph, or a span beside the buttons (`inline`). */
export function ErrorAlert({ error, inline }: { error: unknown; inline?: boolean }) {
  const message = error instanceof Error ? error.message : String(error);
  return inline ? (
    <span role="alert" className="error">
      {message}
    </span>
  ) : (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
