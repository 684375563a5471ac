import { createContext, useContext } from "react";

/** The Content-Security-Policy nonce of this response, for the inline scripts Remix writes. */
export const NonceContext = createContext<string>("");

export function useNonce(): string {
  return useContext(NonceContext);
}
