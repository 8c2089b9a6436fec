// How the dashboard's browser test fails and reports: one named check, and what it saw.

// How long a wait for the page may take before its check fails. The contract asks for new rows
// within 1 s; waits go longer so a slow row is measured and reported rather than timed out.
export const waitMs = 10000;

export class CheckFailed extends Error {}

// Throws the failure of `check` ("2. live row") with what was seen.
export function fail(check, message) {
    throw new CheckFailed(`dashboard check failed at "${check}": ${message}`);
}

export function step(message) {
    console.log(`== ${message}`);
}
