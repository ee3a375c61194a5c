/**
 * Characters that make text read differently than it is: bidirectional embeddings, overrides,
 * isolates and marks, zero-width and other invisible format characters, and fillers that render
 * as blank. Event values are attacker-controlled, so every place that shows one (Slack, email,
 * Teams, PagerDuty, the web UI) removes them or shows them as marks; one list for all.
 */
export const invisibleCharacters = /[\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\u206A-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB]/g;
