/** What the server hands every loader and action besides the request. */
declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce?: string;
    clientIp?: string;
  }
}

/** Single fetch is on: loaders and actions return plain data (or data() with a status). */
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
