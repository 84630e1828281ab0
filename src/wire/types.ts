/** Types the wire layer shares with the composition root. */

/** Renders the body of an extra GET path (e.g. `/metrics`). */
export type RouteHandler = () => Promise<{ contentType: string; body: string }>;
