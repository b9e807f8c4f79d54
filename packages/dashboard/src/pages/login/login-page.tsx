import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { logIn, loginRequired } from "../../api/session.ts";

/** Shown when the service answered 401: trades the token for a session cookie, once. */
export function LoginPage() {
  const queryClient = useQueryClient();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await logIn(token);
      loginRequired.set(false);
      await queryClient.invalidateQueries();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="login">
      <h1>Log in</h1>
      <p>
        This service has a token (<code>SWEEPLAB_TOKEN</code>). Enter it once; the browser then holds a
        session cookie until you log out.
      </p>
      <form onSubmit={submit}>
        <label>
          Token
          <input
            type="password"
            name="token"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            required
          />
        </label>
        <button type="submit" disabled={busy || !token}>
          Log in
        </button>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
