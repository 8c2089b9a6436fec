// The step runner the matrix-js-sdk flows share: labelled steps with their own timeout, an
// overall timeout, one failure line naming the step, and the sdk's logging kept quiet.
//
//   const flow = createFlow({ label: "js-sdk", overallTimeoutMs: 60_000, verboseEnv: "...",
//                             context: () => "...", onFail: () => client?.stopClient() });
//   const value = await flow.step("name", 10_000, async () => ...);
//   flow.passed("js-sdk flow passed");
//
// A failure prints `<label> flow failed at step "<name>": <reason>` (plus the step's detail and
// the flow's context) and exits 1; passed() prints its line and exits 0 without waiting for the
// sockets an aborted long-poll /sync may keep open for a while.

import * as sdk from "matrix-js-sdk";
import { logger } from "matrix-js-sdk/lib/logger.js";

export const say = (line) => process.stdout.write(`${line}\n`);

// A Matrix error as "HTTP 403 M_FORBIDDEN: reason from /path"; other errors by name and cause.
export function describeError(error) {
    if (error instanceof sdk.MatrixError) {
        const detail = error.data?.error ? `: ${error.data.error}` : "";
        return `HTTP ${error.httpStatus} ${error.errcode ?? "(no errcode)"}${detail}` +
            (error.url ? ` from ${new URL(error.url).pathname}` : "");
    }
    if (error instanceof Error) {
        const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
        return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}${cause}`;
    }
    return String(error);
}

// The sdk logs through loglevel loggers ("matrix", "matrix-<child>", ...), each of which calls
// console.* at log time (the crypto wasm too, through the sdk's logger). Silencing the root
// logger does not reach children that modules created at import time, so unless `verboseEnv` is
// set the console methods become no-ops; the flows write their own output with `say`.
function quietenSdkLogging(verboseEnv) {
    if (process.env[verboseEnv]) return;
    logger.disableAll();
    for (const method of ["log", "debug", "info", "warn", "error", "trace"]) {
        console[method] = () => {};
    }
}

// `label` starts the failure and success lines; `context()` returns text added to a failure
// (e.g. the requests that failed); `onFail()` releases the clients before the exit.
export function createFlow({ label, overallTimeoutMs, verboseEnv, context = () => "", onFail = () => {} }) {
    quietenSdkLogging(verboseEnv);
    let currentStep = "start";
    const flow = {
        // What the current step last saw, named when it fails (e.g. why an event is not
        // decrypted yet); cleared when a step starts.
        detail: null,

        fail(reason) {
            const detail = flow.detail ? ` (${flow.detail})` : "";
            process.stdout.write(`${label} flow failed at step "${currentStep}": ${reason}${detail}${context()}\n`);
            try {
                onFail();
            } catch {
                // already failing; the message above is what matters
            }
            process.exit(1);
        },

        // Fails the named step after it has returned (a check on its result).
        failStep(name, reason) {
            currentStep = name;
            flow.fail(reason);
        },

        // Runs one labelled step; `body` returns a promise. Prints `ok <name>` or fails the flow.
        async step(name, timeoutMs, body) {
            currentStep = name;
            flow.detail = null;
            const started = Date.now();
            let timer;
            const timeout = new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
            });
            try {
                const result = await Promise.race([body(), timeout]);
                say(`ok   ${name} (${Date.now() - started} ms)`);
                return result;
            } catch (error) {
                flow.fail(describeError(error));
            } finally {
                clearTimeout(timer);
            }
        },

        passed(line) {
            clearTimeout(overallTimer);
            say(line);
            process.exit(0);
        },
    };
    const overallTimer = setTimeout(
        () => flow.fail(`the whole flow did not finish within ${overallTimeoutMs / 1000} s`),
        overallTimeoutMs,
    );
    return flow;
}
