/** The text of something thrown: an Error's message, anything else as a string (hosts reject with both). */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
