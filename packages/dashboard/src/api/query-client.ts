import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isUnauthorized, loginRequired } from "./session.ts";

const onError = (error: unknown) => {
  if (isUnauthorized(error)) loginRequired.set(true);
};

/** The tab's query cache: a 401 from any read or change asks for the token once. */
export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: { retry: (count, error) => !isUnauthorized(error) && count < 2, refetchOnWindowFocus: false },
  },
});
